/**
 * The Electron shell without Electron: the main-process module runs against a fake API object, and the
 * launcher spawns a stand-in binary (a shell script that records its arguments) or falls back to the URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type {
  BrowserWindow,
  BrowserWindowOptions,
  ElectronApi,
  ElectronDisplay,
} from '../../src/output/electron/api.js';
import { HIDE_CURSOR_CSS, pickDisplay, runShell, type ShellOptions } from '../../src/output/electron/shell.js';
import { findElectron, openWindows, parseDisplayOption, SHELL_ARG } from '../../src/output/electron/launcher.js';
import { readShellOptions } from '../../src/output/electron/main.js';
import { setLogSink } from '../../src/log.js';

const laptop: ElectronDisplay = { id: 1, label: 'Built-in Retina Display', bounds: { x: 0, y: 0, width: 1440, height: 900 }, scaleFactor: 2, internal: true };
const projector: ElectronDisplay = { id: 7, label: 'EPSON PJ', bounds: { x: 1440, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 };

type Handler = (...args: unknown[]) => void;

class FakeWindow implements BrowserWindow {
  static made: FakeWindow[] = [];
  loads: string[] = [];
  css: string[] = [];
  shown = false;
  destroyed = false;
  readonly handlers = new Map<string, Handler[]>();
  readonly contentHandlers = new Map<string, Handler[]>();
  webContents = {
    on: (event: string, listener: Handler) => {
      this.contentHandlers.set(event, [...(this.contentHandlers.get(event) ?? []), listener]);
    },
    insertCSS: async (css: string) => {
      this.css.push(css);
      return 'key';
    },
  } as BrowserWindow['webContents'];
  constructor(readonly options: BrowserWindowOptions) {
    FakeWindow.made.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
  }
  setFullScreen(): void {}
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  on(event: string, listener: Handler): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener]);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }
  emitContents(event: string, ...args: unknown[]): void {
    for (const h of this.contentHandlers.get(event) ?? []) h(...args);
  }
}

function fakeElectron(displays: ElectronDisplay[]) {
  FakeWindow.made = [];
  const switches: string[] = [];
  let quits = 0;
  const appHandlers = new Map<string, () => void>();
  const api: ElectronApi = {
    app: {
      whenReady: async () => undefined,
      on: (event, listener) => void appHandlers.set(event, listener),
      quit: () => void (quits += 1),
      commandLine: { appendSwitch: (name) => void switches.push(name) },
    },
    BrowserWindow: FakeWindow,
    screen: { getAllDisplays: () => displays, getPrimaryDisplay: () => displays[0]! },
  };
  return { api, switches, quits: () => quits, appHandlers };
}

const shellOptions = (over: Partial<ShellOptions> = {}): ShellOptions => ({
  outputUrl: 'http://127.0.0.1:7878/output?fit=fit',
  monitorUrl: 'http://127.0.0.1:7878/monitor',
  display: 1,
  fullscreen: true,
  reloadMs: 5,
  ...over,
});

const quietLog = () => {
  const lines: string[] = [];
  return { lines, log: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warn ${m}`) } };
};

test('pickDisplay takes an index or a part of the name, and falls back to the primary with the list', () => {
  const all = [laptop, projector];
  assert.equal(pickDisplay(all, laptop, 1).display, projector);
  assert.equal(pickDisplay(all, laptop, '1').display, projector);
  assert.equal(pickDisplay(all, laptop, 'epson').display, projector);
  const miss = pickDisplay(all, laptop, 3);
  assert.equal(miss.display, laptop);
  assert.match(miss.warning ?? '', /there are 2 displays .*EPSON PJ.*1920×1080.*using 0/);
  assert.match(pickDisplay(all, laptop, 'Sony').warning ?? '', /no display name contains it/);
  assert.equal(parseDisplayOption('2'), 2);
  assert.equal(parseDisplayOption('EPSON'), 'EPSON');
});

test('the shell opens the output fullscreen, frameless, unthrottled on the chosen display, and the monitor elsewhere', async () => {
  const fake = fakeElectron([laptop, projector]);
  const { log } = quietLog();
  const { output, monitor, choice } = await runShell(fake.api, shellOptions(), log);
  assert.equal(choice.display, projector);
  const o = (output as FakeWindow).options;
  assert.deepEqual([o.x, o.y, o.width, o.height], [1440, 0, 1920, 1080]);
  assert.equal(o.fullscreen, true);
  assert.equal(o.frame, false);
  assert.equal(o.webPreferences?.backgroundThrottling, false);
  assert.deepEqual((output as FakeWindow).loads, ['http://127.0.0.1:7878/output?fit=fit']);
  (output as FakeWindow).emitContents('did-finish-load');
  await Promise.resolve();
  assert.deepEqual((output as FakeWindow).css, [HIDE_CURSOR_CSS]);
  (output as FakeWindow).emit('ready-to-show');
  assert.equal((output as FakeWindow).shown, true);
  assert.ok(fake.switches.includes('disable-renderer-backgrounding'));

  assert.ok(monitor);
  const m = (monitor as FakeWindow).options;
  assert.ok(m.x! < 1440, 'the monitor should open on the other display');
  assert.equal(m.webPreferences?.backgroundThrottling, false);
  assert.deepEqual((monitor as FakeWindow).loads, ['http://127.0.0.1:7878/monitor']);
  assert.equal(FakeWindow.made.length, 2);

  // Closing the projector window ends the shell.
  (output as FakeWindow).emit('closed');
  assert.equal(fake.quits(), 1);
});

test('a page that fails to load (engine not up yet) is reloaded', async () => {
  const fake = fakeElectron([laptop]);
  const { log, lines } = quietLog();
  const { output, monitor } = await runShell(fake.api, shellOptions({ display: 'nope', monitorUrl: null }), log);
  assert.equal(monitor, null);
  assert.ok(lines.some((l) => l.startsWith('warn --display "nope"')));
  (output as FakeWindow).emitContents('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', 'http://127.0.0.1:7878/output?fit=fit');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal((output as FakeWindow).loads.length, 2);
  assert.ok(lines.some((l) => /ERR_CONNECTION_REFUSED.*retrying/.test(l)));
});

test('findElectron: absent package, failed download, and a usable binary', () => {
  const absent = findElectron({ resolve: () => { throw new Error('Cannot find module'); }, load: () => '', exists: () => true });
  assert.ok('missing' in absent && /not installed/.test(absent.missing));
  const broken = findElectron({ resolve: () => '/x/index.js', load: () => { throw new Error('Electron failed to install correctly'); }, exists: () => true });
  assert.ok('missing' in broken && /failed to install/.test(broken.missing));
  const ok = findElectron({ resolve: () => '/x/index.js', load: () => '/x/dist/electron', exists: () => true });
  assert.deepEqual(ok, { binary: '/x/dist/electron' });
  // On this machine electron is an absent optional dependency: the real lookup says so instead of throwing.
  const real = findElectron();
  assert.ok('missing' in real || existsSync(real.binary));
});

test('without electron or with --no-window the URLs are printed; with it the binary is spawned with the shell options', async () => {
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    const none = openWindows(
      { baseUrl: 'http://127.0.0.1:7878/', window: true, display: 0, fit: 'fill', monitorWindow: true },
      { lookup: () => ({ missing: 'electron is not installed' }), spawn: () => { throw new Error('must not spawn'); }, mainScript: 'main.js' },
    );
    assert.equal(none.mode, 'browser');
    assert.ok(lines.some((l) => l.includes('open http://127.0.0.1:7878/output?fit=fill in a browser')));
    assert.ok(lines.some((l) => l.includes('electron is not installed')));

    lines.length = 0;
    const noWindow = openWindows(
      { baseUrl: 'http://127.0.0.1:7878', window: false, display: 0, fit: 'fit', monitorWindow: true },
      { lookup: () => { throw new Error('must not look'); }, spawn: () => { throw new Error('must not spawn'); }, mainScript: 'main.js' },
    );
    assert.equal(noWindow.mode, 'browser');
    assert.ok(lines.some((l) => l.includes('/output?fit=fit')));

    // A stand-in binary records its arguments, as electron would receive them.
    const dir = mkdtempSync(join(tmpdir(), 'latentvj-electron-'));
    const fakeBinary = join(dir, 'electron');
    const argsFile = join(dir, 'args.txt');
    writeFileSync(fakeBinary, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${argsFile}"\n`);
    chmodSync(fakeBinary, 0o755);
    const handle = openWindows(
      { baseUrl: 'http://127.0.0.1:9999', window: true, display: 'EPSON', fit: 'stretch', monitorWindow: false },
      { lookup: () => ({ binary: fakeBinary }), spawn: (b, a) => spawn(b, a, { stdio: 'ignore' }), mainScript: '/dist/main.js' },
    );
    assert.equal(handle.mode, 'electron');
    await new Promise<void>((resolve) => handle.child!.once('exit', () => resolve()));
    const [script, optionArg] = readFileSync(argsFile, 'utf8').trim().split('\n');
    assert.equal(script, '/dist/main.js');
    const options = readShellOptions(['electron', script!, optionArg!]);
    assert.deepEqual(options, {
      outputUrl: 'http://127.0.0.1:9999/output?fit=stretch',
      monitorUrl: null,
      display: 'EPSON',
      fullscreen: true,
      reloadMs: 1000,
    });
    assert.ok(optionArg!.startsWith(`${SHELL_ARG}=`));
    await handle.close();
  } finally {
    restore();
  }
});

test('closing the windows does not hang the stop when the electron process ignores SIGTERM', async () => {
  const restore = setLogSink({ write: () => undefined });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'latentvj-electron-stuck-'));
    const stuck = join(dir, 'electron');
    writeFileSync(stuck, `#!/bin/sh\ntrap '' TERM\nwhile :; do sleep 0.1; done\n`);
    chmodSync(stuck, 0o755);
    const handle = openWindows(
      { baseUrl: 'http://127.0.0.1:9999', window: true, display: 0, fit: 'fit', monitorWindow: false },
      { lookup: () => ({ binary: stuck }), spawn: (b, a) => spawn(b, a, { stdio: 'ignore' }), mainScript: '/dist/main.js' },
    );
    await new Promise((r) => setTimeout(r, 200)); // let the shell install its trap
    const t0 = Date.now();
    await handle.close();
    assert.ok(Date.now() - t0 < 6000, `close took ${Date.now() - t0} ms`);
    assert.notEqual(handle.child!.exitCode === null && handle.child!.signalCode === null, true, 'the process is gone');
  } finally {
    restore();
  }
});
