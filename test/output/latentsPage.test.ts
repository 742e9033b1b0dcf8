/**
 * The /latents page in real Chromium against a real EngineServer and a converted model with stored directions:
 * seeds are painted by the model's generator (the same pictures `generate` paints), a clicked seed walked along
 * direction 0 goes into a bank with a click, the bank is saved, and the saved file loads as a bank of a mapping
 * whose frames carry exactly that latent. The API refuses what a hostile page or client sends.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EngineServer } from '../../src/output/server.js';
import { registerPages } from '../../src/output/pages.js';
import { registerLatentStudio, type LatentStudio } from '../../src/output/latentStudio.js';
import { randomStyleGan2Model } from '../../src/generator/randomModel.js';
import { buildModelFiles } from '../../src/generator/convert.js';
import { OfflineModel } from '../../src/generator/offline.js';
import { computeDirections, readDirections, writeDirections } from '../../src/generator/directions.js';
import { generateImage } from '../../src/commands/generate.js';
import { createOnnxLatentProvider } from '../../src/visual/latents.js';
import { loadBank } from '../../src/visual/banks.js';
import { createMapper } from '../../src/mapping/index.js';
import { decodePng } from '../../src/contracts/png.js';
import type { Manifest } from '../../src/contracts/model.js';
import { controls } from '../mapping/helpers.js';
import { ensurePagesBuilt, launchChromium } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'lvj-latents-page-'));
const modelDir = join(root, 'model');
const banksDir = join(root, 'set');
let manifest: Manifest;
let server: EngineServer;
let studio: LatentStudio;
let browser: Browser;
let page: Page;
let lanAllowed = true;
const consoleErrors: string[] = [];

interface PageState {
  ready: boolean;
  seedsShown: number[];
  thumbsLoaded: number;
  renders: number;
  bank: number[][];
  errors: string[];
  lastSave: { file: string; count: number; mapping: string } | null;
}
const pageState = (): Promise<PageState> => page.evaluate(() => (globalThis as unknown as { latentvjLatents: PageState }).latentvjLatents);
const current = (): Promise<number[] | null> => page.evaluate(() => (globalThis as unknown as { latentvjLatents: { current(): number[] | null } }).latentvjLatents.current());

before(async () => {
  ensurePagesBuilt();
  const m = randomStyleGan2Model({ seed: 6, resolution: 16, channelBase: 128, channelMax: 16, zDim: 16, wDim: 12, mappingLayers: 3, wAvgSamples: 64, look: { styleStd: 1.5 } });
  manifest = await buildModelFiles(m, modelDir, { noiseBank: 1 });
  const off = await OfflineModel.open(modelDir);
  try {
    await writeDirections(modelDir, await computeDirections(off, { count: 3, samples: 300, seed: 2 }));
  } finally {
    await off.close();
  }
  server = new EngineServer({ host: '127.0.0.1', port: 0 });
  registerPages(server);
  studio = registerLatentStudio(server, { modelDir, manifest, banksDir, mayWrite: () => lanAllowed });
  await server.listen();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await studio?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

test('/latents: seeds painted by the generator; pick one, walk direction 0, add to the bank, save; the file loads as a mapping bank', async () => {
  await page.goto(server.url('/latents'));
  await page.waitForFunction(() => {
    const s = (globalThis as unknown as { latentvjLatents?: PageState }).latentvjLatents;
    return s !== undefined && s.ready && s.thumbsLoaded === s.seedsShown.length;
  });
  const s0 = await pageState();
  assert.deepEqual(s0.seedsShown, Array.from({ length: 16 }, (_, i) => i));
  assert.deepEqual(s0.errors, []);
  // One slider per stored direction (3 GANSpace, 3 SeFa).
  assert.equal(await page.locator('#directions input[type=range]').count(), 6);

  // A thumbnail is the picture `generate` paints for that seed (the model is small enough to need no shrinking).
  const src = await page.locator('figure[data-seed="3"] img').getAttribute('src');
  const bytes = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url!)).arrayBuffer())), src);
  const thumb = decodePng(Uint8Array.from(bytes));
  const alone = await generateImage({ model: modelDir, seed: 3, truncation: 1, noise: 'const', noiseSeed: 1 });
  assert.deepEqual([thumb.width, thumb.height], [16, 16]);
  assert.deepEqual(thumb.rgba, alone.rgba);

  await page.locator('figure[data-seed="3"]').click();
  await page.waitForFunction(() => (globalThis as unknown as { latentvjLatents: PageState }).latentvjLatents.renders > 0);
  // Walk direction 0 by +2σ with its slider.
  await page.locator('#dir-ganspace-0').evaluate((el) => {
    (el as unknown as { value: string }).value = '2';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const dirs = await readDirections(modelDir, manifest.wDim);
  const provider = await createOnnxLatentProvider(modelDir, manifest);
  try {
    const [w3] = await provider.fromSeeds([3]);
    const expected = Array.from(w3!, (x, i) => x + 2 * dirs.ganspace.sigmas[0]! * dirs.ganspace.components[0]![i]!);
    const cur = (await current())!;
    cur.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-5, `current[${i}] ${x} vs ${expected[i]}`));

    await page.locator('#add').click();
    await page.locator('#bank-name').fill('kept');
    await page.locator('#save').click();
    await page.waitForFunction(() => (globalThis as unknown as { latentvjLatents: PageState }).latentvjLatents.lastSave !== null);
    const saved = (await pageState()).lastSave!;
    assert.equal(saved.file, 'kept.json');
    assert.match(await page.locator('#save-status').innerText(), /saved 1 latents to kept\.json/);
    assert.ok(existsSync(join(banksDir, 'kept.json')));

    // The file as a bank, and in a mapping beside it (the snippet the page shows): frames carry that latent.
    const bank = await loadBank({ file: 'kept.json' }, banksDir, provider);
    assert.equal(bank.length, 1);
    bank[0]!.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-5, `bank[${i}] ${x} vs ${expected[i]}`));
    const mappingFile = join(banksDir, 'set.yaml');
    writeFileSync(mappingFile, `${saved.mapping}\nlatents:\n  g: { bank: kept }\n`);
    const mapper = await createMapper({ file: mappingFile, manifest, latents: provider, watch: false });
    try {
      const p = mapper.frame({ frame: 0, t: 0, dt: 1 / 30, features: null, controls: controls() });
      for (let r = 0; r < manifest.numWs; r++) assert.deepEqual(p.ws.subarray(r * manifest.wDim, (r + 1) * manifest.wDim), bank[0]);
    } finally {
      await mapper.close();
    }

    // Saving again under the same name is refused unless replace is ticked.
    await page.locator('#save').click();
    await page.waitForFunction(() => (globalThis as unknown as { latentvjLatents: PageState }).latentvjLatents.errors.length > 0);
    assert.match(await page.locator('#save-status').innerText(), /a bank file kept\.json exists/);
  } finally {
    await provider.close?.();
  }

  // Blend toward B and nudge: the current latent moves; the blend at 1 with no steps is B itself.
  await page.locator('#reset-directions').click();
  await page.locator('figure[data-seed="5"] .as-b').click();
  await page.locator('#blend:not([disabled])').waitFor();
  await page.locator('#blend').evaluate((el) => {
    (el as unknown as { value: string }).value = '1';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const p2 = await createOnnxLatentProvider(modelDir, manifest);
  try {
    const [w5] = await p2.fromSeeds([5]);
    assert.deepEqual(Float32Array.from((await current())!), w5);
  } finally {
    await p2.close?.();
  }
  const before = (await current())!;
  await page.locator('#nudge').click();
  assert.notDeepEqual(await current(), before);
  assert.deepEqual(consoleErrors.filter((e) => !/409/.test(e)), []);
});

test('/api/latents: bounded, validated JSON; foreign pages, forms and LAN writers without the token are refused', async () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(server.url(path), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const err = async (r: Response): Promise<string> => ((await r.json()) as { error: string }).error;

  let r = await post('/api/latents/save', JSON.stringify({ name: '../evil', latents: [new Array(12).fill(0)] }));
  assert.equal(r.status, 400);
  assert.match(await err(r), /name: a bank name of 1–64 letters/);
  r = await post('/api/latents/save', JSON.stringify({ name: 'short', latents: [[1, 2]] }));
  assert.equal(r.status, 400);
  assert.match(await err(r), /latents\.0: a W vector of 12 numbers/);
  r = await post('/api/latents/render', JSON.stringify({ seed: 1, w: new Array(12).fill(0) }));
  assert.equal(r.status, 400);
  assert.match(await err(r), /exactly one of seed or w/);
  r = await post('/api/latents/w', '['.repeat(40) + ']'.repeat(40));
  assert.equal(r.status, 400);
  assert.match(await err(r), /nested deeper than 4/);
  r = await post('/api/latents/w', JSON.stringify({ seeds: [1], extra: 1 }));
  assert.equal(r.status, 400);
  r = await post('/api/latents/save', JSON.stringify({ name: 'big', latents: [new Array(12).fill(0)], pad: 'x'.repeat(5 << 20) }));
  assert.equal(r.status, 413);
  r = await post('/api/latents/render', JSON.stringify({ seed: 1 }), { origin: 'http://evil.example' });
  assert.equal(r.status, 403);
  r = await fetch(server.url('/api/latents/render'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ seed: 1 }) });
  assert.equal(r.status, 415);
  lanAllowed = false;
  r = await post('/api/latents/save', JSON.stringify({ name: 'lan', latents: [new Array(12).fill(0)] }));
  lanAllowed = true;
  assert.equal(r.status, 403);
  assert.match(await err(r), /needs the control token/);
  assert.ok(!existsSync(join(banksDir, 'lan.json')));
  // Nothing above left a file or broke the server: a valid request still paints.
  r = await post('/api/latents/render', JSON.stringify({ seed: 9, truncation: 0.5 }));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  const half = decodePng(new Uint8Array(await r.arrayBuffer()));
  assert.deepEqual(half.rgba, (await generateImage({ model: modelDir, seed: 9, truncation: 0.5, noise: 'const', noiseSeed: 1 })).rgba);
  const info = (await (await fetch(server.url('/api/latents/info'))).json()) as { wDim: number; directions: { ganspace: { sigmas: number[] } } };
  assert.equal(info.wDim, 12);
  assert.equal(info.directions.ganspace.sigmas.length, 3);
  assert.deepEqual(JSON.parse(readFileSync(join(banksDir, 'kept.json'), 'utf8')).length, 1);
});

test('/api/latents on a conditional model: seeds of a chosen class, painted as generate --class paints them; a class beyond the model is refused', async () => {
  const condDir = join(root, 'cond');
  const { readCheckpoint } = await import('../../src/generator/checkpoint/index.js');
  const cond = await buildModelFiles(await readCheckpoint(join('test', 'fixtures', 'nvidia', 'nvidia-cond-16.pkl')), condDir, { noiseBank: 1 });
  const s = new EngineServer({ host: '127.0.0.1', port: 0 });
  const st = registerLatentStudio(s, { modelDir: condDir, manifest: cond, banksDir: join(root, 'cond-banks'), mayWrite: () => true });
  await s.listen();
  try {
    const post = (path: string, body: object): Promise<Response> => fetch(s.url(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const r = await post('/api/latents/render', { seed: 5, class: 2 });
    assert.equal(r.status, 200);
    const pic = decodePng(new Uint8Array(await r.arrayBuffer()));
    assert.deepEqual(pic.rgba, (await generateImage({ model: condDir, seed: 5, classIndex: 2, truncation: 1, noise: 'const', noiseSeed: 1 })).rgba);
    const other = decodePng(new Uint8Array(await (await post('/api/latents/render', { seed: 5, class: 0 })).arrayBuffer()));
    assert.notDeepEqual(other.rgba, pic.rgba);
    const bad = await post('/api/latents/w', { seeds: [5], class: 4 });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /^class: /);
  } finally {
    await st.close();
    await s.close();
  }
});
