/**
 * The control commands every transport shares (OSC address space, ws/HTTP JSON API, MIDI program change and tap
 * note). One table of shapes; the ws schema in api.ts and the OSC router both produce these.
 */
export type ControlCommand =
  /** Override a mapping target by name (`/latentvj/param/<target>`), value in 0..1 or the target's real unit. */
  | { type: 'set'; target: string; value: number }
  /** Hand a target back to its mapping routes. */
  | { type: 'release'; target: string }
  /** A named control value from a ws client: the mapping reads it as source `ws:<name>`. */
  | { type: 'value'; name: string; value: number }
  /** Recall a scene (index or name); `values` optionally restores control values (soft takeover applies). */
  | { type: 'scene'; scene: number | string; values?: Record<string, number> }
  /** A one-frame trigger the mapping reads as source `control:cue:<name>`. */
  | { type: 'cue'; name: string }
  | { type: 'blackout'; on: boolean }
  | { type: 'freeze'; on: boolean }
  | { type: 'tap' }
  /** The press marks the downbeat: the beat of the grid nearest to it becomes beat 1 of the bar (tempo kept). */
  | { type: 'resync' }
  /** A tempo in BPM from another program, or half/double/auto (release tap and OSC tempo). */
  | { type: 'tempo'; bpm?: number; op?: 'half' | 'double' | 'auto' }
  /** Start or stop recording a session folder (docs/session.md); refused where live does not record. */
  | { type: 'record'; on: boolean };

export type CommandResult = { ok: true } | { ok: false; error: string };

export const OK: CommandResult = { ok: true };
export const fail = (error: string): CommandResult => ({ ok: false, error });

/**
 * Names chosen by a sender (targets, ws values, cues, scene names) are kept as state keys: their length bounds the
 * memory each one costs, as the count cap (control.oscMaxSources) bounds how many there are.
 */
export const MAX_NAME_CHARS = 200;
/** Scene indices beyond any mapping's scene list are refused rather than carried as state. */
export const MAX_SCENE_INDEX = 999;
