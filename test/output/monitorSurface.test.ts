/**
 * The monitor's record button and MIDI input list, in real Chromium against a real EngineServer, control stage and
 * its ws API, and the live recorder writing a real session folder. MIDI is fed below the native port (TESTING.md):
 * a scripted port list the control rescans, with one port the system refuses to open.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createControl, type Control } from '../../src/control/index.js';
import { registerControlApi, type ControlApi } from '../../src/control/api.js';
import type { MidiBackend } from '../../src/control/midiPorts.js';
import { LiveRecorder } from '../../src/session/recorder.js';
import { FILES } from '../../src/session/format.js';
import { setLogSink } from '../../src/log.js';
import { fakeManifest } from '../mapping/helpers.js';
import { ensurePagesBuilt, launchChromium, openPage, startOutputs, type Running } from './helpers.js';

const NANO = 'nanoKONTROL2:nanoKONTROL2 MIDI 1 20:0';
const XL = 'Launch Control XL:Launch Control XL MIDI 1 24:0';
const BROKEN = 'Broken Pad:Broken Pad MIDI 1 28:0';
const THROUGH = 'Midi Through:Midi Through Port-0 14:0';

/** The native layer's port list, scripted; opening BROKEN fails as a busy ALSA port does. */
class Ports implements MidiBackend {
  inputs: string[] = [THROUGH, NANO, BROKEN];
  readonly open = new Map<string, (dt: number, bytes: number[]) => void>();
  inputNames = () => [...this.inputs];
  outputNames = () => [];
  openInput(index: number, onMessage: (dt: number, bytes: number[]) => void) {
    const name = this.inputs[index]!;
    if (name === BROKEN) throw new Error('Device or resource busy');
    this.open.set(name, onMessage);
    return { close: () => void this.open.delete(name) };
  }
  openOutput(): never {
    throw new Error('no outputs');
  }
}

let dir: string;
let browser: Browser;
let engine: Running;
let page: Page;
let control: Control;
let api: ControlApi;
let recorder: LiveRecorder;
let restoreLog: () => void;
const midi = new Ports();
const consoleErrors: string[] = [];

/** The chips of the MIDI list as `state: text`. */
const chips = (): Promise<string[]> =>
  page.locator('#midi-inputs .midi-in').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-state')}: ${e.textContent}`));

/** Waits until the list shows exactly these chips (the deadline only ends a broken run; no time is asserted). */
async function untilChips(want: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const got = await chips();
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    if (Date.now() > deadline) assert.fail(`MIDI list ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  ensurePagesBuilt();
  restoreLog = setLogSink({ write: () => undefined });
  dir = mkdtempSync(join(tmpdir(), 'lvj-monitor-surface-'));
  const mappingFile = join(dir, 'set.yaml');
  writeFileSync(mappingFile, 'routes:\n  - source: 0.5\n    target: truncation\n');
  engine = await startOutputs(0, { stateHz: 30, previewFps: 10 });
  recorder = new LiveRecorder({
    dir: join(dir, 'take'),
    fps: 20,
    modelDir: dir,
    manifest: fakeManifest(256),
    config: {},
    mapping: () => ({ file: mappingFile, text: readFileSync(mappingFile, 'utf8') }),
  });
  control = await createControl(
    { oscEnabled: false, midiRescanS: 0 },
    { midi, record: (on) => recorder.toggle(on), recording: () => ({ on: recorder.recording, folder: recorder.folder }) },
  );
  api = registerControlApi(engine.server, control, { host: '127.0.0.1', getState: () => ({ targets: {}, features: null, tempo: null, fps: 0 }) });
  browser = await launchChromium();
  page = await openPage(browser, engine.server.url('/monitor'), { width: 1100, height: 700 }, consoleErrors);
});

after(async () => {
  api?.close();
  await control?.close();
  recorder?.close();
  await browser?.close();
  await engine?.close();
  restoreLog?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the MIDI list shows the open inputs and the one that failed, and follows unplug and replug', async () => {
  await untilChips([`open: ${NANO}`, `failed: ${BROKEN} (failed: Device or resource busy)`]);
  // Unplugged: the nanoKONTROL shows as gone until it is back.
  midi.inputs = [THROUGH, BROKEN];
  control.midi!.scan();
  await untilChips([`failed: ${BROKEN} (failed: Device or resource busy)`, `gone: ${NANO} (unplugged)`]);
  // Back on another USB port with a second controller beside it; the refused pad unplugged drops off the list.
  midi.inputs = [THROUGH, XL, NANO];
  control.midi!.scan();
  await untilChips([`open: ${XL}`, `open: ${NANO}`]);
  // What the list shows is what the engine hears: a fader on the replugged controller becomes a source.
  midi.open.get(NANO)!(0, [0xb0, 0, 127]);
  assert.equal(control.state().values.get('midi:cc:1:0'), 1);
});

test('the record button starts and stops a session, showing the state and the folder', async () => {
  const take = join(dir, 'take');
  await page.waitForSelector('#record:not([disabled])', { timeout: 15_000 });
  await page.waitForSelector('#record-folder:text-is("not recording")', { timeout: 15_000 });
  await page.click('#record');
  await page.waitForSelector('#record.on', { timeout: 15_000 });
  assert.equal(await page.locator('#record-folder').textContent(), `recording to ${take}`);
  const shot = join(mkdtempSync(join(tmpdir(), 'latentvj-monitor-')), 'monitor-record-midi.png');
  writeFileSync(shot, await page.screenshot({ type: 'png', fullPage: true }));
  console.log(`# monitor recording, with the MIDI list: ${shot}`);
  assert.equal(control.status().record.on, true);
  // The writer opens at the next block the analysis hears (the session's time 0).
  recorder.audio({ sampleRate: 48000, t0: 0, channels: [new Float32Array(480).fill(0.25)] });
  assert.ok(existsSync(join(take, FILES.header)), 'the session folder is being written');

  await page.click('#record');
  await page.waitForSelector('#record:not(.on)', { timeout: 15_000 });
  assert.equal(await page.locator('#record-folder').textContent(), `last take: ${take}`);
  assert.ok(existsSync(join(take, FILES.audio)) && existsSync(join(take, FILES.controls)));

  // Pressed again, the next take goes beside the first, never over it.
  await page.click('#record');
  await page.waitForSelector(`#record-folder:text-is("recording to ${take}-2")`, { timeout: 15_000 });
  await page.click('#record');
  await page.waitForSelector('#record:not(.on)', { timeout: 15_000 });
  assert.deepEqual(consoleErrors, []);
});

test('an engine that does not record shows the button disabled; without a sequencer the list says why MIDI is off', async () => {
  const reason = 'no ALSA sequencer (/dev/snd/seq is missing)';
  const other = await startOutputs(0, { stateHz: 30 });
  const plain = await createControl({ oscEnabled: false }, { midi: reason });
  const plainApi = registerControlApi(other.server, plain, { host: '127.0.0.1', getState: () => ({ targets: {}, features: null, tempo: null, fps: 0 }) });
  const second = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  try {
    assert.equal(plain.apply({ type: 'record', on: true }, 'ws').ok, false);
    await second.goto(other.server.url('/monitor'));
    await second.waitForSelector(`#midi-inputs .midi-in.off:text-is("off: ${reason}")`, { timeout: 15_000 });
    assert.equal(await second.locator('#record').isDisabled(), true);
    assert.equal(await second.locator('#record-folder').textContent(), '');
  } finally {
    await second.close();
    plainApi.close();
    await plain.close();
    await other.close();
  }
});
