/**
 * The picture moves with the music, on the virtual clock: the demo track's main section through the offline
 * pipeline (analysis, default mapping) and the real generator (default model, CPU), every frame rendered in
 * turn. Frames that follow a true kick change more than the others, and the others still change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from '../../src/rx.js';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { encodeWav } from '../../src/audio/wav.js';
import { defaultConfig } from '../../src/config.js';
import { createGenerator } from '../../src/generator/runtime/generator.js';
import { openOffline } from '../../src/pipeline/index.js';
import { setLogSink } from '../../src/log.js';

const FPS = 15;
const SECONDS = 5;
/** A frame is "on a kick" when a true kick lies within this window before its audio time. */
const KICK_WINDOW_S = 0.15;

test('frames change more on the demo track’s kicks than between them (every frame, virtual clock)', { timeout: 170_000 }, async (t) => {
  const restore = setLogSink({ write: () => undefined });
  const demo = renderDemoTrack({ sampleRate: 44100 });
  const main = demo.truth.sections.find((s) => s.name !== 'intro')!;
  const a = Math.round(main.start * demo.sampleRate);
  const b = a + SECONDS * demo.sampleRate;
  const dir = mkdtempSync(join(tmpdir(), 'lvj-picture-'));
  const wav = join(dir, 'main.wav');
  writeFileSync(wav, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.slice(a, b)) }));
  const kicks = demo.truth.onsets.kick.filter((k) => k >= main.start && k < main.start + SECONDS).map((k) => k - main.start);

  const cfg = defaultConfig();
  cfg.fps = FPS;
  cfg.audio.source = wav;
  const p = await openOffline(cfg);
  const generator = await createGenerator({ ...cfg.generator, modelDir: p.model!.dir, ep: 'cpu', threads: 1, warmupRuns: 0 });
  const diffs: Array<{ t: number; diff: number }> = [];
  try {
    let prev: Uint8Array | null = null;
    for await (const f of p.run.framesAsync()) {
      const next = firstValueFrom(generator.frames$);
      generator.submit(f.params, 0);
      const frame = await next;
      assert.equal(frame.frame, f.frame, 'every frame is rendered, in order');
      if (prev) {
        let sum = 0;
        for (let i = 0; i < frame.rgba.length; i += 4) sum += Math.abs(frame.rgba[i]! - prev[i]!) + Math.abs(frame.rgba[i + 1]! - prev[i + 1]!) + Math.abs(frame.rgba[i + 2]! - prev[i + 2]!);
        diffs.push({ t: f.t, diff: sum / (frame.rgba.length * 0.75) });
      }
      prev = frame.rgba.slice();
    }
  } finally {
    await generator.close();
    await p.close();
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(diffs.length, SECONDS * FPS);
  const onKick = (x: number): boolean => kicks.some((k) => x - k >= 0 && x - k < KICK_WINDOW_S);
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const kick = diffs.filter((d) => onKick(d.t)).map((d) => d.diff);
  const other = diffs.filter((d) => !onKick(d.t)).map((d) => d.diff);
  t.diagnostic(`mean |Δpixel| on kicks ${mean(kick).toFixed(2)} (n=${kick.length}), between kicks ${mean(other).toFixed(2)} (n=${other.length})`);
  assert.ok(kick.length >= 8 && other.length >= 8);
  assert.ok(mean(other) > 0.1, 'the picture changes between kicks too');
  assert.ok(mean(kick) > 1.2 * mean(other), `on kicks ${mean(kick).toFixed(2)} vs between ${mean(other).toFixed(2)}`);
});
