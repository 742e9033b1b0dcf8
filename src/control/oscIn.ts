/**
 * OSC in: a UDP socket on a configurable host/port. Packets are decoded with node-osc's `decode` (the wire format
 * is the library's), bundles are unpacked recursively, and each message goes to one handler.
 *
 * Why our own dgram socket and not node-osc's Server: the Server re-emits every address as an event name, so a
 * packet addressed `error`, `message` or `bundle` collides with its own events (and its decode-error 'error' emit
 * throws out of the socket handler when nobody listens), it binds with reuseAddr (a second engine would silently share the
 * port), and it gives no hook to count or rate-limit packets before decoding. Nothing a sender does escapes this
 * module: decode errors, handler errors and floods are counted and logged at a limited rate.
 */
import dgram from 'node:dgram';
import { decode, encode } from 'node-osc';
import { logger } from '../log.js';
import { UserError, describeError } from '../errors.js';

const log = logger('osc');

export type OscArg = number | string | boolean;

export interface OscInStats {
  packets: number;
  messages: number;
  bundles: number;
  malformed: number;
  /** Packets dropped by the per-second limit. */
  dropped: number;
  /** Messages the handler refused (unknown address, bad argument). */
  rejected: number;
  handlerErrors: number;
}

/** Handler result: false when the message was not understood (counted as rejected). */
export type OscHandler = (address: string, args: OscArg[], from: string) => boolean;

export interface OscInOptions {
  host: string;
  port: number;
  maxPerSecond: number;
}

/** Bundles nest; a hostile packet could nest thousands deep. Deeper than this is malformed. */
const MAX_BUNDLE_DEPTH = 16;

/**
 * float32 arguments decode to doubles like 0.41999998688697815; the performer sent 0.42. Give the shortest
 * decimal that is the same float32, so `/latentvj/param/truncation 0.42` reads back as 0.42.
 */
export function shortestFloat32(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const f = Math.fround(x);
  if (f !== x) return x; // not a float32 value: leave it
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === f) return y;
  }
  return x;
}

function toArgs(raw: unknown): OscArg[] | null {
  if (!Array.isArray(raw)) return null;
  const out: OscArg[] = [];
  for (const a of raw as Array<{ value?: unknown }>) {
    const v = a?.value;
    if (typeof v === 'number') out.push(shortestFloat32(v));
    else if (typeof v === 'string' || typeof v === 'boolean') out.push(v);
    // blobs, nil and MIDI arguments carry nothing a control uses; they are skipped, not fatal
  }
  return out;
}

export class OscIn {
  readonly stats: OscInStats = {
    packets: 0,
    messages: 0,
    bundles: 0,
    malformed: 0,
    dropped: 0,
    rejected: 0,
    handlerErrors: 0,
  };
  private windowStartMs = 0;
  private inWindow = 0;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly options: OscInOptions,
    private readonly handler: OscHandler,
  ) {}

  static async open(options: OscInOptions, handler: OscHandler): Promise<OscIn> {
    const socket = dgram.createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
    const osc = new OscIn(socket, options, handler);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (e: NodeJS.ErrnoException) => {
        socket.close();
        reject(
          new UserError(
            e.code === 'EADDRINUSE'
              ? `OSC port ${options.port} on ${options.host} is already in use; choose another with --osc-port`
              : `cannot listen for OSC on ${options.host}:${options.port}: ${e.message}`,
          ),
        );
      });
      socket.bind(options.port, options.host, () => resolve());
    });
    socket.removeAllListeners('error');
    socket.on('error', (e) => log.limited('warn', 'socket', `OSC socket: ${describeError(e)}`));
    socket.on('message', (buf, rinfo) => osc.onPacket(buf, `${rinfo.address}:${rinfo.port}`));
    try {
      socket.setRecvBufferSize(4 << 20); // ride out bursts; the kernel drops what still does not fit
    } catch {
      // a smaller kernel limit is fine
    }
    log.info(`OSC in on udp://${options.host}:${osc.port}`);
    return osc;
  }

  get port(): number {
    return this.socket.address().port;
  }

  get host(): string {
    return this.options.host;
  }

  /** One datagram; public so tests and other transports (OSC over ws) can feed raw packets. */
  onPacket(buf: Buffer, from: string): void {
    this.stats.packets += 1;
    const now = Date.now();
    if (now - this.windowStartMs >= 1000) {
      if (this.inWindow > this.options.maxPerSecond) {
        log.warn(`OSC flood: ${this.inWindow} packets in the last second; over ${this.options.maxPerSecond}/s were dropped`);
      }
      this.windowStartMs = now;
      this.inWindow = 0;
    }
    this.inWindow += 1;
    if (this.inWindow > this.options.maxPerSecond) {
      this.stats.dropped += 1;
      return;
    }
    let packet: unknown;
    try {
      packet = decode(buf);
    } catch (e) {
      this.malformed(from, describeError(e));
      return;
    }
    if (!this.dispatch(packet, from, 0)) this.malformed(from, 'not an OSC message or bundle');
  }

  private dispatch(p: unknown, from: string, depth: number): boolean {
    if (!p || typeof p !== 'object') return false;
    const node = p as { oscType?: unknown; address?: unknown; args?: unknown; elements?: unknown };
    if (node.oscType === 'bundle' && Array.isArray(node.elements)) {
      if (depth >= MAX_BUNDLE_DEPTH) return false;
      this.stats.bundles += 1;
      for (const el of node.elements as unknown[]) if (!this.dispatch(el, from, depth + 1)) return false;
      return true;
    }
    if (node.oscType !== 'message' || typeof node.address !== 'string') return false;
    const args = toArgs(node.args);
    if (!args) return false;
    this.stats.messages += 1;
    if (!node.address.startsWith('/')) {
      this.reject(node.address, from, 'an OSC address starts with /');
      return true;
    }
    try {
      if (!this.handler(node.address, args, from)) this.reject(node.address, from, 'unknown address or bad argument');
    } catch (e) {
      this.stats.handlerErrors += 1;
      log.limited('error', 'handler', `OSC ${node.address} from ${from}: ${describeError(e)}`);
    }
    return true;
  }

  private reject(address: string, from: string, why: string): void {
    this.stats.rejected += 1;
    log.limited('warn', 'rejected', `OSC ${JSON.stringify(address.slice(0, 80))} from ${from}: ${why} (${this.stats.rejected} so far)`);
  }

  private malformed(from: string, why: string): void {
    this.stats.malformed += 1;
    log.limited('warn', 'malformed', `malformed OSC packet from ${from}: ${why} (${this.stats.malformed} so far)`);
  }

  /** Send a message from this socket (so replies that go to the sender's port come back here). Never throws. */
  send(address: string, args: OscArg[], host: string, port: number): void {
    try {
      const buf = encode({ oscType: 'message', address, args });
      this.socket.send(buf, port, host, (e) => {
        if (e) log.limited('warn', 'send', `OSC to ${host}:${port}: ${e.message}`);
      });
    } catch (e) {
      log.limited('warn', 'send', `OSC to ${host}:${port}: ${describeError(e)}`);
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }
}
