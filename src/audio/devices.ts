/**
 * Audio input devices as PortAudio (naudiodon) sees them. Enumeration runs in the PortAudio child process so that
 * ALSA's initialisation noise never reaches the terminal (see portaudioChild.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { logger } from '../log.js';
import type { AudioInputDevice, HostApiInfo, PortAudioChildMessage, PortAudioChildRequest } from './portaudioProtocol.js';

export type { AudioInputDevice, HostApiInfo } from './portaudioProtocol.js';

const log = logger('audio');
const CHILD = fileURLToPath(new URL('./portaudioChild.js', import.meta.url));

export interface PortAudioEnv {
  /** Environment for the PortAudio process (tests point ALSA_CONFIG_PATH at an ALSA file PCM). Default: ours. */
  env?: NodeJS.ProcessEnv;
}

/** Starts the PortAudio child; its stdout/stderr (PortAudio and ALSA chatter) go to the debug log, line by line. */
export function forkPortAudio(req: PortAudioChildRequest, opts: PortAudioEnv = {}): ChildProcess {
  const child = fork(CHILD, [JSON.stringify(req)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
    // Not the parent's flags (--test, --input-type, inspector ports…): the child is a plain script.
    execArgv: [],
    env: opts.env ?? process.env,
    // segfault-handler (loaded by naudiodon) writes crash.log into the working directory; keep users' folders clean.
    cwd: tmpdir(),
  });
  const drain = (stream: NodeJS.ReadableStream | null, name: string): void => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (s: string) => {
      const lines = (rest + s).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) log.limited('debug', `portaudio-${name}`, `portaudio: ${l.trim()}`, 1000);
    });
  };
  drain(child.stdout, 'stdout');
  drain(child.stderr, 'stderr');
  return child;
}

export interface AudioDeviceList {
  devices: AudioInputDevice[];
  hostApis: HostApiInfo[];
  defaultInputId: number | null;
}

/** Lists audio input devices. Rejects with a plain message when PortAudio cannot be used at all. */
export function listAudioInputs(opts: PortAudioEnv & { timeoutMs?: number } = {}): Promise<AudioDeviceList> {
  return new Promise((resolve, reject) => {
    const child = forkPortAudio({ op: 'list' }, opts);
    let settled = false;
    const done = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(() => reject(new Error(`PortAudio did not list devices within ${opts.timeoutMs ?? 10000} ms`)));
    }, opts.timeoutMs ?? 10000);
    child.on('message', (m: PortAudioChildMessage) => {
      if (m.type === 'devices') done(() => resolve({ devices: m.devices, hostApis: m.hostApis, defaultInputId: m.defaultInputId }));
      else if (m.type === 'error') done(() => reject(new Error(m.message)));
    });
    child.on('error', (e) => done(() => reject(e)));
    child.on('exit', (code, signal) => done(() => reject(new Error(`PortAudio process exited (${signal ?? `code ${code}`}) before listing devices`))));
  });
}

/** One line per device, e.g. `  3  USB Audio CODEC: Audio (hw:1,0)  2 ch  48000 Hz  ALSA  (default)`. */
export function formatDevice(d: AudioInputDevice, isDefault: boolean): string {
  return `${String(d.id).padStart(3)}  ${d.name}  ${d.maxInputChannels} ch  ${d.defaultSampleRate} Hz  ${d.hostAPIName}${isDefault ? '  (default)' : ''}`;
}
