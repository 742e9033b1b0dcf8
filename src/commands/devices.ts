/**
 * `latentvj devices`: audio inputs (PortAudio via naudiodon) and MIDI inputs (RtMidi via @julusian/midi). A
 * subsystem that is absent here (no sound card, no ALSA sequencer) is one plain line, and the command still
 * succeeds: it is a diagnosis, not a requirement.
 */
import type { Command } from 'commander';
import { listAudioInputs, formatDevice } from '../audio/devices.js';
import { loadNativeMidi } from '../control/midiPorts.js';
import { describeError } from '../errors.js';

export async function audioLines(env?: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const list = await listAudioInputs(env ? { env } : {});
    if (list.devices.length === 0) {
      const apis = list.hostApis.map((h) => h.name).join(', ') || 'none';
      return [`Audio: no input devices (PortAudio lists 0 inputs; host APIs: ${apis}); latentvj will play the demo track`];
    }
    return [
      'Audio inputs (id, name, max input channels, default sample rate, host API) — choose with --audio device:<id|name>:',
      ...list.devices.map((d) => '  ' + formatDevice(d, d.id === list.defaultInputId)),
    ];
  } catch (e) {
    return [`Audio: PortAudio is unavailable (${describeError(e)}); audio input unavailable`];
  }
}

export async function midiLines(): Promise<string[]> {
  const midi = await loadNativeMidi();
  if (typeof midi === 'string') return [`MIDI: ${midi}; MIDI input unavailable`];
  try {
    const names = midi.inputNames();
    if (names.length === 0) return ['MIDI: no input ports'];
    return ['MIDI inputs (index, name):', ...names.map((n, i) => `  ${String(i).padStart(3)}  ${n}`)];
  } catch (e) {
    return [`MIDI: cannot list ports (${describeError(e)}); MIDI input unavailable`];
  }
}

export function register(program: Command): void {
  program
    .command('devices')
    .description('list audio input devices (PortAudio) and MIDI input ports; absent subsystems are reported, not errors')
    .action(async () => {
      const [audio, midi] = await Promise.all([audioLines(), midiLines()]);
      process.stdout.write([...audio, ...midi].join('\n') + '\n');
    });
}
