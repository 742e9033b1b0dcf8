import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Subject } from '../../src/rx.js';
import { createControl } from '../../src/control/index.js';
import type { Features, Tempo } from '../../src/analysis/types.js';
import { quietFeatures } from '../helpers/features.js';
import { setLogSink } from '../../src/log.js';
import { externalTempo } from '../../src/pipeline/tempo.js';

const rec = (t: number, tempo: Tempo): Features => quietFeatures(t, { tempo });

test('externalTempo: an external tempo replaces the analysed one per record, with beats from its phase', async () => {
  const restore = setLogSink({ write: () => undefined });
  let now = 0;
  const control = await createControl({ oscEnabled: false }, { now: () => now });
  try {
    const input$ = new Subject<Features>();
    const out: Features[] = [];
    input$.pipe(externalTempo(control)).subscribe((f) => out.push(f));
    const analysed: Tempo = { bpm: 100, beatPhase: 0.3, barPhase: 0.1, confidence: 0.7, source: 'analysis' };
    input$.next(rec(0, analysed));
    assert.equal(out[0]!.tempo, analysed);
    // OSC says 120 BPM at t=0; records every 100 ms for one second: two beats (every 500 ms).
    control.apply({ type: 'tempo', bpm: 120 }, 'test');
    for (let i = 1; i <= 10; i++) {
      now = i * 100;
      input$.next(rec(i / 10, analysed));
    }
    const ext = out.slice(1);
    assert.ok(ext.every((f) => f.tempo.source === 'osc' && f.tempo.bpm === 120));
    assert.equal(ext.filter((f) => f.events.includes('beat')).length, 2);
    // Each record keeps its own tempo object (no shared, mutating object downstream).
    assert.notEqual(ext[0]!.tempo, ext[1]!.tempo);
    assert.notEqual(ext[0]!.tempo.beatPhase, ext[1]!.tempo.beatPhase);
    // Released: the analysis leads again.
    control.apply({ type: 'tempo', op: 'auto' }, 'test');
    input$.next(rec(2, analysed));
    assert.equal(out.at(-1)!.tempo, analysed);
    const m = control.mergeTempo(analysed);
    assert.equal(m, analysed);
  } finally {
    await control.close();
    restore();
  }
});

test('half/double time stays inside the tempo range however often it is pressed (a stuck button must not reach Infinity BPM)', async () => {
  const restore = setLogSink({ write: () => undefined });
  let now = 0;
  const control = await createControl({ oscEnabled: false }, { now: () => now });
  try {
    const analysed: Tempo = { bpm: 120, beatPhase: 0.3, barPhase: 0.1, confidence: 0.9, source: 'analysis' };
    for (const [first, op] of [['osc', 'double'], ['tap', 'half'], ['tap', 'double']] as const) {
      control.apply({ type: 'tempo', op: 'auto' }, 'test');
      if (first === 'osc') control.apply({ type: 'tempo', bpm: 120 }, 'test');
      else control.mergeTempo(analysed);
      for (let i = 0; i < 2000; i++) {
        now += 1;
        control.apply({ type: 'tempo', op }, 'test');
      }
      now += 1000;
      const t = control.mergeTempo(analysed)!;
      assert.ok(t.bpm >= 20 && t.bpm <= 400, `${first} ${op}: ${t.bpm} BPM`);
      assert.ok(Number.isFinite(t.beatPhase) && Number.isFinite(t.barPhase), `${first} ${op}: phases ${t.beatPhase} ${t.barPhase}`);
    }
  } finally {
    await control.close();
    restore();
  }
});

test('distinct ws value, cue and scene-recall names are capped like OSC sources (a flood cannot grow the state without bound)', async () => {
  const restore = setLogSink({ write: () => undefined });
  const control = await createControl({ oscEnabled: false, oscMaxSources: 50 });
  try {
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      if (!control.apply({ type: 'value', name: `v${i}`, value: 1 }, 'test').ok) refused += 1;
      if (!control.apply({ type: 'cue', name: `c${i}` }, 'test').ok) refused += 1;
      control.apply({ type: 'scene', scene: 0, values: { [`r${i}`]: 0.5 } }, 'test');
      control.take(i / 30);
    }
    assert.ok(refused > 3000, `refused ${refused}`);
    assert.ok(control.store.state.values.size <= 150, `values kept: ${control.store.state.values.size}`);
    // Names already known keep working.
    assert.equal(control.apply({ type: 'value', name: 'v0', value: 0.25 }, 'test').ok, true);
    assert.equal(control.store.state.values.get('ws:v0'), 0.25);
    assert.equal(control.apply({ type: 'cue', name: 'c0' }, 'test').ok, true);
    assert.ok(control.valid());
  } finally {
    await control.close();
    restore();
  }
});
