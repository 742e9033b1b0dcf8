/**
 * The output page in real Chromium (SwiftShader WebGL) against a real EngineServer + outputs: the picture on
 * screen is the last frame sent (within upscaling tolerance), it follows new frames, blackout gives black,
 * freeze holds, the aspect fit leaves bars, latency reports come back, and the page survives an engine restart.
 */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  compareUpscaled,
  decodePng,
  ensurePagesBuilt,
  features,
  launchChromium,
  makeFrame,
  maxChannel,
  paramsWith,
  startOutputs,
  testPattern,
  type Running,
} from './helpers.js';

const FW = 64;
const FH = 48;
let browser: Browser;
let engine: Running;
let page: Page;
const consoleErrors: string[] = [];

interface PageState {
  connected: boolean;
  lastFrame: number;
  framesDrawn: number;
  composesSinceFrame: number;
  post: { blackout: boolean; freeze: boolean; scene: number | string };
  errors: string[];
}

// Post parameters reach every page: a test that fails half-way must not leave trails or a scene on for the next.
afterEach(() => engine.outputs.params(paramsWith({})));

const pageState = (p: Page) => p.evaluate(() => (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput);

async function waitDrawn(p: Page, frame: number): Promise<void> {
  await p.waitForFunction((n) => {
    const s = (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput;
    return s.lastFrame === n && s.framesDrawn > 0;
  }, frame, { timeout: 10_000 });
}

async function waitPost(p: Page, key: 'blackout' | 'freeze', on: boolean): Promise<void> {
  await p.waitForFunction(([k, v]) => (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput.post[k as 'blackout'] === v, [key, on] as const, { timeout: 10_000 });
}

/** Two animation frames: the draw that followed a state change has reached the compositor. */
const settle = (p: Page) =>
  p.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    return new Promise<void>((r) => raf(() => raf(() => r())));
  });

async function shot(p: Page) {
  await settle(p);
  return decodePng(await p.screenshot({ type: 'png' }));
}

before(async () => {
  ensurePagesBuilt();
  engine = await startOutputs();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 256, height: 192 }, deviceScaleFactor: 1 });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(engine.server.url('/output?fit=stretch'));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput.connected, null, { timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  await engine?.close();
});

test('the displayed image is the last frame sent, upscaled 4x, and it follows new frames', async () => {
  const a = testPattern(FW, FH, 0);
  const b = testPattern(FW, FH, 1);
  engine.outputs.frame(makeFrame(1, FW, FH, testPattern(FW, FH, 5)));
  engine.outputs.frame(makeFrame(2, FW, FH, a));
  await waitDrawn(page, 2);
  const shotA = await shot(page);
  assert.equal(shotA.width, 256);
  const errA = compareUpscaled(shotA, a, FW, FH);
  assert.ok(errA.mean < 3 && errA.p99 < 12, `frame 2 on screen differs from the frame sent: mean ${errA.mean.toFixed(2)}, p99 ${errA.p99}`);

  engine.outputs.frame(makeFrame(3, FW, FH, b));
  await waitDrawn(page, 3);
  const shotB = await shot(page);
  const errB = compareUpscaled(shotB, b, FW, FH);
  assert.ok(errB.mean < 3 && errB.p99 < 12, `frame 3: mean ${errB.mean.toFixed(2)}, p99 ${errB.p99}`);
  const stale = compareUpscaled(shotB, a, FW, FH);
  assert.ok(stale.mean > 30, `the picture did not change with the new frame (mean diff to the old one ${stale.mean.toFixed(1)})`);
});

test('blackout gives black, and the picture comes back when it is released', async () => {
  engine.outputs.params(paramsWith({ blackout: true }));
  await waitPost(page, 'blackout', true);
  assert.equal(maxChannel(await shot(page)), 0, 'blackout left light on screen');
  engine.outputs.params(paramsWith({ blackout: false }));
  await waitPost(page, 'blackout', false);
  assert.ok(maxChannel(await shot(page)) > 200, 'the picture did not come back after blackout');
  // The monitor's panic override works the same way, without the mapper.
  engine.outputs.setPanic('blackout', true);
  await waitPost(page, 'blackout', true);
  assert.equal(maxChannel(await shot(page)), 0, 'panic blackout left light on screen');
  engine.outputs.setPanic('blackout', false);
  await waitPost(page, 'blackout', false);
});

test('freeze holds the picture while frames keep coming, and releases to the newest', async () => {
  const held = testPattern(FW, FH, 2);
  engine.outputs.frame(makeFrame(10, FW, FH, held));
  await waitDrawn(page, 10);
  engine.outputs.params(paramsWith({ freeze: true }));
  await waitPost(page, 'freeze', true);
  const newer = testPattern(FW, FH, 3);
  for (let f = 11; f <= 14; f++) engine.outputs.frame(makeFrame(f, FW, FH, newer));
  // The broadcaster may skip 11..13 (newest wins); 14 always arrives.
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { lastReceived: number } }).latentvjOutput.lastReceived === 14);
  const frozen = compareUpscaled(await shot(page), held, FW, FH);
  assert.ok(frozen.mean < 3, `freeze did not hold the picture (mean diff ${frozen.mean.toFixed(2)})`);
  engine.outputs.params(paramsWith({ freeze: false }));
  await waitDrawn(page, 14);
  const released = compareUpscaled(await shot(page), newer, FW, FH);
  assert.ok(released.mean < 3, `after freeze the newest frame is not shown (mean diff ${released.mean.toFixed(2)})`);
});

test('colour post: brightness and contrast change the picture the expected way', async () => {
  const flat = new Uint8Array(FW * FH * 4).fill(100);
  engine.outputs.frame(makeFrame(20, FW, FH, flat));
  await waitDrawn(page, 20);
  const base = (await shot(page)).data[0]!;
  assert.ok(Math.abs(base - 100) <= 2, `flat grey 100 shows as ${base}`);
  engine.outputs.params(paramsWith({ brightness: 0.2 }));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { brightness: number } } }).latentvjOutput.post.brightness > 0.1);
  const brighter = (await shot(page)).data[0]!;
  assert.ok(Math.abs(brighter - (100 + 51)) <= 3, `brightness +0.2 on 100 gave ${brighter}, expected about 151`);
  engine.outputs.params(paramsWith({ contrast: 2 }));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { contrast: number } } }).latentvjOutput.post.contrast > 1.5);
  const contrasted = (await shot(page)).data[0]!;
  // (100/255 − 0.5)·2 + 0.5 = 0.284 → 72
  assert.ok(Math.abs(contrasted - 72) <= 3, `contrast 2 on 100 gave ${contrasted}, expected about 72`);

  // Half a turn of hue takes red to the opposite side of the wheel (cyan-ish): red falls, green and blue rise.
  const red = new Uint8Array(FW * FH * 4);
  for (let i = 0; i < red.length; i += 4) red.set([200, 40, 40, 255], i);
  engine.outputs.params(paramsWith({ hueShift: 0.5 }));
  engine.outputs.frame(makeFrame(21, FW, FH, red));
  await waitDrawn(page, 21);
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { hueShift: number } } }).latentvjOutput.post.hueShift === 0.5);
  const [r, g, b] = (await shot(page)).data;
  assert.ok(r! < 90 && g! > 90 && b! > 90, `hue shift 0.5 of (200,40,40) gave (${r},${g},${b})`);
  engine.outputs.params(paramsWith({}));
});

/**
 * White composed over black `k` times with trails `t`, in the 8-bit framebuffer the page composes into: what the
 * picture shows after the k-th composed picture of the new frame.
 */
function trailsAfter(k: number, t: number): number {
  let v = 0;
  for (let i = 0; i < k; i++) v = Math.round((1 - t) * 255 + t * v);
  return v;
}

test('trails blend the previous pictures in, and a scene change crossfades from the old scene', async () => {
  const black = new Uint8Array(FW * FH * 4).fill(0);
  const white = new Uint8Array(FW * FH * 4).fill(255);
  engine.outputs.frame(makeFrame(60, FW, FH, black));
  await waitDrawn(page, 60);
  engine.outputs.params(paramsWith({ trails: 0.95 }));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { trails: number } } }).latentvjOutput.post.trails > 0.9);
  engine.outputs.frame(makeFrame(61, FW, FH, white));
  await waitDrawn(page, 61);
  // Each composed picture moves 5 % of the way to white. How many there were before the screenshot depends on
  // how fast this machine draws, so the page's own count brackets it, and the picture must match that count.
  const composedBefore = (await pageState(page)).composesSinceFrame;
  const trailing = (await shot(page)).data[0]!;
  const composedAfter = (await pageState(page)).composesSinceFrame;
  const lo = trailsAfter(composedBefore, 0.95);
  const hi = trailsAfter(composedAfter, 0.95);
  assert.ok(trailing >= lo - 3 && trailing <= hi + 3, `with trails 0.95, ${composedBefore}–${composedAfter} pictures after black→white show ${trailing}, expected ${lo}–${hi}`);
  assert.ok(trailing < 252, `trails 0.95 never reach white in 8 bits, but the picture shows ${trailing}`);

  engine.outputs.params(paramsWith({ trails: 0 }));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { trails: number } } }).latentvjOutput.post.trails === 0);
  assert.ok((await shot(page)).data[0]! >= 254, 'without trails the picture is the frame itself');

  // Scene 'b' with crossfade 0.8: the old (white) scene's last picture still dominates the new black one.
  engine.outputs.params(paramsWith({ crossfade: 0.8 }, 'b'));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput.post.scene === 'b');
  engine.outputs.frame(makeFrame(62, FW, FH, black));
  await waitDrawn(page, 62);
  const fading = (await shot(page)).data[0]!;
  assert.ok(Math.abs(fading - 204) <= 3, `crossfade 0.8 from white to black should show about 204, got ${fading}`);
  engine.outputs.params(paramsWith({ crossfade: 0.25 }, 'b'));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { crossfade: number } } }).latentvjOutput.post.crossfade === 0.25);
  const later = (await shot(page)).data[0]!;
  assert.ok(Math.abs(later - 64) <= 3, `crossfade 0.25 should show about 64, got ${later}`);
  engine.outputs.params(paramsWith({ crossfade: 0 }, 'b'));
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: { post: { crossfade: number } } }).latentvjOutput.post.crossfade === 0);
  assert.ok((await shot(page)).data[0]! <= 1, 'crossfade 0 shows the new scene only');
});

test('displays report latency back; the engine collects it', async () => {
  for (let i = 0; i < 20; i++) engine.outputs.features(features(i * 0.01, 0.5));
  const audioT = 19 * 0.01;
  for (let f = 30; f < 36; f++) {
    engine.outputs.frame(makeFrame(f, FW, FH, testPattern(FW, FH, f), audioT));
    await waitDrawn(page, f);
  }
  await settle(page);
  // Reports travel back over ws: poll the engine's own figures (no sleeping on a guess).
  const deadline = Date.now() + 5000;
  while (engine.outputs.stats().sendToDisplayMs.n < 3 && Date.now() < deadline) await settle(page);
  const s = engine.outputs.stats();
  assert.ok(s.sendToDisplayMs.n >= 3, `only ${s.sendToDisplayMs.n} presented reports arrived`);
  assert.ok(s.sendToDisplayMs.median > 0 && s.sendToDisplayMs.median < 5000, `send→display ${s.sendToDisplayMs.median} ms`);
  // A frame is sent after the audio it shows was heard, so its audio→display time is the longer of its two. Compare
  // the newest report's pair (a frame of this test): the medians mix in earlier tests' frames, which carry no audio
  // time and may have been displayed later.
  assert.ok(s.audioToDisplayMs.n >= 3 && s.audioToDisplayMs.last >= s.sendToDisplayMs.last - 1, `audio→display ${JSON.stringify(s.audioToDisplayMs)}, send→display ${JSON.stringify(s.sendToDisplayMs)}`);
  assert.equal(s.clients, 1);
  const pageSkipped = await page.evaluate(() => (globalThis as unknown as { latentvjOutput: { framesSkipped: number } }).latentvjOutput.framesSkipped);
  assert.ok(s.framesSkippedAtDisplays <= pageSkipped, `${s.framesSkippedAtDisplays} skipped reported, the page counts ${pageSkipped}`);
});

test('aspect fit leaves black bars above and below a wider picture', async () => {
  const p2 = await browser.newPage({ viewport: { width: 192, height: 192 }, deviceScaleFactor: 1 });
  try {
    await p2.goto(engine.server.url('/output?fit=fit'));
    // The frame is sent once: the page's socket must be open first, or the frame goes to the pages already there.
    await p2.waitForFunction(() => (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput.connected, null, { timeout: 10_000 });
    engine.outputs.frame(makeFrame(40, FW, FH, new Uint8Array(FW * FH * 4).fill(255)));
    await waitDrawn(p2, 40);
    const img = await shot(p2);
    // 64×48 fit into 192×192 → 192×144, centred: rows 0..23 and 168..191 are bars.
    const row = (y: number) => img.data[(y * 192 + 96) * 4]!;
    assert.equal(row(10), 0);
    assert.equal(row(185), 0);
    assert.ok(row(30) > 250 && row(160) > 250, `picture rows ${row(30)} ${row(160)}`);
  } finally {
    await p2.close();
  }
});

test('the last good picture stays when the engine stops, and the page reconnects to a new engine', async () => {
  const last = testPattern(FW, FH, 4);
  engine.outputs.frame(makeFrame(50, FW, FH, last));
  await waitDrawn(page, 50);
  const port = engine.server.address()!.port;
  await engine.close();
  await page.waitForFunction(() => !(globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput.connected);
  const kept = compareUpscaled(await shot(page), last, FW, FH);
  assert.ok(kept.mean < 3, `the picture went away with the engine (mean diff ${kept.mean.toFixed(2)})`);

  engine = await startOutputs(port);
  await page.waitForFunction(() => (globalThis as unknown as { latentvjOutput: PageState }).latentvjOutput.connected, null, { timeout: 10_000 });
  const next = testPattern(FW, FH, 6);
  engine.outputs.frame(makeFrame(1, FW, FH, next));
  await waitDrawn(page, 1);
  const after = compareUpscaled(await shot(page), next, FW, FH);
  assert.ok(after.mean < 3, `after reconnecting, the new engine's frame is not shown (mean ${after.mean.toFixed(2)})`);
  const errors = (await pageState(page)).errors;
  assert.deepEqual(errors, []);
  // Failed reconnect attempts log to the console by design of the browser; nothing else may.
  assert.deepEqual(consoleErrors.filter((e) => !/WebSocket connection .* failed/.test(e)), []);
});
