/**
 * The monitor as the performer's surface, in real Chromium against a real EngineServer, outputs, mapper (watching
 * its file) and control stage with its ws API, wired as `latentvj live` wires them: a refused save shows as a
 * banner naming file:line until a good save clears it; the scene grid recalls scenes; the spacebar taps the tempo;
 * during a blackout the preview is black.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createControl, type Control } from '../../src/control/index.js';
import { registerControlApi, type ControlApi } from '../../src/control/api.js';
import { createMapper, type Mapper } from '../../src/mapping/index.js';
import type { ControlEvent } from '../../src/control/types.js';
import { setLogSink } from '../../src/log.js';
import { fakeManifest, fakeProvider } from '../mapping/helpers.js';
import { ensurePagesBuilt, launchChromium, openPage, makeFrame, startOutputs, testPattern, type Running } from './helpers.js';

const GOOD = `banks:
  a: { seeds: [1] }
  b: { seeds: [2] }
  c: { seeds: [3] }
latents:
  a: { bank: a }
  b: { bank: b }
  c: { bank: c }
sections:
  sets: { intro: [a], main: [b], drop: [c] }
  cueQuantise: beat
routes:
  - source: control:cue:flash
    target: post.brightness
  - source: 0.5
    target: truncation
`;
/** The same mapping with a misspelt target on the last route. */
const BAD = GOOD.replace('target: truncation', 'target: truncaton');
const BAD_LINE = BAD.split('\n').findIndex((l) => l.includes('truncaton')) + 1;

let dir: string;
let file: string;
let browser: Browser;
let engine: Running;
let page: Page;
let mapper: Mapper;
let control: Control;
let api: ControlApi;
let pump: NodeJS.Timeout | undefined;
let restoreLog: () => void;
const events: ControlEvent[] = [];
/** Page-side: the brightest channel of the preview canvas. */
const PREVIEW_MAX = `(() => {
  const c = document.getElementById('preview');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let m = 0;
  for (let i = 0; i < d.length; i += 4) m = Math.max(m, d[i], d[i + 1], d[i + 2]);
  return m;
})()`;
const consoleErrors: string[] = [];

interface ApiState {
  control: { scene: number | string; tempo: { leading: string; sources: { tap: { active: boolean; bpm: number } } } };
  mapping: { version: number; error: { file: string; line: number | null; text: string } | null };
}
const apiState = async (): Promise<ApiState> => (await (await fetch(engine.server.url('/api/state'))).json()) as ApiState;

/** Polls /api/state until `ok` holds (no time is asserted: the generous deadline only ends a broken run). */
async function untilState(ok: (s: ApiState) => boolean, what: string): Promise<ApiState> {
  const deadline = Date.now() + 15_000;
  let s = await apiState();
  while (!ok(s)) {
    if (Date.now() > deadline) assert.fail(`${what}; last /api/state: ${JSON.stringify({ control: s.control, mapping: s.mapping })}`);
    await new Promise((r) => setTimeout(r, 50));
    s = await apiState();
  }
  return s;
}

before(async () => {
  ensurePagesBuilt();
  restoreLog = setLogSink({ write: () => undefined });
  dir = mkdtempSync(join(tmpdir(), 'lvj-monitor-perform-'));
  file = join(dir, 'set.yaml');
  writeFileSync(file, GOOD);
  const manifest = fakeManifest(256);
  mapper = await createMapper({ file, manifest, latents: fakeProvider(manifest) });
  engine = await startOutputs(0, { stateHz: 30, previewFps: 10 });
  control = await createControl(
    { oscEnabled: false, midiInputs: [] },
    { targets: () => Object.keys(mapper.targets()), scenes: () => mapper.scenes(), mapping: () => ({ version: mapper.version, sources: mapper.sources() }) },
  );
  control.events$.subscribe((e) => events.push(e));
  api = registerControlApi(engine.server, control, {
    host: '127.0.0.1',
    getState: () => ({ targets: {}, features: null, tempo: null, fps: 0, mapping: mapper.status() }),
  });
  engine.outputs.setProviders({ targets: () => mapper.targets() });
  // The engine's frame loop in small: the mapper reads the controls, the outputs get its params and a picture.
  let k = 0;
  pump = setInterval(() => {
    k += 1;
    const p = mapper.frame({ frame: k, t: k / 20, dt: 1 / 20, features: null, controls: control.take(k / 20) });
    engine.outputs.params(p);
    engine.outputs.frame(makeFrame(k, 32, 32, testPattern(32, 32, k % 6), k / 20));
  }, 50);
  browser = await launchChromium();
  page = await openPage(browser, engine.server.url('/monitor'), { width: 1100, height: 700 }, consoleErrors);
});

after(async () => {
  clearInterval(pump);
  api?.close();
  await control?.close();
  await browser?.close();
  await engine?.close();
  await mapper?.close();
  restoreLog?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a refused save shows as a banner with file:line and the error until a good save clears it', async () => {
  await page.waitForSelector('#mapping-file:text-is("set.yaml")', { timeout: 15_000 });
  assert.match((await page.locator('#mapping-version').textContent()) ?? '', /^v1 · loaded /);
  assert.equal(await page.locator('#mapping-banner').isHidden(), true);

  writeFileSync(file, BAD);
  await page.locator('#mapping-banner').waitFor({ state: 'visible', timeout: 15_000 });
  const where = (await page.locator('#mapping-error-where').textContent()) ?? '';
  assert.ok(where.startsWith(`${file}:${BAD_LINE}`), `banner names ${file}:${BAD_LINE}, got '${where}'`);
  assert.match((await page.locator('#mapping-error-text').textContent()) ?? '', /truncaton.*did you mean 'truncation'/s);
  const s = await apiState();
  assert.equal(s.mapping.error?.line, BAD_LINE);
  assert.equal(s.mapping.version, 1, 'the refused save keeps version 1 running');
  const shot = join(mkdtempSync(join(tmpdir(), 'latentvj-monitor-')), 'monitor-banner.png');
  writeFileSync(shot, await page.screenshot({ type: 'png', fullPage: true }));
  console.log(`# monitor with the banner: ${shot}`);

  writeFileSync(file, GOOD.replace('source: 0.5', 'source: 0.6'));
  await page.locator('#mapping-banner').waitFor({ state: 'hidden', timeout: 15_000 });
  assert.match((await page.locator('#mapping-version').textContent()) ?? '', /^v2 · loaded /);
  assert.equal((await apiState()).mapping.error, null);
});

test('the scene grid shows the mapping\'s scenes and cues with the quantisation, and drives scenes', async () => {
  await page.waitForSelector('#scenes button[data-scene="drop"]', { timeout: 15_000 });
  const names = await page.locator('#scenes button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-scene')));
  assert.deepEqual(names, ['intro', 'main', 'drop', 'auto']);
  assert.equal(await page.locator('#quantise').textContent(), 'scenes change on the next beat');

  await page.click('#scenes button[data-scene="drop"]');
  await untilState((s) => s.control.scene === 'drop', 'clicking drop recalls scene drop');
  // Recalled, then shown once the quantised cue lands.
  await page.waitForSelector('#scenes button[data-scene="drop"].active.showing', { timeout: 15_000 });

  await page.click('#cues button[data-cue="flash"]');
  const deadline = Date.now() + 15_000;
  while (!events.some((e) => e.kind === 'cue' && e.name === 'flash') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(events.some((e) => e.kind === 'cue' && e.name === 'flash' && e.source === 'ws'), 'the cue button fires control:cue:flash');
});

test('the spacebar taps the tempo', async () => {
  // Focus sits on a scene button from the last test: space must tap, not press that button.
  await page.focus('#scenes button[data-scene="intro"]');
  const before = events.filter((e) => e.kind === 'tap').length;
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Space');
    // Taps at a performer's pace; the tempo the intervals give is folded into 70–180 BPM whatever they are.
    await page.waitForTimeout(250);
  }
  const s = await untilState((st) => st.control.tempo.leading === 'tap', 'four presses of the spacebar make the tap tempo lead');
  const bpm = s.control.tempo.sources.tap.bpm;
  assert.ok(bpm >= 70 && bpm <= 180, `tap tempo ${bpm} BPM`);
  assert.equal(events.filter((e) => e.kind === 'tap').length - before, 4);
  assert.equal((await apiState()).control.scene, 'drop', 'space did not press the focused scene button');
});

test('re-sync, half and double time reach the tempo', async () => {
  const bpm0 = (await apiState()).control.tempo.sources.tap.bpm;
  await page.click('#double');
  await untilState((s) => Math.abs(s.control.tempo.sources.tap.bpm - bpm0 * 2) < 1e-6, 'double time doubles the tapped tempo');
  await page.click('#half');
  await untilState((s) => Math.abs(s.control.tempo.sources.tap.bpm - bpm0) < 1e-6, 'half time halves it back');
  await page.click('#resync');
  const deadline = Date.now() + 15_000;
  while (!events.some((e) => e.kind === 'resync') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(events.some((e) => e.kind === 'resync' && e.source === 'ws'));
});

test('during a blackout the preview is black, as the output is', async () => {
  const previewMax = (): Promise<number> => page.evaluate(PREVIEW_MAX) as Promise<number>;
  await page.waitForFunction(() => (globalThis as unknown as { latentvjMonitor: { previews: number } }).latentvjMonitor.previews > 2, null, { timeout: 15_000 });
  assert.ok((await previewMax()) > 100, 'the preview shows the picture');
  await page.click('#blackout');
  await page.waitForFunction(`(${PREVIEW_MAX}) === 0`, null, { timeout: 15_000 });
  await page.waitForSelector('#blackout.on', { timeout: 15_000 });
  await page.click('#blackout');
  await page.waitForSelector('#blackout:not(.on)', { timeout: 15_000 });
  await page.waitForFunction(`(${PREVIEW_MAX}) > 100`, null, { timeout: 15_000 });
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { latentvjMonitor: { errors: string[] } }).latentvjMonitor.errors), []);
});
