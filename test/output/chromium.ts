/**
 * Debian's Chromium for the page tests, and the page bundles they load: what tools/run-tests.js also needs before
 * any test starts, so nothing here imports the engine (test/output/helpers.ts re-exports it all).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { exclusive } from '../helpers/exclusive.js';

/**
 * The flags of TESTING.md: SwiftShader WebGL, no network chatter. 2D canvases and the compositor draw in software:
 * through SwiftShader they cost the monitor pages about three times the CPU for the same pixels, and the pages'
 * WebGL still runs on SwiftShader.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-accelerated-2d-canvas',
  '--disable-gpu-compositing',
];

/**
 * The pages are bundled by tools/build-pages.js; `npm test` runs only tsc, so (re)build them when the bundle is
 * missing or older than any page source or shader.
 */
export function ensurePagesBuilt(): void {
  const root = process.cwd();
  const bundles = ['output.js', 'monitor.js', 'latents.js'].map((f) => join(root, 'dist', 'page', f));
  const sources = [join(root, 'src', 'output', 'protocol.ts')];
  for (const dir of [join(root, 'src', 'output', 'page'), join(root, 'src', 'output', 'page', 'monitor'), join(root, 'src', 'output', 'page', 'latents'), join(root, 'shaders')]) {
    for (const f of readdirSync(dir)) sources.push(join(dir, f));
  }
  const newestSource = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (bundles.every((b) => existsSync(b) && statSync(b).mtimeMs >= newestSource)) return;
  const r = spawnSync(process.execPath, [join(root, 'tools', 'build-pages.js')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tools/build-pages.js failed');
}

const CHROMIUM_BINARY = '/usr/bin/chromium';
/** Loaded when a browser is wanted: playwright-core costs most of a second of CPU to import, and half the files here never start one. */
const playwright = async () => (await import('playwright-core')).chromium;
/** Where tools/run-tests.js serves one Chromium to all the page tests of a run. */
export const SHARED_CHROMIUM_ENV = 'LATENTVJ_TEST_CHROMIUM_WS';

/**
 * One Chromium for every page test of a run, started by the runner: a launch costs about 2.5 s of CPU, and the
 * page tests each open their own pages (a fresh context each) anyway. Null where there is no Chromium.
 */
export async function serveSharedChromium(): Promise<{ wsEndpoint: string; close(): Promise<void> } | null> {
  if (!existsSync(CHROMIUM_BINARY)) return null;
  const chromium = await playwright();
  const server = await chromium.launchServer({ executablePath: CHROMIUM_BINARY, headless: true, args: CHROMIUM_ARGS });
  return { wsEndpoint: server.wsEndpoint(), close: () => server.close() };
}

/**
 * Chromium for a page test; one test file at a time has one (see test/helpers/exclusive.ts), released at close.
 * Under tools/run-tests.js it is a connection to the run's shared browser, whose close() drops this file's pages;
 * otherwise (or if that browser is gone) Debian's chromium is launched with a fresh temporary user-data-dir.
 */
export async function launchChromium(): Promise<Browser> {
  const release = await exclusive('chromium');
  try {
    const shared = process.env[SHARED_CHROMIUM_ENV];
    const chromium = await playwright();
    const browser = shared
      ? await chromium.connect(shared).catch(() => chromium.launch({ executablePath: CHROMIUM_BINARY, headless: true, args: CHROMIUM_ARGS }))
      : await chromium.launch({ executablePath: CHROMIUM_BINARY, headless: true, args: CHROMIUM_ARGS });
    browser.on('disconnected', release);
    return browser;
  } catch (e) {
    release();
    throw e;
  }
}
