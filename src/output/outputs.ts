import type { WebSocket, RawData } from 'ws';
import type { Features } from '../contracts/features.js';
import type { Frame } from '../contracts/model.js';
import type { FrameParams } from '../contracts/frameParams.js';
import type { EngineStats } from '../contracts/stats.js';
import type { GeneratorStats, OutputStage } from '../contracts/stages.js';
import { logger } from '../log.js';
import type { EngineServer } from './server.js';
import { FrameBroadcaster, type FrameClient } from './frameBroadcaster.js';
import { AudioClock, RateMeter, RollingSamples } from './latency.js';
import {
  FRAME_PROTOCOL_VERSION,
  neutralPost,
  type DisplayPost,
  type FeaturesSnapshot,
  type FramesServerMessage,
  type OutputStatsSnapshot,
  type StateMessage,
} from './protocol.js';
import { registerPages } from './pages.js';
import { outputConfigSchema } from './config.js';
import { echoable, finiteOr, logSnippet, parseBoundedJson } from '../boundedJson.js';

const log = logger('output');

/** Where the monitor's live numbers come from; the lead wires these to the engine, generator and mapper. */
export interface OutputProviders {
  engine?: () => EngineStats;
  generator?: () => GeneratorStats;
  /** The mapping's resolved target values (MapperStage.targets). */
  targets?: () => Record<string, number>;
  /**
   * Whether a /state client may press the panic buttons (remote address, `?token=` of its ws URL). Live wires the
   * control API's rule (a LAN-bound engine needs the printed token); without it every client may.
   */
  mayControl?: (remoteAddress: string | undefined, token: string | null) => boolean;
}

export interface OutputsOptions {
  /** Monitor snapshots per second on /state. */
  stateHz: number;
  /** Frames per second to preview clients (/frames?role=preview). */
  previewFps: number;
  /** Disconnect a client whose socket has not taken a frame for this long. */
  stallTimeoutMs: number;
  /** Folder with the built pages (dist/page); default: next to this module's build output. */
  pagesDir?: string;
  providers: OutputProviders;
  /** Engine clock (ms); must be the clock that stamps frames (performance.now by default). */
  now: () => number;
}

/** stateHz and previewFps default as the output section of the config does (its schema declares them). */
const OUTPUT_DEFAULTS = outputConfigSchema.parse({});

export const outputsDefaults = (): OutputsOptions => ({
  stateHz: OUTPUT_DEFAULTS.stateHz,
  previewFps: OUTPUT_DEFAULTS.previewFps,
  stallTimeoutMs: 10_000,
  providers: {},
  now: () => performance.now(),
});

/** The output stage the engine wires, plus what the monitor, the control API and tests read. */
export interface OutputsStage extends OutputStage {
  frame(frame: Frame): void;
  features(features: Features): void;
  params(params: FrameParams): void;
  stats(): OutputStatsSnapshot;
  /** The monitor's panic overrides; OR-ed with FrameParams.post. */
  readonly panic: { blackout: boolean; freeze: boolean };
  setPanic(which: 'blackout' | 'freeze', on: boolean): void;
  /** The post state the displays apply now. */
  post(): DisplayPost;
  /** Wire providers after construction (the engine is built after the outputs). */
  setProviders(p: OutputProviders): void;
  /** The newest state message the monitor would get (also served as GET /api/output/state). */
  snapshot(): StateMessage;
  close(): Promise<void>;
}

const numbersOf = (o: object): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out[k] = v;
  return out;
};

/**
 * Registers the display side on the engine's server: `/output` and `/monitor` pages, binary frames on
 * `/frames`, monitor state on `/state`, and `GET /api/output/state`. Returns the OutputStage the engine feeds.
 */
export function createOutputs(server: EngineServer, options: Partial<OutputsOptions> = {}): OutputsStage {
  const opts: OutputsOptions = { ...outputsDefaults(), ...options };
  const now = opts.now;
  let providers = opts.providers;
  const broadcaster = new FrameBroadcaster(now);
  const stateClients = new Set<WebSocket>();
  const displayRate = new Map<FrameClient, RateMeter>();
  /** Skipped-frame counts reported by each display (cumulative per page), and those of displays gone. */
  const displaySkipped = new Map<FrameClient, number>();
  let skippedGone = 0;
  const rateIn = new RateMeter();
  const audioToDisplay = new RollingSamples();
  const sendToDisplay = new RollingSamples();
  const audioClock = new AudioClock();
  const panic = { blackout: false, freeze: false };
  /** What the mapper asked for (before panic overrides). */
  const mapped = neutralPost();
  const current = neutralPost();
  let postText = JSON.stringify({ type: 'post', post: current } satisfies FramesServerMessage);
  let features: FeaturesSnapshot | null = null;
  const onsetMax = { all: 0, kick: 0, snare: 0, hats: 0 };
  const events = new Set<string>();

  registerPages(server, opts.pagesDir);

  const applyPost = (): void => {
    const blackout = mapped.blackout || panic.blackout;
    const freeze = mapped.freeze || panic.freeze;
    if (
      current.brightness === mapped.brightness &&
      current.contrast === mapped.contrast &&
      current.hueShift === mapped.hueShift &&
      current.trails === mapped.trails &&
      current.crossfade === mapped.crossfade &&
      current.scene === mapped.scene &&
      current.blackout === blackout &&
      current.freeze === freeze
    ) {
      return; // unchanged: nothing to send (post is sent on change only)
    }
    Object.assign(current, mapped);
    current.blackout = blackout;
    current.freeze = freeze;
    postText = JSON.stringify({ type: 'post', post: current } satisfies FramesServerMessage);
    broadcaster.broadcastText(postText);
  };

  server.ws('/frames', (socket, _req, url) => {
    const role = url.searchParams.get('role') === 'preview' ? 'preview' : 'display';
    const maxFps = Number(url.searchParams.get('maxFps') ?? (role === 'preview' ? opts.previewFps : 0)) || 0;
    const client = broadcaster.add(socket, { role, maxFps, stallTimeoutMs: opts.stallTimeoutMs });
    const rate = new RateMeter(256);
    if (role === 'display') displayRate.set(client, rate);
    socket.on('close', () => {
      displayRate.delete(client);
      skippedGone += displaySkipped.get(client) ?? 0;
      displaySkipped.delete(client);
    });
    client.sendNow(JSON.stringify({ type: 'hello', engineNow: now(), protocol: FRAME_PROTOCOL_VERSION } satisfies FramesServerMessage));
    client.sendNow(postText);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      // Total: whatever a page sends, the worst outcome is one rate-limited log line.
      try {
        const msg = parseMessage(data);
        if (typeof msg === 'string') {
          log.limited('warn', 'frames-msg', `/frames: ignored ${logSnippet(textOf(data))}: ${msg}`);
          return;
        }
        if (msg.type === 'ping') {
          // Only a short string or a finite number is echoed back; anything else is left out of the pong.
          const pong = { type: 'pong', id: echoable(msg.id), pageT: finiteOr(msg.pageT), engineNow: now() };
          client.sendNow(JSON.stringify(pong));
        } else if (msg.type === 'presented') {
          rate.mark(now());
          const skipped = finiteOr(msg.skipped);
          if (skipped !== undefined) displaySkipped.set(client, skipped);
          const sentAt = finiteOr(msg.sentAt);
          const presentedAt = finiteOr(msg.presentedAt);
          const audioT = finiteOr(msg.audioT);
          if (sentAt !== undefined && presentedAt !== undefined) sendToDisplay.push(presentedAt - sentAt);
          const capturedAt = audioT === undefined ? null : audioClock.engineMsAt(audioT);
          if (capturedAt !== null && presentedAt !== undefined) audioToDisplay.push(presentedAt - capturedAt);
        }
      } catch (e) {
        log.limited('error', 'frames-handler', `/frames: a message failed: ${(e as Error).message}`);
      }
    });
  });

  server.ws('/state', (socket, req, url) => {
    const mayControl = providers.mayControl?.(req.socket.remoteAddress, url.searchParams.get('token')) ?? true;
    stateClients.add(socket);
    socket.on('close', () => stateClients.delete(socket));
    socket.send(JSON.stringify(snapshot()));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      try {
        const msg = parseMessage(data);
        const value = typeof msg === 'object' ? msg.value : undefined;
        const on = typeof value === 'boolean' ? value : typeof value === 'number' && Number.isFinite(value) ? value > 0 : null;
        if (typeof msg === 'object' && msg.type === 'set' && (msg.target === 'output.blackout' || msg.target === 'output.freeze') && on !== null) {
          if (!mayControl) {
            log.limited('warn', 'state-auth', `/state: ${msg.target} refused: this engine is bound to the LAN; open the monitor with ?token=<the token printed at start>`);
            return;
          }
          stage.setPanic(msg.target === 'output.blackout' ? 'blackout' : 'freeze', on);
        } else {
          const why = typeof msg === 'string' ? `: ${msg}` : '';
          log.limited('warn', 'state-msg', `/state: ignored ${logSnippet(textOf(data))}${why}; expected {"type":"set","target":"output.blackout"|"output.freeze","value":0|1}`);
        }
      } catch (e) {
        log.limited('error', 'state-handler', `/state: a message failed: ${(e as Error).message}`);
      }
    });
  });

  server.route('GET /api/output/state', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(snapshot()));
  });

  const stats = (): OutputStatsSnapshot => {
    const t = now();
    const totals = broadcaster.totals();
    let fpsPresented = 0;
    for (const r of displayRate.values()) fpsPresented = Math.max(fpsPresented, r.perSecond(t));
    return {
      clients: displayRate.size,
      previews: broadcaster.clients.size - displayRate.size,
      framesIn: broadcaster.framesIn,
      framesSent: totals.sent,
      framesDropped: totals.dropped,
      framesSkippedAtDisplays: skippedGone + [...displaySkipped.values()].reduce((a, b) => a + b, 0),
      fpsIn: rateIn.perSecond(t),
      fpsPresented,
      audioToDisplayMs: audioToDisplay.summary(),
      sendToDisplayMs: sendToDisplay.summary(),
    };
  };

  const snapshot = (): StateMessage => {
    const msg: StateMessage = {
      type: 'state',
      engineNow: now(),
      features: features && {
        ...features,
        onsetMax: { ...onsetMax },
        events: [...events],
      },
      post: { ...current },
      targets: safeCall(providers.targets) ?? {},
      output: stats(),
      engine: {},
      panic: { ...panic },
      control: server.hasWs('/control'),
    };
    const e = safeCall(providers.engine);
    if (e) msg.engine.engine = numbersOf(e);
    const g = safeCall(providers.generator);
    if (g) msg.engine.generator = { fps: g.fps, msMedian: g.msMedian, msP95: g.msP95, dropped: g.dropped, ep: g.ep };
    return msg;
  };

  // The monitor's feed: a snapshot at stateHz, only while someone watches. Peak-holds reset per snapshot.
  const timer = setInterval(() => {
    if (stateClients.size === 0) return;
    const text = JSON.stringify(snapshot());
    onsetMax.all = onsetMax.kick = onsetMax.snare = onsetMax.hats = 0;
    events.clear();
    for (const s of stateClients) {
      // A monitor that cannot keep up skips snapshots; they are state, not history.
      if (s.bufferedAmount < 1 << 16) s.send(text);
    }
  }, 1000 / opts.stateHz);
  timer.unref();

  const stage: OutputsStage = {
    name: 'output',
    panic,
    frame(frame: Frame): void {
      const t = now();
      rateIn.mark(t);
      broadcaster.publish(frame, frame.stamps.sentAt ?? t);
    },
    features(f: Features): void {
      audioClock.observe(f.t, now());
      if (!features) {
        features = {
          t: 0, chroma: new Array<number>(12).fill(0), bassChroma: new Array<number>(12).fill(0),
          onset: { all: 0, kick: 0, snare: 0, hats: 0 }, onsetMax: { all: 0, kick: 0, snare: 0, hats: 0 }, events: [],
          rms: 0, rmsSlow: 0, bandRms: { low: 0, mid: 0, high: 0 }, novelty: 0, section: 0,
          tempo: { bpm: 0, beatPhase: 0, barPhase: 0, confidence: 0, source: '' },
        };
      }
      // Copied into one reused record: features arrive at the hop rate (~100 Hz).
      features.t = f.t;
      for (let i = 0; i < 12; i++) {
        features.chroma[i] = f.chroma[i] ?? 0;
        features.bassChroma[i] = f.bassChroma[i] ?? 0;
      }
      Object.assign(features.onset, f.onset);
      onsetMax.all = Math.max(onsetMax.all, f.onset.all);
      onsetMax.kick = Math.max(onsetMax.kick, f.onset.kick);
      onsetMax.snare = Math.max(onsetMax.snare, f.onset.snare);
      onsetMax.hats = Math.max(onsetMax.hats, f.onset.hats);
      for (const e of f.events) events.add(e);
      features.rms = f.rms;
      features.rmsSlow = f.rmsSlow;
      Object.assign(features.bandRms, f.bandRms);
      features.novelty = f.novelty;
      features.section = f.section;
      Object.assign(features.tempo, f.tempo);
    },
    params(p: FrameParams): void {
      const post = p.post;
      mapped.brightness = post.brightness;
      mapped.contrast = post.contrast;
      mapped.hueShift = post.hueShift;
      mapped.trails = post.trails;
      mapped.crossfade = post.crossfade;
      mapped.blackout = post.blackout;
      mapped.freeze = post.freeze;
      mapped.scene = p.scene;
      applyPost();
    },
    stats,
    setPanic(which, on) {
      if (panic[which] === on) return;
      panic[which] = on;
      log.info(`${which} ${on ? 'on' : 'off'} (monitor)`);
      applyPost();
    },
    post: () => ({ ...current }),
    setProviders(p) {
      providers = { ...providers, ...p };
    },
    snapshot,
    async close(): Promise<void> {
      clearInterval(timer);
      for (const c of [...broadcaster.clients]) broadcaster.remove(c);
    },
  };
  return stage;
}

/** A page message: a flat JSON object with a string `type`, or why it is not one. Fields stay unknown until checked. */
function parseMessage(data: RawData): ({ type: string } & Record<string, unknown>) | string {
  const parsed = parseBoundedJson(textOf(data));
  if (!parsed.ok) return parsed.error;
  const v = parsed.value;
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof (v as { type?: unknown }).type !== 'string') {
    return 'not a JSON object with a "type"';
  }
  return v as { type: string } & Record<string, unknown>;
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** A provider that throws must not take the monitor down. */
function safeCall<T>(fn: (() => T) | undefined): T | undefined {
  if (!fn) return undefined;
  try {
    return fn();
  } catch (e) {
    log.limited('warn', 'provider', `monitor provider failed: ${(e as Error).message}`);
    return undefined;
  }
}
