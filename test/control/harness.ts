/**
 * A small engine for control tests: the real Engine (frame clock), EngineServer, control stage and API, with a
 * stand-in audio source (silence that never ends, in real time) and a trivial mapper that exposes the control overrides as
 * targets on top of fixed base values. Everything on 127.0.0.1, ports chosen by the OS.
 */
import { Observable, firstValueFrom } from '../../src/rx.js';
import { Engine } from '../../src/pipeline/engine.js';
import { EngineServer } from '../../src/output/server.js';
import { createControl, type Control, type ControlDeps } from '../../src/control/index.js';
import { registerControlApi, type ControlApi, type ControlApiDeps } from '../../src/control/api.js';
import type { ControlConfigInput } from '../../src/control/config.js';
import type { MapperInput, MapperStage } from '../../src/contracts/stages.js';
import { neutralPostParams, type FrameParams } from '../../src/contracts/frameParams.js';
import { bareParams } from '../helpers/frameParams.js';
import type { AudioBlock } from '../../src/audio/types.js';

export const BASE_TARGETS: Record<string, number> = {
  truncation: 1,
  'post.brightness': 0,
  'post.contrast': 1,
  'noise.fast': 0,
  'section.position': 0,
};

export class OverrideMapper implements MapperStage {
  private current: Record<string, number> = { ...BASE_TARGETS };
  frames = 0;
  lastInput: MapperInput | null = null;
  /** Cue sources seen at 1, one entry per frame that saw them. */
  readonly cueFrames: string[] = [];
  frame(input: MapperInput): FrameParams {
    this.frames += 1;
    this.lastInput = input;
    for (const [k, v] of input.controls.values) if (k.startsWith('cue:') && v === 1) this.cueFrames.push(k);
    const next = { ...BASE_TARGETS };
    for (const [k, v] of input.controls.targets) if (k in next) next[k] = v;
    this.current = next;
    return bareParams(input.frame, input.t, {
      truncation: next.truncation!,
      scene: input.controls.scene,
      post: {
        ...neutralPostParams(),
        brightness: next['post.brightness']!,
        contrast: next['post.contrast']!,
        blackout: input.controls.blackout,
        freeze: input.controls.freeze,
      },
    });
  }
  targets(): Record<string, number> {
    return this.current;
  }
}

export interface Harness {
  control: Control;
  engine: Engine;
  server: EngineServer;
  mapper: OverrideMapper;
  api: ControlApi;
  baseUrl: string;
  wsUrl: string;
  /** Resolves after the next frame the engine ran. */
  nextFrame(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  cfg: ControlConfigInput = {},
  apiDeps: Partial<Omit<ControlApiDeps, 'getState'>> = {},
  fps = 30,
  controlDeps: Partial<ControlDeps> = {},
): Promise<Harness> {
  const mapper = new OverrideMapper();
  const control = await createControl({ oscPort: 0, ...cfg }, { targets: () => Object.keys(BASE_TARGETS), ...controlDeps });
  // Frames follow the audio clock: silence that never ends, 10 ms a block, delivered in real time.
  const audio = {
    info: { description: 'silence (test)', kind: 'demo' as const, sampleRate: 48000, channels: 1 },
    blocks$: new Observable<AudioBlock>((sub) => {
      let t0 = 0;
      const timer = setInterval(() => {
        sub.next({ sampleRate: 48000, t0, channels: [new Float32Array(480)] });
        t0 += 480;
      }, 10);
      return () => clearInterval(timer);
    }),
  };
  const engine = new Engine({ audio, control, mapper }, { fps });
  const server = new EngineServer({ host: '127.0.0.1', port: 0 });
  const api = registerControlApi(server, control, {
    host: '127.0.0.1',
    getState: () => ({
      targets: mapper.targets(),
      features: null,
      tempo: control.mergeTempo(null),
      fps,
      frames: engine.stats.frames,
    }),
    ...apiDeps,
  });
  const addr = await server.listen();
  engine.start();
  return {
    control,
    engine,
    server,
    mapper,
    api,
    baseUrl: `http://127.0.0.1:${addr.port}`,
    wsUrl: `ws://127.0.0.1:${addr.port}/control`,
    nextFrame: async () => {
      await firstValueFrom(engine.params$);
    },
    async close() {
      api.close();
      await engine.stop();
      await server.close();
    },
  };
}

export async function getState(h: Harness): Promise<{ targets: Record<string, number>; control: Record<string, unknown>; [k: string]: unknown }> {
  const r = await fetch(`${h.baseUrl}/api/state`);
  return (await r.json()) as { targets: Record<string, number>; control: Record<string, unknown> };
}

/**
 * Send datagrams in batches from this process and let the receiving socket (same event loop) drain between
 * batches, so that what is tested is our handling, not the kernel's socket buffer. Returns the packets received.
 */
export async function sendPaced(
  sock: import('node:dgram').Socket,
  port: number,
  packets: Buffer[],
  received: () => number,
  batch = 50,
): Promise<number> {
  const start = received();
  for (let i = 0; i < packets.length; i += batch) {
    const chunk = packets.slice(i, i + batch);
    await Promise.all(chunk.map((p) => new Promise<void>((r) => sock.send(p, port, '127.0.0.1', () => r()))));
    const want = start + i + chunk.length;
    for (let spin = 0; spin < 50 && received() < want; spin++) await new Promise((r) => setImmediate(r));
  }
  return received() - start;
}

/** Send one packet until the control has seen `address` (UDP may drop under load; at most 10 tries). */
export async function sendUntilSeen(
  h: Harness,
  sock: import('node:dgram').Socket,
  packet: Buffer,
  address: string,
): Promise<void> {
  let seen = false;
  const sub = h.control.events$.subscribe((e) => {
    if (e.kind === 'osc' && e.address === address) seen = true;
  });
  try {
    for (let i = 0; i < 10 && !seen; i++) {
      await new Promise<void>((r) => sock.send(packet, h.control.osc!.port, '127.0.0.1', () => r()));
      for (let k = 0; k < 20 && !seen; k++) await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    sub.unsubscribe();
  }
  if (!seen) throw new Error(`OSC ${address} never arrived after 10 sends`);
}
