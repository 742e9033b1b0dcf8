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
  /** Messages (and undecoded packets) dropped by the per-second limit. */
  dropped: number;
  /** Messages the handler refused (unknown address, bad argument). */
  rejected: number;
  handlerErrors: number;
}

/** Handler result: true when handled; false (not understood) or the reason it was refused counts as rejected. */
export type OscHandler = (address: string, args: OscArg[], from: string) => boolean | string;

export interface OscInOptions {
  host: string;
  port: number;
  /** Messages handled per second at most; a bundle counts as the messages inside it. */
  maxPerSecond: number;
  /** Longest accepted address, bytes: every distinct address may become a source, so its length is bounded too. */
  maxAddressBytes?: number;
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
  private droppedInFlood = 0;
  private flooding = false;

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
    this.roll();
    // Over the limit, a packet is dropped before it costs a decode.
    if (this.inWindow >= this.options.maxPerSecond) {
      this.drop();
      return;
    }
    let packet: unknown;
    try {
      packet = decode(buf);
    } catch (e) {
      this.inWindow += 1; // decoding it was work all the same
      this.malformed(from, describeError(e));
      return;
    }
    if (!this.dispatch(packet, from, 0)) {
      this.inWindow += 1;
      this.malformed(from, 'not an OSC message or bundle');
    }
  }

  /** A new one-second window: say once when a flood is over. */
  private roll(): void {
    const now = Date.now();
    if (now - this.windowStartMs < 1000 && now >= this.windowStartMs) return;
    if (this.flooding && this.inWindow < this.options.maxPerSecond) {
      log.info(`OSC back under ${this.options.maxPerSecond} messages per second; ${this.droppedInFlood} messages were dropped`);
      this.flooding = false;
      this.droppedInFlood = 0;
    }
    this.windowStartMs = now;
    this.inWindow = 0;
  }

  private drop(): void {
    this.stats.dropped += 1;
    this.droppedInFlood += 1;
    if (!this.flooding) {
      this.flooding = true;
      log.warn(`OSC flood: over ${this.options.maxPerSecond} messages per second (control.oscMaxPerSecond); the rest of each second is dropped until it calms down`);
    }
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
    // Each message in a bundle is a unit of work: the limit counts messages, not packets.
    if (this.inWindow >= this.options.maxPerSecond) {
      this.drop();
      return true;
    }
    this.inWindow += 1;
    this.stats.messages += 1;
    const maxAddressBytes = this.options.maxAddressBytes ?? 256;
    if (node.address.length > maxAddressBytes || Buffer.byteLength(node.address) > maxAddressBytes) {
      this.reject(node.address, from, `OSC address over ${maxAddressBytes} bytes (control.oscMaxAddressBytes)`, 'address-length');
      return true;
    }
    if (!node.address.startsWith('/')) {
      this.reject(node.address, from, 'an OSC address starts with /');
      return true;
    }
    try {
      const r = this.handler(node.address, args, from);
      if (r === false) this.reject(node.address, from, 'unknown address or bad argument');
      // One rate limit per kind of refusal (the reason's wording up to its first quoted value or number), so a
      // flood of one kind does not hide another; the set of kinds is the engine's fixed set of messages.
      else if (typeof r === 'string') this.reject(node.address, from, r, `refused:${r.replace(/['"(\d].*$/s, '').slice(0, 40)}`);
    } catch (e) {
      this.stats.handlerErrors += 1;
      log.limited('error', 'handler', `OSC ${node.address.slice(0, 80)} from ${from}: ${describeError(e)}`);
    }
    return true;
  }

  private reject(address: string, from: string, why: string, kind = 'rejected'): void {
    this.stats.rejected += 1;
    log.limited('warn', kind, `OSC ${JSON.stringify(address.slice(0, 80))} from ${from}: ${why} (${this.stats.rejected} rejected so far)`);
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
