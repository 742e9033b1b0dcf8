/**
 * The monitor page in real Chromium against a real EngineServer + outputs fed with features, params and
 * frames: it loads without console errors, its meters move, the preview shows frames, the mapping routes
 * appear, and the blackout button reaches the output stage. Saves a screenshot (path printed) to look at.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createControl, type Control } from '../../src/control/index.js';
import { registerControlApi } from '../../src/control/api.js';
import type { ControlApi } from '../../src/control/api.js';
import { ensurePagesBuilt, features, launchChromium, openPage, makeFrame, paramsWith, startOutputs, testPattern, type Running } from './helpers.js';

let browser: Browser;
let engine: Running;
let page: Page;
const consoleErrors: string[] = [];
let t = 0;
let frameNo = 0;
let pump: NodeJS.Timeout | undefined;
let control: Control;
let api: ControlApi;

interface MonitorState {
  states: number;
  previews: number;
  errors: string[];
}
const monitor = (p: Page) => p.evaluate(() => (globalThis as unknown as { latentvjMonitor: MonitorState }).latentvjMonitor);

before(async () => {
  ensurePagesBuilt();
  engine = await startOutputs(0, { stateHz: 30, previewFps: 10 });
  // The real control stage and its ws API on the same port, as `latentvj live` wires them.
  // One controller on the MIDI layer below the native port (TESTING.md), so learn has an input to arm on.
  const oneController = {
    inputNames: () => ['nanoKONTROL2'],
    outputNames: () => [],
    openInput: () => ({ close: () => undefined }),
    openOutput: () => ({ send: () => undefined, close: () => undefined }),
  };
  control = await createControl(
    { oscEnabled: false, midiRescanS: 0 },
    { targets: () => ['truncation', 'bend.zoom', 'post.hueShift'], midi: oneController },
  );
  api = registerControlApi(engine.server, control, {
    host: '127.0.0.1',
    getState: () => ({ targets: {}, features: null, tempo: null, fps: 0 }),
  });
  let kick = 0;
  engine.outputs.setProviders({
    targets: () => ({ 'truncation': 0.7 + 0.2 * Math.sin(t), 'bend.zoom': 1 + kick, 'post.hueShift': (t / 8) % 1 }),
    generator: () => ({ fps: 24, msMedian: 31.5, msP95: 40.2, dropped: 3, ep: 'cpu' }),
    engine: () => ({ frames: frameNo, missedTicks: 0, hops: 0, audioBlocks: 0, audioT: t, mapperMsLast: 0.01, mapperMsMax: 0.02, framesOut: frameNo, frameJitterMsLast: 2.5, frameJitterMsMax: 4 }),
  });
  // A stand-in for the engine's streams at a realistic pace: features at 100 Hz (a kick every 0.5 s), frames at 20 fps.
  pump = setInterval(() => {
    for (let i = 0; i < 5; i++) {
      t += 0.01;
      const onKick = Math.abs((t % 0.5) - 0.01) < 0.005;
      kick = onKick ? 1 : kick * 0.9;
      engine.outputs.features(features(t, 0.2 + 0.8 * kick, onKick ? ['kick', 'onset', 'beat'] : []));
    }
    frameNo += 1;
    engine.outputs.params(paramsWith({}, Math.floor(t / 2), frameNo));
    engine.outputs.frame(makeFrame(frameNo, 64, 64, testPattern(64, 64, frameNo % 6), t));
  }, 50);
  browser = await launchChromium();
  page = await openPage(browser, engine.server.url('/monitor'), { width: 1100, height: 560 }, consoleErrors);
});

after(async () => {
  clearInterval(pump);
  api?.close();
  await control?.close();
  await browser?.close();
  await engine?.close();
});

test('the monitor loads without errors and its meters move', async () => {
  await page.waitForFunction(() => {
    const m = (globalThis as unknown as { latentvjMonitor: MonitorState }).latentvjMonitor;
    return m.states > 5 && m.previews > 1;
  }, null, { timeout: 10_000 });
  const chroma = page.locator('#chroma');
  const onsets = page.locator('#onsets');
  const a = [await chroma.screenshot(), await onsets.screenshot()];
  const before = (await monitor(page)).states;
  await page.waitForFunction((n) => (globalThis as unknown as { latentvjMonitor: MonitorState }).latentvjMonitor.states > n + 15, before, { timeout: 10_000 });
  const b = [await chroma.screenshot(), await onsets.screenshot()];
  assert.ok(!a[0]!.equals(b[0]!), 'the chroma wheel did not change while the chroma moved');
  assert.ok(!a[1]!.equals(b[1]!), 'the onset plot did not scroll');

  const routes = await page.locator('#routes .route .name').allTextContents();
  assert.deepEqual(routes.sort(), ['bend.zoom', 'post.hueShift', 'truncation']);
  assert.match((await page.locator('#infer').textContent()) ?? '', /31\.5/);
  assert.equal(await page.locator('#jitter').textContent(), '2.5 (max 4.0)', 'the pacing clock\'s frame-time jitter');
  assert.match((await page.locator('#preview-label').textContent()) ?? '', /64×64/);

  const dir = mkdtempSync(join(tmpdir(), 'latentvj-monitor-'));
  const file = join(dir, 'monitor.png');
  writeFileSync(file, await page.screenshot({ type: 'png' }));
  console.log(`# monitor screenshot: ${file}`);

  assert.deepEqual((await monitor(page)).errors, []);
  assert.deepEqual(consoleErrors, []);
});

test('the blackout button reaches the output stage and shows its state', async () => {
  await page.click('#blackout');
  const deadline = Date.now() + 5000;
  while (!engine.outputs.panic.blackout && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(engine.outputs.panic.blackout, true);
  assert.equal(engine.outputs.post().blackout, true);
  // The control stage heard it too (its state feeds the mapper, MIDI feedback and OSC).
  const end2 = Date.now() + 5000;
  while (!control.state().blackout && Date.now() < end2) await new Promise((r) => setTimeout(r, 20));
  assert.equal(control.state().blackout, true);
  await page.waitForSelector('#blackout.on', { timeout: 5000 });
  await page.click('#blackout');
  await page.waitForSelector('#blackout:not(.on)', { timeout: 5000 });
  assert.equal(engine.outputs.panic.blackout, false);
  const end3 = Date.now() + 5000;
  while (control.state().blackout && Date.now() < end3) await new Promise((r) => setTimeout(r, 20));
  assert.equal(control.state().blackout, false);
});

test('MIDI learn: pick a route, press learn, the control API arms learning for it', async () => {
  await page.click('#routes .route:has-text("truncation")');
  await page.click('#learn');
  await page.waitForSelector('#learn-status:text-is("move a MIDI control for truncation")', { timeout: 5000 });
});
