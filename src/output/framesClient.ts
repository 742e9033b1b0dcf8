import WebSocket from 'ws';
import { checkFrameMessage, emptyFrameHeader, FRAME_HEADER_BYTES, readFrameHeader, type DisplayPost, type FrameHeader } from './protocol.js';

/**
 * A Node client of `/frames`, for tests, recorders and tools: decodes each frame message and hands over its
 * header and a view of its pixels (valid during the callback only; copy what you keep).
 * Example (the full-chain test): `const c = await connectFrames(live.url + '/frames', (h, px) => …)`.
 */
export interface FramesClient {
  readonly frames: number;
  readonly post: DisplayPost | null;
  /** Messages that were not valid frames, with the reason. */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function connectFrames(
  url: string,
  onFrame: (header: FrameHeader, rgba: Uint8Array) => void,
  options: { role?: 'display' | 'preview'; maxFps?: number } = {},
): Promise<FramesClient> {
  const u = new URL(url.replace(/^http/, 'ws'));
  if (options.role) u.searchParams.set('role', options.role);
  if (options.maxFps) u.searchParams.set('maxFps', String(options.maxFps));
  const ws = new WebSocket(u);
  const header = emptyFrameHeader();
  const state = { frames: 0, post: null as DisplayPost | null, errors: [] as string[] };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      try {
        const m = JSON.parse(data.toString('utf8')) as { type?: string; post?: DisplayPost };
        if (m.type === 'post' && m.post) state.post = m.post;
      } catch {
        state.errors.push(`not JSON: ${data.toString('utf8').slice(0, 60)}`);
      }
      return;
    }
    const why = checkFrameMessage(data);
    if (why) {
      if (state.errors.length < 100) state.errors.push(why);
      return;
    }
    state.frames += 1;
    readFrameHeader(data, header);
    onFrame(header, data.subarray(FRAME_HEADER_BYTES));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(new Error(`cannot connect to ${u.href}: ${e.message}`)));
  });
  return {
    get frames() {
      return state.frames;
    },
    get post() {
      return state.post;
    },
    errors: state.errors,
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}
