/**
 * A ws connection that reconnects by itself (the engine may restart mid-show) with a short capped backoff.
 * The page keeps whatever it shows meanwhile.
 */
export interface ReconnectingSocketOptions {
  path: string;
  binary?: boolean;
  onOpen?(ws: WebSocket): void;
  onText?(text: string): void;
  onBinary?(data: ArrayBuffer): void;
  onClose?(): void;
}

export class ReconnectingSocket {
  ws: WebSocket | null = null;
  connected = false;
  private retryMs = 250;
  private stopped = false;

  constructor(private readonly opts: ReconnectingSocketOptions) {
    this.connect();
  }

  static urlFor(path: string): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // A LAN-bound engine wants its control token: /monitor?token=… hands it on to /state and /control.
    const token = new URLSearchParams(location.search).get('token');
    const withToken = token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : path;
    return `${proto}//${location.host}${withToken}`;
  }

  send(text: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(ReconnectingSocket.urlFor(this.opts.path));
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.connected = true;
      this.retryMs = 250;
      this.opts.onOpen?.(ws);
    };
    ws.onmessage = (ev: MessageEvent<string | ArrayBuffer>) => {
      if (typeof ev.data === 'string') this.opts.onText?.(ev.data);
      else this.opts.onBinary?.(ev.data);
    };
    ws.onclose = () => {
      const was = this.connected;
      this.connected = false;
      if (was) this.opts.onClose?.();
      if (this.stopped) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(2000, this.retryMs * 2);
    };
    // onerror is always followed by onclose, which reconnects.
    ws.onerror = () => undefined;
  }
}

/**
 * Maps this page's performance.now() to the engine's clock from ping/pong round trips: the offset of the
 * round trip with the smallest delay wins (NTP's rule), refreshed every few seconds so drift is followed.
 */
export class ClockSync {
  private best: { rttMs: number; offsetMs: number; at: number } | null = null;
  private nextId = 1;

  ping(send: (text: string) => boolean): void {
    send(JSON.stringify({ type: 'ping', id: this.nextId++, pageT: performance.now() }));
  }

  onPong(pageT: number, engineNow: number): void {
    const t = performance.now();
    const rttMs = t - pageT;
    const offsetMs = engineNow - (pageT + t) / 2;
    // Older estimates age out (their rtt counts as growing) so a better one is taken after a clock step.
    const agedRtt = this.best ? this.best.rttMs + (t - this.best.at) / 1000 : Infinity;
    if (rttMs <= agedRtt) this.best = { rttMs, offsetMs, at: t };
  }

  get synced(): boolean {
    return this.best !== null;
  }

  toEngine(pageMs: number): number {
    return pageMs + (this.best?.offsetMs ?? NaN);
  }

  reset(): void {
    this.best = null;
  }
}
