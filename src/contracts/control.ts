/** Contracts of the control stage: everything a performer or another program sends. */

export type ControlEvent =
  | { kind: 'midi'; port: string; t: number; status: number; data: number[] }
  | { kind: 'osc'; address: string; args: Array<number | string | boolean>; t: number; from: string }
  | { kind: 'ws'; target: string; value: number | string; t: number }
  | { kind: 'set'; target: string; value: number; t: number; source: string }
  | { kind: 'scene'; scene: number | string; t: number; source: string }
  | { kind: 'cue'; name: string; t: number; source: string }
  | { kind: 'blackout'; on: boolean; t: number; source: string }
  | { kind: 'freeze'; on: boolean; t: number; source: string }
  | { kind: 'tap'; t: number; source: string }
  | { kind: 'resync'; t: number; source: string };

/** The performer's controls as the mapper sees them at a frame: named sources -> value 0..1 (or real units where stated). */
export interface ControlState {
  /** Control sources by name, e.g. 'midi:cc:1:7', 'osc:/latentvj/param/truncation'. */
  values: Map<string, number>;
  /** Explicit target overrides set from OSC/ws/MIDI (`/latentvj/param/<target>`), by target name. */
  targets: Map<string, number>;
  scene: number | string;
  blackout: boolean;
  freeze: boolean;
}

/** Controls nobody has touched: no sources, no overrides, scene 0, no blackout or freeze (a fresh object each call). */
export const emptyControlState = (): ControlState => ({
  values: new Map(),
  targets: new Map(),
  scene: 0,
  blackout: false,
  freeze: false,
});
