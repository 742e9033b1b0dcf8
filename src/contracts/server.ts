/**
 * The part of the engine's HTTP + ws port a stage registers on. The output stage owns the server
 * (src/output/server.ts); the control API registers its routes through this shape, so control never imports
 * the output stage.
 */
import type http from 'node:http';
import type { WebSocket } from 'ws';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;
export type WsHandler = (socket: WebSocket, req: http.IncomingMessage, url: URL) => void;

export interface RouteHost {
  /** Exact-path route, e.g. 'GET /api/state'. */
  route(methodAndPath: string, handler: RouteHandler): void;
  /** A ws endpoint at `path`. */
  ws(path: string, handler: WsHandler): void;
}
