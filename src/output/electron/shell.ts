/**
 * The Electron main process, kept thin: everything visual lives in the /output page. It picks the display,
 * opens the output there fullscreen and frameless with the cursor hidden and background throttling off,
 * opens the monitor in a second window, and reloads a page that failed to load (the engine restarting).
 * The Electron API is passed in, so tests run this with a fake object and no Electron.
 */
import type { BrowserWindow, ElectronApi, ElectronDisplay } from './api.js';

export interface ShellOptions {
  /** Full URL of the output page, e.g. http://127.0.0.1:7878/output?fit=fit */
  outputUrl: string;
  /** Monitor page URL, or null for no monitor window. */
  monitorUrl: string | null;
  /** Display index (as in the list the shell prints) or a case-insensitive part of its name. */
  display: number | string;
  /** Fullscreen on the chosen display (off: a window, for checking the output on a laptop). */
  fullscreen: boolean;
  /** Wait before reloading a page that failed to load, ms. */
  reloadMs: number;
}

export interface ShellLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface DisplayChoice {
  display: ElectronDisplay;
  index: number;
  /** Set when the wanted display was not found and the primary was used. */
  warning: string | null;
}

export function describeDisplays(displays: ElectronDisplay[]): string {
  return displays
    .map((d, i) => `${i} "${d.label || `display ${d.id}`}" ${d.bounds.width}×${d.bounds.height} at ${d.bounds.x},${d.bounds.y}`)
    .join('; ');
}

/** Chooses a display by index or name part; a miss falls back to the primary with a warning listing them. */
export function pickDisplay(displays: ElectronDisplay[], primary: ElectronDisplay, want: number | string): DisplayChoice {
  const primaryIndex = Math.max(0, displays.findIndex((d) => d.id === primary.id));
  if (typeof want === 'number' || /^\d+$/.test(want.trim())) {
    const i = typeof want === 'number' ? want : Number(want.trim());
    const d = displays[i];
    if (d) return { display: d, index: i, warning: null };
    return {
      display: primary,
      index: primaryIndex,
      warning: `--display ${i}: there are ${displays.length} displays (${describeDisplays(displays)}); using ${primaryIndex}`,
    };
  }
  const needle = want.trim().toLowerCase();
  const i = displays.findIndex((d) => d.label.toLowerCase().includes(needle));
  if (i >= 0) return { display: displays[i]!, index: i, warning: null };
  return {
    display: primary,
    index: primaryIndex,
    warning: `--display "${want}": no display name contains it (${describeDisplays(displays)}); using ${primaryIndex}`,
  };
}

/** Hides the pointer even when the page's own CSS has not loaded (a failed load shows Chromium's page). */
export const HIDE_CURSOR_CSS = '* { cursor: none !important; }';

export interface ShellWindows {
  output: BrowserWindow;
  monitor: BrowserWindow | null;
  choice: DisplayChoice;
}

export async function runShell(electron: ElectronApi, options: ShellOptions, log: ShellLog): Promise<ShellWindows> {
  const { app, BrowserWindow, screen } = electron;
  // A projector window is often behind the monitor or on a display without focus: never slow it down.
  app.commandLine.appendSwitch('disable-renderer-backgrounding');
  app.commandLine.appendSwitch('disable-background-timer-throttling');
  app.commandLine.appendSwitch('disable-backgrounding-occluded-windows');
  app.on('window-all-closed', () => app.quit());
  await app.whenReady();

  const displays = screen.getAllDisplays();
  const primary = screen.getPrimaryDisplay();
  const choice = pickDisplay(displays, primary, options.display);
  if (choice.warning) log.warn(choice.warning);
  const b = choice.display.bounds;
  log.info(`output on display ${choice.index} "${choice.display.label}" ${b.width}×${b.height}${options.fullscreen ? ', fullscreen' : ''}`);

  const output = new BrowserWindow({
    x: b.x,
    y: b.y,
    width: b.width,
    height: b.height,
    fullscreen: options.fullscreen,
    frame: false,
    show: false,
    backgroundColor: '#000000',
    title: 'latentvj output',
    autoHideMenuBar: true,
    webPreferences: { backgroundThrottling: false, contextIsolation: true, nodeIntegration: false, sandbox: true },
  });
  keepLoaded(output, options.outputUrl, options.reloadMs, log, true);
  output.on('ready-to-show', () => output.show());
  output.on('closed', () => app.quit()); // closing the projector window ends the shell

  let monitor: BrowserWindow | null = null;
  if (options.monitorUrl) {
    // The monitor goes on another display when there is one, so it never covers the projection.
    const other = displays.find((d) => d.id !== choice.display.id) ?? choice.display;
    const mb = other.bounds;
    monitor = new BrowserWindow({
      x: mb.x + 40,
      y: mb.y + 40,
      width: Math.min(1200, mb.width - 80),
      height: Math.min(720, mb.height - 80),
      frame: true,
      show: true,
      backgroundColor: '#0d1014',
      title: 'latentvj monitor',
      autoHideMenuBar: true,
      webPreferences: { backgroundThrottling: false, contextIsolation: true, nodeIntegration: false, sandbox: true },
    });
    keepLoaded(monitor, options.monitorUrl, options.reloadMs, log, false);
  }
  return { output, monitor, choice };
}

/** Loads a page and reloads it after a failure (engine not up yet, or restarting). */
function keepLoaded(win: BrowserWindow, url: string, reloadMs: number, log: ShellLog, hideCursor: boolean): void {
  const load = () => {
    if (win.isDestroyed()) return;
    win.loadURL(url).catch(() => undefined); // failures arrive as did-fail-load below
  };
  win.webContents.on('did-fail-load', (_e, code, description, failedUrl) => {
    log.warn(`${failedUrl || url}: ${description} (${code}); retrying in ${reloadMs} ms`);
    setTimeout(load, reloadMs);
  });
  win.webContents.on('render-process-gone', (_e, details) => {
    log.warn(`${url}: renderer gone (${details.reason}); reloading`);
    setTimeout(load, reloadMs);
  });
  if (hideCursor) win.webContents.on('did-finish-load', () => void win.webContents.insertCSS(HIDE_CURSOR_CSS).catch(() => undefined));
  load();
}
