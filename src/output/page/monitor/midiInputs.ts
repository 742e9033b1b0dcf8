/**
 * Which MIDI inputs are open, which wait for a controller, and which were unplugged or would not open: the list the
 * log prints at start, kept current on the monitor as ports come and go (the control rescans them).
 */
import type { ControlView, MidiInputView } from './apiState.js';
import { $ } from './dom.js';

function label(i: MidiInputView): string {
  const spec = i.spec === '*' ? 'any controller' : JSON.stringify(i.spec);
  switch (i.state) {
    case 'open':
      return i.name ?? spec;
    case 'waiting':
      return `waiting for ${spec}`;
    case 'gone':
      return `${i.name ?? spec} (unplugged)`;
    case 'failed':
      return `${i.name ?? spec} (failed: ${i.error ?? 'cannot open'})`;
  }
}

let drawnKey = '';

export function drawMidiInputs(midi: ControlView['midi'] | undefined): void {
  const key = JSON.stringify(midi ?? null);
  if (key === drawnKey) return;
  drawnKey = key;
  const el = $<HTMLDivElement>('midi-inputs');
  el.textContent = '';
  const chip = (cls: string, text: string, title: string): void => {
    const s = document.createElement('span');
    s.className = `midi-in ${cls}`;
    s.dataset.state = cls;
    s.textContent = text;
    s.title = title;
    el.appendChild(s);
  };
  if (!midi) return chip('waiting', '—', 'no control stage on this engine');
  if (!midi.available) return chip('off', `off: ${midi.reason ?? 'MIDI is off'}`, 'MIDI cannot start on this machine');
  const inputs = midi.ports?.inputs ?? [];
  if (inputs.length === 0) return chip('off', 'none asked for (control.midiInputs is empty)', '');
  for (const i of inputs) chip(i.state, label(i), i.spec === '*' ? 'opened for every input (*)' : `matches ${JSON.stringify(i.spec)}`);
}
