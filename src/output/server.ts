import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { logger } from '../log.js';
import { UserError } from '../errors.js';
import { checkAccess, defaultAccessPolicy, listedOrigin, type AccessPolicy, type RequestFacts } from './access.js';

const log = logger('http');

import type { RouteHandler, RouteHost, WsHandler } from '../contracts/server.js';

export type { RouteHandler, WsHandler } from '../contracts/server.js';

export interface EngineServerOptions {
  host: string;
  port: number;
  /** Largest ws message accepted from a client, bytes. */
  maxWsPayload?: number;
  /** Which hosts and web pages may use the API and ws paths (src/output/access.ts). Default: only the engine's own. */
  access?: Partial<AccessPolicy>;
}

/**
 * The engine's one HTTP + ws port. Stages register routes and ws paths on it (output pages and /frames,
 * the control API, the monitor); it dispatches by path and keeps a failing handler from taking the server down.
 */
export class EngineServer implements RouteHost {
  private readonly routes = new Map<string, RouteHandler>();
  private readonly prefixRoutes: Array<{ prefix: string; handler: RouteHandler }> = [];
  private readonly wsPaths = new Map<string, { wss: WebSocketServer; handler: WsHandler }>();
  private readonly server: http.Server;
  private readonly maxWsPayload: number;
  private readonly access: AccessPolicy;

  constructor(private readonly options: EngineServerOptions) {
    this.maxWsPayload = options.maxWsPayload ?? 1 << 20;
    this.access = { ...defaultAccessPolicy(), ...options.access };
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      socket.on('error', () => undefined); // a client that resets mid-handshake
      const url = parseRequestUrl(req.url);
      if (!url) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
        return;
      }
      const refused = checkAccess(facts(req, url, true), this.access);
      if (refused) {
        log.limited('warn', 'access', `ws ${url.pathname} refused: ${refused.error}`);
        const body = JSON.stringify({ error: refused.error });
        socket.end(
          `HTTP/1.1 ${refused.status} Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
        return;
      }
      const entry = this.wsPaths.get(url.pathname);
      if (!entry) {
        socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      entry.wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', (e) => log.limited('warn', 'ws-error', `ws ${url.pathname}: ${e.message}`));
        try {
          entry.handler(ws, req, url);
        } catch (e) {
          log.error(`ws handler ${url.pathname} failed: ${(e as Error).message}`);
          ws.close(1011);
        }
      });
    });
  }

  /** Exact-path route, e.g. 'GET /api/state'. */
  route(methodAndPath: string, handler: RouteHandler): void {
    this.routes.set(methodAndPath, handler);
  }

  /** Route every GET below a prefix, e.g. '/static/'. */
  routePrefix(prefix: string, handler: RouteHandler): void {
    this.prefixRoutes.push({ prefix, handler });
  }

  ws(path: string, handler: WsHandler): void {
    const wss = new WebSocketServer({ noServer: true, maxPayload: this.maxWsPayload });
    this.wsPaths.set(path, { wss, handler });
  }

  /** Whether a stage registered this ws path (pages use it to find optional endpoints such as /control). */
  hasWs(path: string): boolean {
    return this.wsPaths.has(path);
  }

  /** Clients currently connected on a ws path. */
  clients(path: string): Set<WebSocket> {
    return this.wsPaths.get(path)?.wss.clients ?? new Set();
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        this.server.off('listening', onListening);
        if (e.code === 'EADDRINUSE') {
          reject(new UserError(`port ${this.options.port} on ${this.options.host} is already in use; choose another with --port`));
        } else reject(new UserError(`cannot listen on ${this.options.host}:${this.options.port}: ${e.message}`));
      };
      const onListening = () => {
        this.server.off('error', onError);
        // From now on the server's own errors (e.g. EMFILE on accept) are logged: an 'error' event nobody
        // listens to would throw and take the show down.
        this.server.on('error', (e) => log.limited('error', 'http-server', `HTTP server: ${e.message}`));
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(this.options.port, this.options.host);
    });
    return this.server.address() as AddressInfo;
  }

  address(): AddressInfo | null {
    return (this.server.address() as AddressInfo | null) ?? null;
  }

  url(path = '/'): string {
    const a = this.address();
    const host = !a ? this.options.host : a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${a?.port ?? this.options.port}${path}`;
  }

  async close(): Promise<void> {
    for (const { wss } of this.wsPaths.values()) {
      for (const c of wss.clients) c.terminate();
      wss.close();
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = parseRequestUrl(req.url);
    if (!url) {
      // `new URL` throws on e.g. `GET http://[bad`; in this async handler that would be an unhandled rejection,
      // which ends the process: one stray request from the LAN must not stop the show.
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad request URL' }));
      return;
    }
    const refused = checkAccess(facts(req, url, false), this.access);
    if (refused) {
      log.limited('warn', 'access', `${req.method} ${url.pathname} refused: ${refused.error}`);
      res.writeHead(refused.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: refused.error }));
      return;
    }
    // A web client the performer allowed (output.allowedOrigins) may read the answers too (CORS).
    const allowed = listedOrigin(headerOf(req.headers.origin), this.access);
    if (allowed) {
      res.setHeader('access-control-allow-origin', allowed);
      res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, HEAD, POST',
          'access-control-allow-headers': 'content-type, authorization',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    // HEAD is GET without the body (node's ServerResponse drops the body of a HEAD reply).
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const handler =
      this.routes.get(`${method} ${url.pathname}`) ??
      (method === 'GET' ? this.prefixRoutes.find((r) => url.pathname.startsWith(r.prefix))?.handler : undefined);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `no route for ${req.method} ${url.pathname}` }));
      return;
    }
    try {
      await handler(req, res, url);
    } catch (e) {
      // The details (paths on this machine among them) go to the log, not to whoever asked.
      log.error(`${req.method} ${url.pathname} failed: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `internal error in ${req.method} ${url.pathname}; the engine's log has the details` }));
    }
  }
}

function headerOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function facts(req: http.IncomingMessage, url: URL, upgrade: boolean): RequestFacts {
  return { method: req.method ?? 'GET', path: url.pathname, upgrade, headers: req.headers };
}

/** The request's URL, or null when it cannot be parsed. */
function parseRequestUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}
