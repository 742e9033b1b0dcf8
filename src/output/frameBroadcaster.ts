import type { WebSocket } from 'ws';
import type { Frame } from '../contracts/model.js';
import { emptyFrameHeader, encodeFrameInto, frameMessageBytes } from './protocol.js';

/**
 * Sends frames to every display without ever queueing: each client has at most one frame message being
 * written and one waiting slot that always holds the newest frame. A client that reads slowly (or not at
 * all) only ever costs one encoded frame of memory and a few pointer moves per frame; the engine never waits.
 *
 * Frames are encoded once (header + pixels) into pooled buffers shared by every client and reused when the
 * last socket has flushed them, so a steady stream allocates nothing per frame.
 */

const BINARY = { binary: true } as const;
/** Bytes of small messages allowed to wait in a socket before it counts as busy. */
const TEXT_BACKLOG_BYTES = 64 * 1024;
const RETRY_MS = 20;

/** A reusable encoded frame message shared by clients; returned to the pool when `refs` drops to 0. */
interface EncodedFrame {
  buf: Buffer;
  refs: number;
  frame: number;
}

class FrameBufferPool {
  private free: EncodedFrame[] = [];
  private bytes = 0;
  /** Buffers ever allocated (tests and stats: a steady stream stops allocating). */
  allocated = 0;

  acquire(bytes: number): EncodedFrame {
    if (bytes !== this.bytes) {
      // The model resolution changed: the old buffers are the wrong size, let them go.
      this.free = [];
      this.bytes = bytes;
    }
    const e = this.free.pop();
    if (e) {
      e.refs = 1;
      return e;
    }
    this.allocated += 1;
    return { buf: Buffer.allocUnsafe(bytes), refs: 1, frame: -1 };
  }

  release(e: EncodedFrame): void {
    e.refs -= 1;
    if (e.refs === 0 && e.buf.length === this.bytes && this.free.length < 8) this.free.push(e);
  }
}

export interface FrameClientOptions {
  /** Send at most this many frames per second to this client (previews); 0 = every frame. */
  maxFps: number;
  /** A client whose write has not completed for this long is disconnected (it can never catch up). */
  stallTimeoutMs: number;
  /** Displays count in the presented fps and the display count; previews (the monitor) do not. */
  role: 'display' | 'preview';
}

/** Per-client send state. */
export class FrameClient {
  sent = 0;
  dropped = 0;
  private inflight = 0;
  private inflightSince = 0;
  private pending: EncodedFrame | null = null;
  private pendingText: string | null = null;
  private lastSentMs = -Infinity;
  private closed = false;
  /** The frame being written (the send callback is bound once: no closure per frame). */
  private current: EncodedFrame | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: WebSocket,
    readonly options: FrameClientOptions,
    private readonly pool: FrameBufferPool,
    private readonly now: () => number,
  ) {}

  /**
   * Busy while a frame is being written (ws calls back when its bytes reached the kernel), or while other
   * messages have piled up in the socket (a client that stopped reading during a pause).
   */
  get busy(): boolean {
    return this.inflight > 0 || this.socket.bufferedAmount > TEXT_BACKLOG_BYTES;
  }

  /** Offer the newest frame: sent now when the socket is idle, otherwise it replaces the waiting one. */
  offer(e: EncodedFrame): void {
    if (this.closed) return;
    const t = this.now();
    if (this.options.maxFps > 0 && t - this.lastSentMs < 1000 / this.options.maxFps) return;
    if (this.busy) {
      if (this.inflight > 0 && t - this.inflightSince > this.options.stallTimeoutMs) {
        this.close();
        this.socket.terminate();
        return;
      }
      if (this.pending) {
        this.pool.release(this.pending);
        this.dropped += 1;
      }
      e.refs += 1;
      this.pending = e;
      this.flushLater();
      return;
    }
    e.refs += 1;
    this.write(e);
  }

  /** Small JSON state (post params): the newest replaces an unsent older one, never queues either. */
  offerText(text: string): void {
    if (this.closed) return;
    if (this.busy) {
      this.pendingText = text;
      this.flushLater();
      return;
    }
    this.socket.send(text);
  }

  /** Messages answering the client (pong): always sent, they are rare and tiny. */
  sendNow(text: string): void {
    if (!this.closed) this.socket.send(text);
  }

  private write(e: EncodedFrame): void {
    this.inflight += 1;
    this.inflightSince = this.now();
    this.lastSentMs = this.inflightSince;
    this.current = e;
    this.sent += 1;
    this.socket.send(e.buf, BINARY, this.onWritten);
  }

  /** Send what waits (post first: a blackout must not wait behind a frame), if the socket is free. */
  private flush(): void {
    if (this.closed) return;
    if (this.busy) {
      this.flushLater();
      return;
    }
    if (this.pendingText !== null) {
      const text = this.pendingText;
      this.pendingText = null;
      this.socket.send(text);
    }
    if (this.pending) {
      const next = this.pending;
      this.pending = null;
      this.write(next); // moves the slot's reference to the write
    }
  }

  /**
   * A write in flight flushes the slot when it completes; without one (the socket is only backed up with
   * text), nothing would, so look again shortly — otherwise the last frame before a pause never shows.
   */
  private flushLater(): void {
    if (this.inflight > 0 || this.retry) return;
    this.retry = setTimeout(this.onRetry, RETRY_MS);
    this.retry.unref();
  }

  private readonly onRetry = (): void => {
    this.retry = null;
    this.flush();
  };

  private readonly onWritten = (): void => {
    // ws calls back once the bytes reached the kernel (or with an error when the socket closed).
    this.inflight -= 1;
    const done = this.current;
    this.current = null;
    if (done) this.pool.release(done);
    this.flush();
  };

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (this.pending) this.pool.release(this.pending);
    this.pending = null;
    this.pendingText = null;
  }
}

export class FrameBroadcaster {
  readonly clients = new Set<FrameClient>();
  private readonly pool = new FrameBufferPool();
  framesIn = 0;
  /** Sent / dropped by clients that have gone, so totals survive disconnects. */
  private sentGone = 0;
  private droppedGone = 0;

  private readonly header = emptyFrameHeader();

  constructor(private readonly now: () => number = () => performance.now()) {}

  add(socket: WebSocket, options: FrameClientOptions): FrameClient {
    const client = new FrameClient(socket, options, this.pool, this.now);
    this.clients.add(client);
    socket.once('close', () => this.remove(client));
    return client;
  }

  remove(client: FrameClient): void {
    if (!this.clients.delete(client)) return;
    client.close();
    this.sentGone += client.sent;
    this.droppedGone += client.dropped;
  }

  /** Encode once, offer to every client. Returns the number of clients that took it. */
  publish(frame: Frame, sentAt: number): number {
    this.framesIn += 1;
    if (this.clients.size === 0) return 0;
    const bytes = frameMessageBytes(frame.width, frame.height);
    const e = this.pool.acquire(bytes);
    e.frame = frame.frame;
    const s = frame.stamps;
    const h = this.header; // reused: no allocation per frame
    h.frame = frame.frame;
    h.width = frame.width;
    h.height = frame.height;
    h.audioT = s.audioT;
    h.paramsAt = s.paramsAt;
    h.inferStart = s.inferStart;
    h.inferEnd = s.inferEnd;
    h.sentAt = sentAt;
    try {
      encodeFrameInto(e.buf, h, frame.rgba);
    } catch (err) {
      this.pool.release(e);
      throw err;
    }
    let n = 0;
    for (const c of this.clients) {
      c.offer(e);
      n += 1;
    }
    this.pool.release(e);
    return n;
  }

  broadcastText(text: string): void {
    for (const c of this.clients) c.offerText(text);
  }

  totals(): { sent: number; dropped: number; buffersAllocated: number } {
    let sent = this.sentGone;
    let dropped = this.droppedGone;
    for (const c of this.clients) {
      sent += c.sent;
      dropped += c.dropped;
    }
    return { sent, dropped, buffersAllocated: this.pool.allocated };
  }
}
