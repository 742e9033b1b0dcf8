/**
 * The monitor page (/monitor): what the VJ watches and plays. Meters (monitor/meters.ts), the mapping's routes as
 * live bars, the mapping file with its version and the error of a refused save (monitor/mappingBanner.ts), the
 * performer's controls (monitor/perform.ts) and a preview of what the output shows (monitor/preview.ts).
 * Reads /state (output snapshots), /frames?role=preview, and the control API's ws (/control: its state, pushed a
 * few times a second, and the commands).
 */
import type { StateMessage } from '../protocol.js';
import { ReconnectingSocket } from './socket.js';
import type { ApiStateView, ControlReply } from './monitor/apiState.js';
import { $, text } from './monitor/dom.js';
import { drawMapping } from './monitor/mappingBanner.js';
import { drawMeters, recordState } from './monitor/meters.js';
import { drawMidiInputs } from './monitor/midiInputs.js';
import { startPerform } from './monitor/perform.js';
import { startPreview } from './monitor/preview.js';
import { drawRoutes } from './monitor/routes.js';

/** How often the control API pushes its state (mapping status, scenes, tempo) to the page. */
const API_STATE_HZ = 4;

/** What tests can read: window.latentvjMonitor. */
export interface MonitorPageState {
  states: number;
  previews: number;
  last: StateMessage | null;
  /** The control API's latest state, when it runs. */
  api: ApiStateView | null;
  /** Whether this page may send commands (the API's hello: a LAN-bound engine needs the token). */
  mayControl: boolean;
  selectedTarget: string | null;
  errors: string[];
}
const page: MonitorPageState = { states: 0, previews: 0, last: null, api: null, mayControl: false, selectedTarget: null, errors: [] };
(window as unknown as { latentvjMonitor: MonitorPageState }).latentvjMonitor = page;

const noteError = (e: unknown): void => {
  if (page.errors.length < 10) page.errors.push(String(e));
};

function drawNumbers(s: StateMessage): void {
  const gen = s.engine.generator;
  const eng = s.engine.engine;
  text('scene', String(s.post.scene));
  text('section', String(s.features?.section ?? '—'));
  text('fps', `${s.output.fpsIn.toFixed(0)} / ${s.output.fpsPresented.toFixed(0)}`);
  // Where frames were lost: generator busy, network (slow display), display refresh, late frame clock.
  text(
    'dropped',
    `${gen ? `gen ${gen.dropped} · ` : ''}net ${s.output.framesDropped} · display ${s.output.framesSkippedAtDisplays}` +
      `${eng?.missedTicks ? ` · ticks ${eng.missedTicks}` : ''}`,
  );
  text('infer', gen ? `${gen.msMedian.toFixed(1)} (p95 ${gen.msP95.toFixed(1)}) ${gen.ep}` : '—');
  // How far frame releases stray from the frame period (the pacing clock's jitter; frame times stay exact).
  const jit = eng?.frameJitterMsLast;
  text('jitter', jit !== undefined ? `${jit.toFixed(1)} (max ${(eng!.frameJitterMsMax ?? jit).toFixed(1)})` : '—');
  const lat = s.output.audioToDisplayMs;
  text('latency', lat.n ? `${lat.median.toFixed(0)} ms` : s.output.sendToDisplayMs.n ? `send→display ${s.output.sendToDisplayMs.median.toFixed(0)} ms` : '—');
  text('clients', String(s.output.clients));
}

// ---- feeds ----
let dirty = true;
const preview = startPreview(() => (page.previews += 1));

const stateSocket = new ReconnectingSocket({
  path: '/state',
  onText: (t) => {
    try {
      const msg = JSON.parse(t) as StateMessage;
      if (msg.type !== 'state') return;
      page.states += 1;
      page.last = msg;
      recordState(msg);
      preview.setPost(msg.post);
      dirty = true;
      if (msg.control && !control) connectControl();
    } catch (e) {
      noteError(e);
    }
  },
  onOpen: () => text('conn', 'live'),
  onClose: () => text('conn', 'engine not reachable, retrying'),
});

// The control stage's ws (commands, learn, and its state), when it exists.
let control: ReconnectingSocket | null = null;
function connectControl(): void {
  control = new ReconnectingSocket({
    path: '/control',
    onOpen: (ws) => ws.send(JSON.stringify({ type: 'subscribe', stream: 'state', rateHz: API_STATE_HZ })),
    onText: (t) => {
      let m: ControlReply;
      try {
        m = JSON.parse(t) as ControlReply;
      } catch {
        return;
      }
      if (m.type === 'hello') {
        page.mayControl = m.control === true;
        document.body.classList.toggle('view-only', !page.mayControl);
      } else if (m.type === 'state' && m.state) {
        page.api = m.state;
        dirty = true;
      } else if (m.type === 'learning') text('learn-status', `move a MIDI control for ${m.target}`);
      else if (m.type === 'learned') text('learn-status', `${m.target} ← ${m.source}`);
      else if (m.type === 'learn-failed') text('learn-status', `learn ${m.target}: ${m.error}`);
      else if (m.ok === false && m.error) text('learn-status', m.error);
    },
  });
}

// ---- controls ----
const perform = startPerform({
  command: (msg) => control?.send(JSON.stringify(msg)) ?? false,
  // The output's own override works without a control stage; the control stage hears it too when present.
  panic: (which, on) => stateSocket.send(JSON.stringify({ type: 'set', target: `output.${which}`, value: on ? 1 : 0 })),
  post: () => page.last?.post ?? null,
});

$<HTMLButtonElement>('learn').addEventListener('click', () => {
  const target = page.selectedTarget;
  if (!target) {
    text('learn-status', 'select a route first');
    return;
  }
  const sent = control?.send(JSON.stringify({ type: 'learn', target })) ?? false;
  if (!sent) text('learn-status', 'no control API on this engine');
});
const selectTarget = (name: string): void => {
  page.selectedTarget = name;
  $<HTMLButtonElement>('learn').textContent = `MIDI learn: ${name}`;
};

// ---- draw loop: only when a new snapshot came ----
function frame(): void {
  if (dirty) {
    dirty = false;
    const s = page.last;
    try {
      drawMeters(s);
      drawMapping(page.api?.mapping);
      perform.draw(page.api, s?.post ?? null);
      drawMidiInputs(page.api?.control?.midi);
      if (s) {
        drawNumbers(s);
        drawRoutes(s.targets, selectTarget);
      }
    } catch (e) {
      noteError(e);
    }
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
