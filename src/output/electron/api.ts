/**
 * The small part of Electron's main-process API the shell uses, declared here because electron is an
 * optional dependency that is absent on machines that cannot download its binary. Shapes follow
 * https://www.electronjs.org/docs/latest/api/ (app, BrowserWindow, screen, webContents). Tests pass a
 * fake object of this shape; the real module is passed by main.ts.
 */

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ElectronDisplay {
  id: number;
  /** Human name, e.g. "EPSON PJ" or "Built-in Retina Display" (may be empty on some platforms). */
  label: string;
  bounds: Rectangle;
  scaleFactor: number;
  internal?: boolean;
}

export interface WebPreferences {
  backgroundThrottling?: boolean;
  contextIsolation?: boolean;
  nodeIntegration?: boolean;
  sandbox?: boolean;
}

export interface BrowserWindowOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fullscreen?: boolean;
  frame?: boolean;
  show?: boolean;
  backgroundColor?: string;
  title?: string;
  autoHideMenuBar?: boolean;
  webPreferences?: WebPreferences;
}

export interface WebContents {
  on(event: 'did-fail-load', listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string) => void): void;
  on(event: 'did-finish-load', listener: () => void): void;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): void;
  insertCSS(css: string): Promise<string>;
}

export interface BrowserWindow {
  webContents: WebContents;
  loadURL(url: string): Promise<void>;
  setFullScreen(flag: boolean): void;
  show(): void;
  isDestroyed(): boolean;
  on(event: 'closed', listener: () => void): void;
  on(event: 'ready-to-show', listener: () => void): void;
}

export type BrowserWindowConstructor = new (options: BrowserWindowOptions) => BrowserWindow;

export interface ElectronApp {
  whenReady(): Promise<void>;
  on(event: 'window-all-closed', listener: () => void): void;
  quit(): void;
  commandLine: { appendSwitch(name: string, value?: string): void };
}

export interface ElectronScreen {
  getAllDisplays(): ElectronDisplay[];
  getPrimaryDisplay(): ElectronDisplay;
}

export interface ElectronApi {
  app: ElectronApp;
  BrowserWindow: BrowserWindowConstructor;
  screen: ElectronScreen;
}
