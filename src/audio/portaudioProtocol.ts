/** Messages between the engine and the PortAudio child process (portaudioChild.ts). */

export interface AudioInputDevice {
  /** PortAudio device index (may change when devices are plugged in or out; names are stabler). */
  id: number;
  name: string;
  maxInputChannels: number;
  defaultSampleRate: number;
  hostAPIName: string;
}

export interface HostApiInfo {
  id: number;
  name: string;
  deviceCount: number;
  /** Device id of this host API's default input, or null. */
  defaultInput: number | null;
}

export type DeviceSelector = { kind: 'default' } | { kind: 'id'; id: number } | { kind: 'name'; name: string; exact: boolean };

export type PortAudioChildRequest =
  | { op: 'list' }
  | { op: 'capture'; device: DeviceSelector; sampleRate: number; channelCount: number; framesPerBuffer: number; sampleFormat: CaptureSampleFormat };

/** What PortAudio delivers; either way the engine sees float blocks. */
export type CaptureSampleFormat = 'int16' | 'float32';

export type PortAudioChildMessage =
  | { type: 'devices'; devices: AudioInputDevice[]; hostApis: HostApiInfo[]; defaultInputId: number | null }
  | { type: 'open'; device: AudioInputDevice; channelCount: number; sampleRate: number }
  /** Interleaved float frames. */
  | { type: 'audio'; data: Float32Array }
  | { type: 'error'; message: string }
  /** Blocks the child dropped because the engine had not acknowledged earlier ones (sent once per overrun). */
  | { type: 'overrun'; dropped: number }
  | { type: 'end' };

/** Engine → child: `n` more audio messages have been taken (the child keeps at most AUDIO_WINDOW unacknowledged). */
export type PortAudioParentMessage = { type: 'ack'; n: number };

/**
 * Audio messages in flight between the child and the engine. Past it the child drops blocks instead of queueing
 * them in IPC buffers: a device delivering faster than the engine takes it cannot grow memory without bound.
 */
export const AUDIO_WINDOW = 64;
