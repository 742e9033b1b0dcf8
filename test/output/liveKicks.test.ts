/**
 * The whole chain as `npm start` builds it (startLive: audio → analysis → default mapping → generator →
 * /output), watched in real Chromium: the page records, for every frame it draws, how much the DISPLAYED
 * picture changed (read back from its canvas, ?record=1). Frames that follow a true kick of the demo track
 * must change more than the others, and the others must still change (the picture is alive).
 *
 * Live runs in real time, so on a loaded machine the engine and the page skip frames, and a change measured
 * across skipped frames blurs kicks and beats together (and a longer step changes more whatever the music). The
 * test therefore compares only changes between consecutive engine frames (one frame period apart), uses a tiny model (the default one needs most of two cores at 30 fps; the
 * default model's response to kicks is checked on the virtual clock in test/render/render-kicks.test.ts), and
 * watches until it has enough such frames rather than for a fixed time.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startLive, type LiveHandle } from '../../src/commands/live.js';
import { resolveConfig } from '../../src/config.js';
import { setLogLevel } from '../../src/log.js';
import { renderDemoTrack } from '../../src/audio/demo.js';
import { encodeWav } from '../../src/audio/wav.js';
import { tinyModel } from '../render/helpers.js';
import { ensurePagesBuilt, kickSplit, launchChromium, type RecordedFrame } from './helpers.js';

/** A frame is "on a kick" when a true kick lies within this window before its audio-time stamp. */
const KICK_WINDOW_S = 0.15;
/** Frames of each kind (on a kick, between kicks) to collect before comparing. */
const ENOUGH = 40;
/** How long to watch for them before failing: a stuck engine or page fails instead of hanging. */
const WATCH_MAX_MS = 120_000;

let live: LiveHandle | undefined;
let browser: Browser | undefined;
let dir: string | undefined;

after(async () => {
  await browser?.close();
  await live?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the displayed picture changes more on the demo track’s kicks than between them', { timeout: 170_000 }, async (t) => {
  setLogLevel('warn');
  ensurePagesBuilt();

  // The demo's main section (a kick on every beat) as a file, so the test does not wait through the intro.
  const demo = renderDemoTrack({ sampleRate: 44100 });
  const main = demo.truth.sections.find((s) => s.name !== 'intro') ?? demo.truth.sections[1]!;
  const lengthS = 14;
  const a = Math.round(main.start * demo.sampleRate);
  const b = a + Math.round(lengthS * demo.sampleRate);
  dir = mkdtempSync(join(tmpdir(), 'latentvj-kicks-'));
  const wav = join(dir, 'main.wav');
  writeFileSync(wav, encodeWav({ sampleRate: demo.sampleRate, channels: demo.channels.map((c) => c.slice(a, b)) }));
  const once = demo.truth.onsets.kick.filter((k) => k >= main.start && k < main.start + lengthS).map((k) => k - main.start);
  assert.ok(once.length > 10, `kicks in the excerpt: ${once.length}`);
  // The file loops in live mode (audio time keeps counting): the test may watch several passes.
  const passes = Math.ceil((WATCH_MAX_MS / 1000 + 60) / lengthS);
  const kicks = Array.from({ length: passes }, (_, n) => once.map((k) => k + n * lengthS)).flat();
  const model = await tinyModel(join(dir, 'tiny'));

  // `latentvj live --no-window --port 0 --no-osc --audio main.wav --model tiny`, defaults otherwise (fps, mapping).
  const cfg = resolveConfig(undefined, { audio: { source: wav }, generator: { model }, output: { port: 0, window: false }, control: { oscEnabled: false } });
  live = await startLive(cfg, { windows: false });

  browser = await launchChromium();
  // A small display: SwiftShader draws and reads it back cheaply on a loaded 2-core machine.
  const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${live.url}/output?fit=stretch&record=1`);

  await page.waitForFunction(() => (globalThis as unknown as { __latentvjRecord: RecordedFrame[] }).__latentvjRecord.length > 0, null, {
    timeout: 20_000,
  });
  // Watch until enough short changes of both kinds were drawn (bounded: a stuck page fails, it does not hang).
  const shortSteps = (all: RecordedFrame[]) => all.filter((f) => f.frame === f.prevFrame + 1);
  const watchEnd = performance.now() + WATCH_MAX_MS;
  let all: RecordedFrame[] = [];
  for (;;) {
    all = await page.evaluate(() => (globalThis as unknown as { __latentvjRecord: RecordedFrame[] }).__latentvjRecord.slice());
    const s = kickSplit(shortSteps(all), kicks, KICK_WINDOW_S);
    if ((s.kick.n >= ENOUGH && s.other.n >= 2 * ENOUGH) || performance.now() > watchEnd) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const frames = shortSteps(all);

  const split = kickSplit(frames, kicks, KICK_WINDOW_S);
  // Control: the same frames split at the off-beats (kicks moved half a beat) must not show the effect.
  const beatS = (kicks[kicks.length - 1]! - kicks[0]!) / (kicks.length - 1);
  const offbeat = kickSplit(frames, kicks.map((k) => k + beatS / 2), KICK_WINDOW_S);
  const skipped = all.reduce((n, f) => n + Math.max(0, f.frame - f.prevFrame - 1), 0);
  const spanS = all.length ? all[all.length - 1]!.audioT - all[0]!.audioT : 0;
  const stepsMs = all.map((f) => (f.audioT - f.prevAudioT) * 1000).sort((x, y) => x - y);
  const medianStepMs = stepsMs[Math.floor(stepsMs.length / 2)] ?? 0;
  t.diagnostic(
    `displayed ${all.length} frames over ${spanS.toFixed(1)} s of audio (${skipped} engine frames not displayed, median step ${medianStepMs.toFixed(0)} ms), ` +
      `${frames.length} of them one engine frame after the one before; ` +
      `mean |Δ displayed RGB| after kicks ${split.kick.mean.toFixed(2)} (n=${split.kick.n}), ` +
      `between kicks ${split.other.mean.toFixed(2)} (n=${split.other.n}), ratio ${(split.kick.mean / split.other.mean).toFixed(2)}; ` +
      `same split at the off-beats: ratio ${(offbeat.kick.mean / offbeat.other.mean).toFixed(2)}`,
  );

  assert.ok(split.kick.n >= ENOUGH && split.other.n >= 2 * ENOUGH, `short changes after kicks ${split.kick.n}, between ${split.other.n} (of ${all.length} displayed)`);
  assert.ok(split.other.mean > 0.5, `the picture changes between kicks too (mean ${split.other.mean.toFixed(2)})`);
  assert.ok(
    split.kick.mean > 1.2 * split.other.mean,
    `mean displayed change after kicks ${split.kick.mean.toFixed(2)} vs between kicks ${split.other.mean.toFixed(2)}`,
  );
  assert.ok(
    split.kick.mean / split.other.mean > offbeat.kick.mean / offbeat.other.mean,
    'the effect belongs to the kicks: the same frames split at the off-beats show a larger ratio',
  );
  assert.deepEqual(consoleErrors, []);
});
