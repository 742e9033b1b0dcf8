/**
 * The performer's controls: tap (spacebar or the button), re-sync on the downbeat, half/double time, the scene
 * grid (the mapping's section sets, plus `auto`) and its cues, freeze, blackout and record (with the session
 * folder it writes to). Every press is a command of the
 * control API (docs/control.md) sent on its ws; blackout and freeze also go to the output's own override on
 * /state, which works when no control stage runs.
 */
import type { DisplayPost } from '../../protocol.js';
import type { ApiStateView } from './apiState.js';
import { $, text } from './dom.js';

export interface PerformDeps {
  /** Sends one control API message; false when the control ws is not open. */
  command(msg: object): boolean;
  /** The output's own panic override (/state). */
  panic(which: 'blackout' | 'freeze', on: boolean): void;
  /** The post the output shows now (the latest /state snapshot). */
  post(): DisplayPost | null;
}

const AUTO = 'auto';

export function startPerform(deps: PerformDeps): { draw(api: ApiStateView | null, post: DisplayPost | null): void } {
  const send = (msg: object): void => {
    if (!deps.command(msg)) text('learn-status', 'no control API on this engine (or not connected)');
  };
  const flash = (el: HTMLElement): void => {
    el.classList.add('pressed');
    setTimeout(() => el.classList.remove('pressed'), 120);
  };
  const tap = (): void => {
    send({ type: 'tap' });
    flash($('tap'));
  };
  const resync = (): void => {
    send({ type: 'resync' });
    flash($('resync'));
  };
  const setPanic = (which: 'blackout' | 'freeze'): void => {
    const on = !(deps.post()?.[which] ?? false);
    deps.panic(which, on);
    deps.command({ type: which, on });
  };

  $('tap').addEventListener('click', tap);
  $('resync').addEventListener('click', resync);
  $('half').addEventListener('click', () => send({ type: 'tempo', op: 'half' }));
  $('double').addEventListener('click', () => send({ type: 'tempo', op: 'double' }));
  $('tempo-auto').addEventListener('click', () => send({ type: 'tempo', op: 'auto' }));
  $('blackout').addEventListener('click', () => setPanic('blackout'));
  $('freeze').addEventListener('click', () => setPanic('freeze'));
  // The toggle asks for the opposite of what the engine last said; the button follows the engine's answer.
  let recording = false;
  $('record').addEventListener('click', () => send({ type: 'record', on: !recording }));

  const typing = (e: KeyboardEvent): boolean => {
    const t = e.target as HTMLElement | null;
    return t !== null && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
  };
  window.addEventListener('keydown', (e) => {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.code === 'Space' || e.key === ' ') {
      // Not the focused button's click (space activates it) nor a page scroll: space is the tap key.
      e.preventDefault();
      if (!e.repeat) tap();
      return;
    }
    if (e.repeat) return;
    const k = e.key.toLowerCase();
    if (k === 'b') setPanic('blackout');
    else if (k === 'f') setPanic('freeze');
    else if (k === 'r') resync();
  });
  window.addEventListener('keyup', (e) => {
    if ((e.code === 'Space' || e.key === ' ') && !typing(e)) e.preventDefault();
  });

  // ---- scene grid: rebuilt only when the mapping's scenes or cues change ----
  const grid = $<HTMLDivElement>('scenes');
  const cuesEl = $<HTMLDivElement>('cues');
  let gridKey = '';
  const sceneButtons = new Map<string, HTMLButtonElement>();

  const build = (scenes: string[], cues: string[]): void => {
    grid.textContent = '';
    cuesEl.textContent = '';
    sceneButtons.clear();
    [...scenes, AUTO].forEach((name, i) => {
      const b = document.createElement('button');
      b.className = 'scene';
      b.dataset.scene = name;
      b.textContent = name === AUTO ? 'auto' : `${i + 1} ${name}`;
      b.title = name === AUTO ? 'hand the scene back to the section position' : `recall scene ${i} '${name}'`;
      b.addEventListener('click', () => send({ type: 'scene', scene: name }));
      grid.appendChild(b);
      sceneButtons.set(name, b);
    });
    for (const cue of cues) {
      const b = document.createElement('button');
      b.className = 'cue';
      b.dataset.cue = cue;
      b.textContent = cue;
      b.title = `fires control:cue:${cue} for one frame`;
      b.addEventListener('click', () => {
        send({ type: 'cue', name: cue });
        flash(b);
      });
      cuesEl.appendChild(b);
    }
    $<HTMLSpanElement>('cues-empty').style.display = cues.length ? 'none' : 'inline';
  };

  return {
    draw(api, post) {
      const m = api?.mapping;
      const c = api?.control;
      const scenes = m?.scenes ?? c?.scenes ?? [];
      const cues = m?.cues ?? [];
      const key = JSON.stringify([scenes, cues]);
      if (key !== gridKey) {
        gridKey = key;
        build(scenes, cues);
      }
      text('quantise', m ? `scenes change on the next ${m.cueQuantise === 'none' ? 'frame' : m.cueQuantise}` : '');
      // Recalled: what the performer asked for; showing: the set the picture shows; pending: asked, not yet
      // showing (waiting for the quantisation boundary or fading).
      // The control stores a recall by name; its initial index 0 is no recall (the section position decides).
      const recalled = c ? (typeof c.scene === 'string' ? c.scene : AUTO) : null;
      const showing = post ? String(post.scene) : null;
      for (const [name, b] of sceneButtons) {
        const isRecalled = recalled === name;
        b.classList.toggle('active', isRecalled);
        b.classList.toggle('showing', showing === name);
        b.classList.toggle('pending', isRecalled && name !== AUTO && showing !== name);
      }
      const t = c?.tempo;
      text('tempo-lead', t ? `${t.bpm > 0 ? t.bpm.toFixed(1) : '—'} BPM · ${t.leading}` : '—');
      $('tap').classList.toggle('on', t?.leading === 'tap');
      const rec = c?.record;
      recording = rec?.on ?? false;
      const recButton = $<HTMLButtonElement>('record');
      recButton.disabled = !rec?.available;
      recButton.classList.toggle('on', recording);
      text('record', recording ? '● REC ON' : '● REC');
      text('record-folder', rec?.folder ? `${recording ? 'recording to' : 'last take:'} ${rec.folder}` : rec?.available ? 'not recording' : '');
      if (post) {
        $('blackout').classList.toggle('on', post.blackout);
        $('freeze').classList.toggle('on', post.freeze);
      }
    },
  };
}
