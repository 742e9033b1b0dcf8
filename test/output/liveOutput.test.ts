/**
 * /output against the running engine on the demo track (startLive: demo → analysis → default mapping →
 * generator → outputs), in real Chromium: the picture moves, and with freeze on, the screen is exactly the
 * frame the engine sent last (captured by a Node client on /frames); blackout gives black.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { startLive, type LiveHandle } from '../../src/commands/live.js';
import { resolveConfig } from '../../src/config.js';
import { setLogLevel } from '../../src/log.js';
import { connectFrames, type FramesClient } from '../../src/output/framesClient.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyModel } from '../render/helpers.js';
import { compareUpscaled, decodePng, ensurePagesBuilt, launchChromium, maxChannel } from './helpers.js';

let live: LiveHandle;
let browser: Browser;
let page: Page;
let frames: FramesClient;
let dir: string | undefined;
/** The newest frames the engine sent, by number (copied: the callback's view is only valid during it). */
const sent = new Map<number, { width: number; height: number; rgba: Uint8Array }>();
const consoleErrors: string[] = [];

interface OutputState {
  lastFrame: number;
  width: number;
  height: number;
  post: { freeze: boolean; blackout: boolean };
}
const outputState = () => page.evaluate(() => (globalThis as unknown as { latentvjOutput: OutputState }).latentvjOutput);

async function shot() {
  await page.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    return new Promise<void>((r) => raf(() => raf(() => r())));
  });
  return decodePng(await page.screenshot({ type: 'png' }));
}

/** The monitor's panic override, sent the way the monitor sends it. */
async function setPanic(target: 'output.freeze' | 'output.blackout', on: boolean): Promise<void> {
  const ws = new WebSocket(`${live.url.replace('http', 'ws')}/state`);
  await new Promise<void>((r) => ws.once('open', () => r()));
  ws.send(JSON.stringify({ type: 'set', target, value: on ? 1 : 0 }));
  ws.close();
}

before(async () => {
  setLogLevel('warn');
  ensurePagesBuilt();
  // A tiny model: what is checked is what the page shows of the frames sent, whatever the model; the default one
  // would take most of two cores, which the test running beside this one needs too.
  dir = mkdtempSync(join(tmpdir(), 'latentvj-live-output-'));
  const model = await tinyModel(join(dir, 'tiny'));
  const cfg = resolveConfig(undefined, { fps: 15, audio: { source: 'demo' }, generator: { model }, output: { port: 0, window: false }, control: { oscEnabled: false } });
  live = await startLive(cfg, { windows: false });
  frames = await connectFrames(`${live.url}/frames`, (h, px) => {
    sent.set(h.frame, { width: h.width, height: h.height, rgba: Uint8Array.from(px) });
    if (sent.size > 60) sent.delete(sent.keys().next().value!);
  });
  browser = await launchChromium();
  // The display at the model's own size (32²), so the frozen screen can be compared 1:1 with the frame sent.
  page = await browser.newPage({ viewport: { width: 32, height: 32 }, deviceScaleFactor: 1 });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${live.url}/output?fit=stretch`);
});

after(async () => {
  await frames?.close();
  await browser?.close();
  await live?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the picture on /output moves with the demo track, freeze shows exactly the last frame sent, blackout is black', { timeout: 60_000 }, async () => {
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: OutputState }).latentvjOutput.lastFrame >= 0, null, { timeout: 30_000 });
  const first = await outputState();
  const a = await shot();
  // 2.1 s of audio later: more than a bar, so a chord change has moved the latents even in the quiet intro.
  await page.waitForFunction((n) => (globalThis as unknown as { latentvjOutput: OutputState }).latentvjOutput.lastFrame > n + 32, first.lastFrame, { timeout: 20_000 });
  const b = await shot();
  let diff = 0;
  for (let i = 0; i < a.data.length; i += 4) diff += Math.abs(a.data[i]! - b.data[i]!);
  assert.ok(diff / (a.data.length / 4) > 1, `the picture did not move between frames ${first.lastFrame} and later (mean diff ${(diff / (a.data.length / 4)).toFixed(2)})`);

  await setPanic('output.freeze', true);
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: OutputState }).latentvjOutput.post.freeze, null, { timeout: 5000 });
  const frozen = await outputState();
  const shown = sent.get(frozen.lastFrame);
  assert.ok(shown, `frame ${frozen.lastFrame} on screen was not among the frames the engine sent (${[...sent.keys()].slice(-5).join(', ')})`);
  const img = await shot();
  // The default mapping leaves the colour post neutral; a preset with trails or brightness would need a tolerance here.
  // A frame at 1:1 with the display: bicubic at texel centres is the identity, so only rounding remains.
  const err = compareUpscaled(img, shown.rgba, shown.width, shown.height);
  assert.ok(err.mean < 1 && err.p99 <= 3, `the frozen screen differs from frame ${frozen.lastFrame}: mean ${err.mean.toFixed(2)}, p99 ${err.p99}`);
  const later = await shot();
  assert.ok(Buffer.from(later.data).equals(Buffer.from(img.data)), 'freeze did not hold');

  await setPanic('output.blackout', true);
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: OutputState }).latentvjOutput.post.blackout, null, { timeout: 5000 });
  assert.equal(maxChannel(await shot()), 0);
  await setPanic('output.blackout', false);
  await setPanic('output.freeze', false);
  assert.deepEqual(consoleErrors, []);
});
