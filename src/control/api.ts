/**
 * The ws + HTTP control API on the engine's one port (EngineServer):
 *   GET  /api/state      state as JSON (targets, features, tempo, fps, control status); viewing needs no token
 *   POST /api/control    one JSON command, same schema as ws
 *   ws   /control        JSON messages, schema version 1 (docs/control.md): get, set, release, value, scene, cue,
 *                        blackout, freeze, tap, resync, tempo, subscribe/unsubscribe (features or state at a rate),
 *                        learn/learn-cancel, ping.
 * Bad JSON, unknown types, unknown targets and oversize messages get an error reply; nothing a client sends throws.
 * Bound to a non-loopback host, commands that change anything need the token printed at start, unless the client
 * itself connects from loopback.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import type { WebSocket } from 'ws';
import type { Features, Tempo } from '../contracts/features.js';
import type { RouteHost } from '../contracts/server.js';
import type { ControlCommand, CommandResult } from './commands.js';
import type { Control } from './index.js';
import type { LearnedControl } from './learn.js';
import { logger } from '../log.js';
import { describeError } from '../errors.js';
import { echoable, parseBoundedJson, readBoundedBody, WIRE_JSON_LIMITS } from '../boundedJson.js';

const log = logger('control-api');

export const API_VERSION = 1;

/** What the engine knows that the control stage does not; the lead's `getState` builds it each request. */
export interface EngineStateSnapshot {
  /** Current value of every target by name (mapper.targets() with control overrides applied). */
  targets: Record<string, number>;
  features: Features | null;
  tempo: Tempo | null;
  fps: number;
  [key: string]: unknown;
}

export interface ControlApiDeps {
  getState(): EngineStateSnapshot;
  /** Host the HTTP server is bound to; a non-loopback host turns the token on. */
  host: string;
  /** Fixed token (config control.token); generated when unset and needed. */
  token?: string;
  /** Writes a learned route (into the mapping file) and says where; without it, learn answers with the source only. */
  onLearned?: (learned: LearnedControl) => Promise<string> | string;
  /** Largest accepted message, bytes. */
  maxMessageBytes?: number;
  /** Clients connecting from loopback may control without the token (default true: the performer's own machine). */
  trustLoopbackClients?: boolean;
}

export interface ControlApi {
  /** The token control clients on the LAN must send, or null when the API is loopback-only. */
  token: string | null;
  close(): void;
}

const finite = z.number().refine(Number.isFinite, 'a finite number');
const name = z.string().min(1).max(200);
const base = { v: z.literal(API_VERSION).default(API_VERSION), id: z.union([z.string().max(100), z.number()]).optional(), token: z.string().max(200).optional() };

/** The ws/HTTP message schema, version 1. */
export const apiMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('get') }),
  z.strictObject({ ...base, type: z.literal('ping') }),
  z.strictObject({ ...base, type: z.literal('set'), target: name, value: finite }),
  z.strictObject({ ...base, type: z.literal('release'), target: name }),
  z.strictObject({ ...base, type: z.literal('value'), name, value: finite }),
  z.strictObject({
    ...base,
    type: z.literal('scene'),
    scene: z.union([z.number().int().min(0), name]),
    values: z.record(name, finite).optional(),
  }),
  z.strictObject({ ...base, type: z.literal('cue'), name }),
  z.strictObject({ ...base, type: z.literal('blackout'), on: z.boolean() }),
  z.strictObject({ ...base, type: z.literal('freeze'), on: z.boolean() }),
  z.strictObject({ ...base, type: z.literal('tap') }),
  z.strictObject({ ...base, type: z.literal('resync') }),
  z.strictObject({ ...base, type: z.literal('record'), on: z.boolean() }),
  z.strictObject({
    ...base,
    type: z.literal('tempo'),
    bpm: z.number().min(20).max(400).optional(),
    op: z.enum(['half', 'double', 'auto']).optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('subscribe'),
    stream: z.enum(['features', 'state']),
    rateHz: z.number().min(0.1).max(60).default(10),
  }),
  z.strictObject({ ...base, type: z.literal('unsubscribe'), stream: z.enum(['features', 'state']) }),
  z.strictObject({ ...base, type: z.literal('learn'), target: name, timeoutS: z.number().min(1).max(600).default(30) }),
  z.strictObject({ ...base, type: z.literal('learn-cancel') }),
]);
export type ApiMessage = z.output<typeof apiMessageSchema>;

const READ_ONLY = new Set(['get', 'ping', 'subscribe', 'unsubscribe']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === '::ffff:127.0.0.1';
}

/** Features as plain JSON (typed arrays become arrays). */
export function featuresJson(f: Features | null): unknown {
  if (!f) return null;
  return { ...f, chroma: Array.from(f.chroma), bassChroma: Array.from(f.bassChroma), events: [...f.events] };
}

/** The id of a message that failed validation, so the error reply can still be matched to its request. */
function idOf(raw: string): string | number | undefined {
  const parsed = parseBoundedJson(raw, { maxBytes: Number.POSITIVE_INFINITY, maxDepth: WIRE_JSON_LIMITS.maxDepth });
  const v = parsed.ok ? parsed.value : null;
  return v && typeof v === 'object' && !Array.isArray(v) ? echoable((v as { id?: unknown }).id) : undefined;
}

/** Constant-time token comparison (a `===` leaks how many leading characters matched). */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  // Hashing first gives equal lengths, so neither the content nor the length of the token shows in the timing.
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function toCommand(m: ApiMessage): ControlCommand | null {
  switch (m.type) {
    case 'set':
      return { type: 'set', target: m.target, value: m.value };
    case 'release':
      return { type: 'release', target: m.target };
    case 'value':
      return { type: 'value', name: m.name, value: m.value };
    case 'scene':
      return m.values ? { type: 'scene', scene: m.scene, values: m.values } : { type: 'scene', scene: m.scene };
    case 'cue':
      return { type: 'cue', name: m.name };
    case 'blackout':
    case 'freeze':
    case 'record':
      return { type: m.type, on: m.on };
    case 'tap':
      return { type: 'tap' };
    case 'resync':
      return { type: 'resync' };
    case 'tempo':
      return m.op ? { type: 'tempo', op: m.op } : m.bpm !== undefined ? { type: 'tempo', bpm: m.bpm } : { type: 'tempo' };
    default:
      return null;
  }
}

/** Parse one raw message: the message or an error string that names what was wrong. */
export function parseApiMessage(raw: string): ApiMessage | string {
  // Size is checked by the transport (apiMaxMessageBytes); depth here, before anything walks the value.
  const parsed = parseBoundedJson(raw, { maxBytes: Number.POSITIVE_INFINITY, maxDepth: WIRE_JSON_LIMITS.maxDepth });
  if (!parsed.ok) return parsed.error;
  const json = parsed.value;
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'a message is a JSON object with a "type"';
  const v = (json as { v?: unknown }).v;
  if (v !== undefined && v !== API_VERSION) return `unsupported schema version ${JSON.stringify(v)}; this engine speaks v ${API_VERSION}`;
  const r = apiMessageSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.length ? issue.path.join('.') : 'message';
  return issue.code === 'invalid_union'
    ? `unknown type ${JSON.stringify((json as { type?: unknown }).type)}; expected one of ${apiMessageSchema.options.map((o) => o.shape.type.value).join(', ')}`
    : `${path}: ${issue.message}`;
}

export function registerControlApi(server: RouteHost, control: Control, deps: ControlApiDeps): ControlApi {
  const maxBytes = deps.maxMessageBytes ?? control.config.apiMaxMessageBytes;
  const token = isLoopback(deps.host) ? null : (deps.token ?? control.config.token ?? randomBytes(12).toString('hex'));
  const timers = new Set<NodeJS.Timeout>();
  if (token) {
    log.info(`control API on a LAN address: clients need the token ${token} (ws /control?token=…, or "token" in each message, or Authorization: Bearer)`);
  }

  const snapshot = (): unknown => {
    const s = deps.getState();
    return { v: API_VERSION, ...s, features: featuresJson(s.features), control: control.status() };
  };

  const trustLoopback = deps.trustLoopbackClients ?? true;
  const authorized = (remote: string | undefined, given: string | undefined | null): boolean =>
    token === null || (trustLoopback && remote !== undefined && isLoopback(remote)) || tokenMatches(token, given);

  /** Run one parsed message; the reply (without v/id). Async only for learn, which answers when a control moves. */
  const run = (m: ApiMessage, mayControl: boolean, push: ((msg: object) => void) | null): object => {
    if (!READ_ONLY.has(m.type) && !mayControl) {
      return { ok: false, error: 'this API is bound to the LAN: control needs the token printed at start' };
    }
    switch (m.type) {
      case 'get':
        return { ok: true, type: 'state', state: snapshot() };
      case 'ping':
        return { ok: true, type: 'pong' };
      case 'learn': {
        if (!push) return { ok: false, error: 'learn needs a ws connection (the answer comes when a control moves)' };
        control.learn.arm(m.target, m.timeoutS * 1000).then(
          async (learned) => {
            let where = '';
            try {
              where = deps.onLearned ? await deps.onLearned(learned) : '';
              push({ type: 'learned', target: learned.target, source: learned.source, port: learned.port, written: where });
            } catch (e) {
              push({ type: 'learn-failed', target: m.target, source: learned.source, error: describeError(e) });
            }
          },
          (e: unknown) => push({ type: 'learn-failed', target: m.target, error: describeError(e) }),
        );
        return { ok: true, type: 'learning', target: m.target };
      }
      case 'learn-cancel':
        control.learn.cancel();
        return { ok: true };
      case 'subscribe':
      case 'unsubscribe':
        return { ok: false, error: `${m.type} needs a ws connection` };
      default: {
        const cmd = toCommand(m);
        const r: CommandResult = cmd ? control.apply(cmd, 'ws') : { ok: false, error: `cannot run '${m.type}'` };
        return r;
      }
    }
  };

  server.route('GET /api/state', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(snapshot()));
  });

  server.route('POST /api/control', (req, res, url) => {
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ v: API_VERSION, ...body }));
    };
    void readBoundedBody(req, maxBytes).then((read) => {
      if (!read.ok) {
        if (read.tooLarge) reply(413, { ok: false, error: `message too large: over ${maxBytes} bytes` });
        return;
      }
      const raw = read.body.toString('utf8');
      const m = parseApiMessage(raw);
      if (typeof m === 'string') return reply(400, { id: idOf(raw), ok: false, error: m });
      const given = m.token ?? bearer(req) ?? url.searchParams.get('token');
      const out = run(m, authorized(req.socket.remoteAddress, given), null) as { ok: boolean };
      reply(out.ok ? 200 : 400, { id: m.id, ...out });
    }).catch((e: unknown) => {
      log.limited('warn', 'http-control', `POST /api/control: ${describeError(e)}`);
      if (!res.headersSent) reply(500, { ok: false, error: describeError(e) });
    });
  });

  server.ws('/control', (socket: WebSocket, req: http.IncomingMessage, url: URL) => {
    const remote = req.socket.remoteAddress;
    const connToken = url.searchParams.get('token');
    const subs = new Map<string, NodeJS.Timeout>();
    const send = (msg: object) => {
      if (socket.readyState !== socket.OPEN) return;
      // A slow client skips updates instead of growing our memory.
      if (socket.bufferedAmount > 1 << 20) return;
      socket.send(JSON.stringify({ v: API_VERSION, ...msg }));
    };
    send({ type: 'hello', version: API_VERSION, control: authorized(remote, connToken) });
    socket.on('message', (data, isBinary) => {
      try {
        const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer | ArrayBuffer).byteLength;
        if (size > maxBytes) return send({ ok: false, error: `message too large: ${size} bytes > ${maxBytes}` });
        if (isBinary) return send({ ok: false, error: 'binary messages are not part of the control API; send JSON text' });
        const raw = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        const m = parseApiMessage(raw);
        if (typeof m === 'string') return send({ id: idOf(raw), ok: false, error: m });
        if (m.type === 'subscribe' || m.type === 'unsubscribe') {
          clearInterval(subs.get(m.stream));
          subs.delete(m.stream);
          if (m.type === 'subscribe') {
            const stream = m.stream;
            const timer = setInterval(() => {
              try {
                if (stream === 'features') {
                  const s = deps.getState();
                  send({ type: 'features', features: featuresJson(s.features), tempo: s.tempo });
                } else send({ type: 'state', state: snapshot() });
              } catch (e) {
                log.limited('warn', 'subscription', `subscription ${stream}: ${describeError(e)}`);
              }
            }, 1000 / m.rateHz);
            timer.unref();
            subs.set(stream, timer);
            timers.add(timer);
          }
          return send({ id: m.id, ok: true, type: m.type, stream: m.stream });
        }
        send({ id: m.id, ...run(m, authorized(remote, m.token ?? connToken), send) });
      } catch (e) {
        // A bug here must not take the show down: report it to the client and the log.
        log.limited('error', 'ws-handler', `control message failed: ${describeError(e)}`);
        send({ ok: false, error: `internal error: ${describeError(e)}` });
      }
    });
    socket.on('close', () => {
      for (const t of subs.values()) {
        clearInterval(t);
        timers.delete(t);
      }
      subs.clear();
    });
  });

  return {
    token,
    close() {
      for (const t of timers) clearInterval(t);
      timers.clear();
    },
  };
}

function bearer(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}
