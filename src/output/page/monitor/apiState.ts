/**
 * The parts of the control API's state (`GET /api/state`, ws `subscribe state`; docs/control.md) the monitor reads.
 * Written out here because the page is bundled for the browser apart from the engine's modules.
 */
export interface MappingErrorView {
  file: string;
  line: number | null;
  col: number | null;
  text: string;
  atMs: number;
}

export interface MappingView {
  file: string;
  version: number;
  loadedAtMs: number;
  error: MappingErrorView | null;
  scenes: string[];
  cues: string[];
  cueQuantise: string;
}

export interface MidiInputView {
  spec: string | number;
  name: string | null;
  state: 'open' | 'waiting' | 'gone' | 'failed';
  error?: string;
}

export interface ControlView {
  tempo: { leading: string; bpm: number; barOffsetBeats?: number; sources: Record<string, { active: boolean; bpm: number }> };
  scene: number | string;
  scenes: string[] | null;
  blackout: boolean;
  freeze: boolean;
  midi?: { available: boolean; reason: string | null; ports: { inputs: MidiInputView[] } | null };
  record?: { available: boolean; on: boolean; folder: string | null };
}

export interface ApiStateView {
  mapping?: MappingView;
  control?: ControlView;
}

/** The reply shapes of the control ws the page acts on. */
export interface ControlReply {
  type?: string;
  ok?: boolean;
  target?: string;
  source?: string;
  error?: string;
  control?: boolean;
  state?: ApiStateView;
}
