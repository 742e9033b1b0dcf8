import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumMerge } from '../../src/analysis/drumMerge.js';
import type { NetHop, RuleHop } from '../../src/analysis/drumHop.js';
import type { FeatureEvent } from '../../src/analysis/types.js';
import { TAIL_DRUM, TAIL_HOPS, TAIL_PLUCKED } from '../../src/analysis/snareTail.js';
import { SNARE_PLUCK_MEMORY_S } from '../../src/analysis/drumMergeThresholds.js';

const NONE = -1e9;

/** Runs hops 0…n−1: `net(hop)` and `rules(hop)` give that hop's values over quiet defaults; a hats event every `hatsEvery` hops. */
function run(n: number, net: (h: number) => Partial<NetHop>, rules: (h: number) => Partial<RuleHop> = () => ({}), hatsEvery = 20): Array<{ hop: number; e: FeatureEvent }> {
  const m = new DrumMerge(100, 7, true);
  const out: Array<{ hop: number; e: FeatureEvent }> = [];
  let ruleKickHop = NONE;
  let ruleSnareHop = NONE;
  for (let hop = 0; hop < n; hop++) {
    const r = { ruleKick: false, ruleSnare: false, ...rules(hop) };
    if (r.ruleKick) ruleKickHop = hop;
    if (r.ruleSnare) ruleSnareHop = hop;
    const events: FeatureEvent[] = [];
    m.step({ hop, ok: true, ruleKickHop, ruleSnareHop, ruleThumpHop: ruleKickHop, ...r }, { netKick: 0, netSnare: 0, snareWithKick: 0, lowNorm: 0, lowJump: 0, hats: 0, click: 1, ...net(hop) }, events);
    if (hop % hatsEvery === 0) m.hatsAt(hop);
    for (const e of events) out.push({ hop, e });
  }
  return out;
}

/**
 * In a groove: a kick the rules fire and the net hears (0.5) at hop 5, so that a rule snare at hop 30 does not stand
 * after 1.5 s without a kick (NET_NO_KICKS_SNARE); the events from hop 10 on.
 */
function inGroove(n: number, net: (h: number) => Partial<NetHop>, rules: (h: number) => Partial<RuleHop>): Array<{ hop: number; e: FeatureEvent }> {
  const grooveNet = (h: number): Partial<NetHop> => (h === 5 ? { netKick: 0.5, lowNorm: 0.8 } : net(h));
  const grooveRules = (h: number): Partial<RuleHop> => (h === 5 ? { ruleKick: true } : rules(h));
  return run(n, grooveNet, grooveRules).filter((x) => x.hop >= 10);
}

/** A kick the net hears at hop 30 with activation `a` (0.8 unless given) for two hops, the low band rising. */
const kick = (h: number, a = 0.8): Partial<NetHop> => (h === 30 || h === 31 ? { netKick: a, lowNorm: h === 30 ? 0.2 : 0.8 } : {});

test('a kick only the net hears fires after waiting two hops for the rules; the rules firing it meanwhile give one event', () => {
  assert.deepEqual(run(60, (h) => kick(h)), [{ hop: 32, e: 'kick' }]);
  assert.deepEqual(run(60, (h) => kick(h), (h) => ({ ruleKick: h === 31 })), [{ hop: 31, e: 'kick' }]);
});

test("the net's kick is dropped without a low-band rise, under a rule snare unless the net is sure of it, or with no kit playing", () => {
  assert.deepEqual(run(60, (h) => ({ ...kick(h), lowNorm: 0.1 })), [], 'a hat: no low band');
  const heardLittle = (h: number): Partial<NetHop> => ({ ...kick(h), ...(h === 31 ? { netSnare: 0.2 } : {}) });
  assert.deepEqual(inGroove(60, heardLittle, (h) => ({ ruleSnare: h === 31 })), [{ hop: 31, e: 'snare' }], 'a booming snare');
  const clap = (h: number): Partial<NetHop> => ({ ...kick(h, 0.9), ...(h === 31 ? { netSnare: 0.2 } : {}) });
  assert.deepEqual(inGroove(60, clap, (h) => ({ ruleSnare: h === 31 })), [{ hop: 31, e: 'kick' }, { hop: 31, e: 'snare' }], 'a kick struck with a clap (sure: it waits one hop, not two)');
  const late = (h: number): Partial<NetHop> => (h === 230 || h === 231 ? { netKick: 0.8, lowNorm: 0.8 } : {});
  const m = run(260, late).filter((x) => x.hop > 200);
  assert.deepEqual(m, [{ hop: 232, e: 'kick' }], 'hats every 20 hops keep the kit on');
});

test('with no kit playing, a snare the net is sure of on two hops, with no kick under it or over a kick it is sure of, fires and starts the kit', () => {
  const NO_HATS = 1e9;
  // Snares at hops 230 and 260 (two hops each), a kick at 290: no hats since hop 0, long gone.
  const song = (a1: number, a2: number, low: number) => (h: number): Partial<NetHop> =>
    h === 230 || h === 260 ? { netSnare: a1, lowNorm: low, hats: 0.3, click: 1 } : h === 231 || h === 261 ? { netSnare: a2, lowNorm: low, hats: 0.3, click: 1 } : h === 290 || h === 291 ? { netKick: 0.8, lowNorm: h === 290 ? 0.2 : 0.8 } : {};
  const events = (out: Array<{ hop: number; e: FeatureEvent }>) => out.filter((x) => x.hop > 200);
  assert.deepEqual(events(run(320, song(0.98, 0.97, 0.02), undefined, NO_HATS)), [{ hop: 231, e: 'snare' }, { hop: 261, e: 'snare' }, { hop: 292, e: 'kick' }], 'a room kit whose hats are masked');
  assert.deepEqual(events(run(320, song(0.98, 0.81, 0.02), undefined, NO_HATS)), [], 'a bass note with a chord: unsure on its second hop');
  assert.deepEqual(events(run(320, song(0.99, 0.99, 0.6), undefined, NO_HATS)), [], 'a crash struck with a kick the net does not hear');
  // The same over a kick the net is sure of (0.9 on the hop before the snare's first, then under the threshold): a clap
  // struck with a kick, the low band up; a kick it is unsure of (0.8) starts nothing.
  const withKick = (a: number) => (h: number): Partial<NetHop> => ({ ...song(0.99, 0.99, 0.6)(h), ...(h === 229 || h === 259 ? { netKick: a, lowNorm: 0.6 } : {}) });
  const claps = events(run(320, withKick(0.9), undefined, NO_HATS)).filter((x) => x.e === 'snare');
  assert.deepEqual(claps, [{ hop: 231, e: 'snare' }, { hop: 261, e: 'snare' }], 'claps struck with kicks before any hats');
  assert.deepEqual(events(run(320, withKick(0.8), undefined, NO_HATS)).filter((x) => x.e === 'snare'), [], 'a kick the net is unsure of');
  // A sure kick three hops before the snare's second hop is too early for it.
  const early = (h: number): Partial<NetHop> => ({ ...song(0.99, 0.99, 0.6)(h), ...(h === 228 || h === 258 ? { netKick: 0.9, lowNorm: 0.6 } : {}) });
  assert.deepEqual(events(run(320, early, undefined, NO_HATS)).filter((x) => x.e === 'snare'), [], 'a sure kick three hops before the second');
  assert.deepEqual(events(run(320, song(0.98, 0.81, 0.6), undefined, 20)), [{ hop: 231, e: 'snare' }, { hop: 261, e: 'snare' }, { hop: 292, e: 'kick' }], 'with hats playing, the same snares fire');
});

test('with no kit playing, a kick the net is sure of on two hops, its low band risen, fires; a bass note it is unsure of on the second does not', () => {
  const NO_HATS = 1e9;
  const first = (a2: number, low2: number) => (h: number): Partial<NetHop> => (h === 230 ? { netKick: 0.99, lowNorm: 0.1 } : h === 231 ? { netKick: a2, lowNorm: low2 } : {});
  const after = (out: Array<{ hop: number; e: FeatureEvent }>) => out.filter((x) => x.hop > 200);
  assert.deepEqual(after(run(260, first(0.99, 0.8), undefined, NO_HATS)), [{ hop: 231, e: 'kick' }], 'the first kick after a drumless intro');
  assert.deepEqual(after(run(260, first(0.85, 0.8), undefined, NO_HATS)), [], 'unsure on its second hop');
  assert.deepEqual(after(run(260, first(0.99, 0.3), undefined, NO_HATS)), [], 'no low band');
  assert.deepEqual(after(run(260, first(0.99, 0.8), (h) => ({ ruleKick: h === 232 }), NO_HATS)), [{ hop: 231, e: 'kick' }], 'the rules firing it a hop later give no second event');
});

test("the net's snare fires where it outlasts a hop and its wires are a snare's, not where it spikes over a rising low band or rings like a ride", () => {
  const snare = (v2: number, hats: number, low2 = 0.4) => (h: number): Partial<NetHop> => (h === 30 ? { netSnare: 0.97, hats, click: 1 } : h === 31 ? { netSnare: v2, hats, click: 1, lowNorm: low2 } : {});
  assert.deepEqual(run(60, snare(0.9, 0.5)), [{ hop: 31, e: 'snare' }], 'sure of it: it waits one hop');
  const unsure = (h: number): Partial<NetHop> => (h === 30 || h === 31 ? { netSnare: 0.92, hats: 0.5, click: 1 } : {});
  assert.deepEqual(run(60, unsure), [{ hop: 32, e: 'snare' }], 'less sure: two hops');
  assert.deepEqual(run(60, snare(0.01, 0.5)), [], "a one-hop spike: a kick's click");
  assert.deepEqual(run(60, snare(0.01, 0.5, 0.02)), [{ hop: 31, e: 'snare' }], "a one-hop spike with the low band quiet: a jazz kit's short snare");
  const loudPick = (h: number): Partial<NetHop> => ({ ...snare(0.01, 0.5, 0.02)(h), ...(h === 30 ? { lowNorm: 0.4 } : {}) });
  assert.deepEqual(run(60, loudPick), [], 'a one-hop spike over a low band that moved on its first hop: a kick');
  const swells = (low: number) => (h: number): Partial<NetHop> => ({
    ...loudPick(h),
    ...(h === 29 ? { netSnare: 0.6 } : {}),
    ...(h === 31 ? { lowNorm: low } : {}),
  });
  assert.deepEqual(run(60, swells(0.4)), [{ hop: 31, e: 'snare' }], 'up on the hop before its pick too: two hops');
  assert.deepEqual(run(60, swells(0.7)), [], 'so, but over a low band that rose like a kick');
  assert.deepEqual(run(60, snare(0.9, 2.2)), [], 'a ride: more flux above 6 kHz than a snare brings');
  assert.deepEqual(run(60, snare(0.9, 1.7)), [{ hop: 31, e: 'snare' }], "a bright snare (a boom machine's: 1.5–1.7)");
  const withCymbal = (h: number): Partial<NetHop> => (h === 30 ? { netSnare: 0.97, hats: 2.4, click: 1 } : h === 31 ? { netSnare: 0.9, hats: 1.2, click: 1 } : {});
  assert.deepEqual(run(60, withCymbal), [{ hop: 31, e: 'snare' }], 'a snare struck with a cymbal: the wires settle on its second hop');
});

test('while the net hears this kit\'s snares, a rule snare it hears nothing of is dropped; a net that hears no snares, or none lately, vetoes nothing', () => {
  // The net heard a snare at hop 10 (a real one, which the rules fired too); at hop 100 the rules fire on a kick or an
  // open hat. The rules' kicks come every 50 hops from hop 5 (a groove: see the next test for none).
  const heard = (quiet: number) => (h: number): Partial<NetHop> =>
    h === 10 || h === 11 ? { netSnare: 0.95 } : h >= 99 && h <= 100 ? { netSnare: quiet } : h % 50 === 5 ? { netKick: 0.3 } : {};
  const groove = (snares: number[]) => (h: number): Partial<RuleHop> => ({ ruleSnare: snares.includes(h), ruleKick: h % 50 === 5 });
  const snares = (out: Array<{ hop: number; e: FeatureEvent }>): number[] => out.filter((x) => x.e === 'snare').map((x) => x.hop);
  const rules = groove([10, 100]);
  assert.deepEqual(snares(run(120, heard(0.01), rules)), [10], 'vetoed: the net reads 0.01');
  assert.deepEqual(snares(run(120, heard(0.2), rules)), [10, 100], 'the net hears a little of it: it stands');
  assert.deepEqual(snares(run(120, (h) => (h % 50 === 5 ? { netKick: 0.3 } : {}), rules)), [10, 100], 'brushes the net does not hear: both stand');
  assert.deepEqual(snares(run(920, heard(0), groove([10, 900]))), [10, 900], 'nothing heard for 8.9 s: no veto');
  // A rule snare dropped as unheard, or heard a little (0.2) under a kick the net reads (0.8, its click), holds no net
  // kick back (an FM kick whose click the rules read as a snare); one the net hears as a snare too stands and holds an
  // unsure kick back.
  const kickAt100 = (quiet: number) => (h: number): Partial<NetHop> => ({ ...heard(quiet)(h), ...(h === 100 || h === 101 ? { netKick: 0.8, lowNorm: h === 100 ? 0.2 : 0.8 } : {}) });
  const kickRules = (h: number): Partial<RuleHop> => ({ ruleSnare: h === 10 || h === 100, ruleKick: h === 55 });
  assert.deepEqual(run(120, kickAt100(0), kickRules), [{ hop: 10, e: 'snare' }, { hop: 55, e: 'kick' }, { hop: 102, e: 'kick' }], 'unheard: the kick fires');
  assert.deepEqual(run(120, kickAt100(0.2), kickRules), [{ hop: 10, e: 'snare' }, { hop: 55, e: 'kick' }, { hop: 102, e: 'kick' }], "heard a little under the kick: its click");
  assert.deepEqual(run(120, kickAt100(0.5), kickRules), [{ hop: 10, e: 'snare' }, { hop: 55, e: 'kick' }, { hop: 100, e: 'snare' }], 'heard as a snare: it stands, the kick is held back');
});

test('where no kick came for 1.5 s, a rule snare the net does not hear as a snare is dropped, whether or not the net has heard this kit\'s snares', () => {
  const rules = (kickAt: number) => (h: number): Partial<RuleHop> => ({ ruleSnare: h === 300, ruleKick: h === kickAt });
  const hears = (a: number) => (h: number): Partial<NetHop> => (h === 300 ? { netSnare: a } : { netKick: 0.3 });
  assert.deepEqual(run(320, hears(0), rules(100)), [{ hop: 100, e: 'kick' }], 'an open hat in a hats-only intro');
  assert.deepEqual(run(320, hears(0.3), rules(100)), [{ hop: 100, e: 'kick' }], 'the net hears some of it: a clap or an open hat');
  assert.deepEqual(run(320, hears(0.99), rules(100)), [{ hop: 100, e: 'kick' }, { hop: 300, e: 'snare' }], 'the net hears a snare: a fill');
  assert.deepEqual(run(320, hears(0), rules(200)), [{ hop: 200, e: 'kick' }, { hop: 300, e: 'snare' }], 'a kick 1 s before: a groove');
  const barely = (h: number): Partial<NetHop> => (h === 300 ? { netSnare: 0 } : h === 200 ? { netKick: 0.19 } : {});
  assert.deepEqual(run(320, barely, rules(200)), [{ hop: 200, e: 'kick' }], 'a kick 1 s before that the net barely heard: a chord stab');
  // One dropped so (the net hears some of it: not unheard) still holds back an unsure net kick under it.
  const kickUnder = (h: number): Partial<NetHop> => (h === 300 ? { netSnare: 0.3, netKick: 0.8, lowNorm: 0.2 } : h === 301 ? { netKick: 0.8, lowNorm: 0.8 } : { netKick: 0.3 });
  assert.deepEqual(run(320, kickUnder, rules(100)), [{ hop: 100, e: 'kick' }], 'dropped after 1.5 s without kicks: the kick under it is held back');
});

test('without weights the net vetoes no rule snare', () => {
  const m = new DrumMerge(100, 7, false);
  const events: FeatureEvent[] = [];
  m.step({ hop: 5, ok: true, ruleKick: false, ruleSnare: true, ruleKickHop: NONE, ruleSnareHop: 5, ruleThumpHop: NONE }, { netKick: 0, netSnare: 0, snareWithKick: 0, lowNorm: 0, lowJump: 0, hats: 0, click: 1 }, events);
  assert.deepEqual(events, ['snare']);
});

test("where the kit's snares come apart from its kicks, a rule kick drops the net's snare unless the net is sure of it", () => {
  const snare = (a: number) => (h: number): Partial<NetHop> => (h === 30 || h === 31 ? { netSnare: a, hats: 0.5, click: 1 } : {});
  const kickAt31 = (h: number): Partial<RuleHop> => ({ ruleKick: h === 31 });
  assert.deepEqual(run(60, snare(0.92), kickAt31), [{ hop: 31, e: 'kick' }], 'a kick click read as a snare');
  assert.deepEqual(run(60, snare(0.97), kickAt31), [{ hop: 31, e: 'kick' }, { hop: 31, e: 'snare' }], 'a clap struck with the kick');
});

test("a rule snare the net hears as a kick's click is dropped, whether the kit's snares come apart from its kicks or with them; one it hears as a snare too stands", () => {
  const click = (withKick: number) => (h: number): Partial<NetHop> => ({
    snareWithKick: withKick,
    ...(h === 10 || h === 11 ? { netSnare: 0.95 } : h === 100 ? { netKick: 1, netSnare: 0.3, lowNorm: 0.1 } : {}),
  });
  const rules = (h: number): Partial<RuleHop> => ({ ruleSnare: h === 10 || h === 100, ruleKick: h === 101 });
  assert.deepEqual(run(120, click(0), rules), [{ hop: 10, e: 'snare' }, { hop: 100, e: 'kick' }], 'the net is sure of the kick: it fires on its own hop');
  assert.deepEqual(run(120, click(0.8), rules), [{ hop: 10, e: 'snare' }, { hop: 100, e: 'kick' }], "a kit whose snares mostly come with its kicks (the rules' own share counts these clicks)");
  // With a kick the net heard at hop 50, so that no rule snare falls for want of kicks (NET_NO_KICKS_S).
  const heard = (a: number) => (h: number): Partial<NetHop> => ({ ...click(0)(h), ...(h === 100 ? { netKick: a } : h === 50 ? { netKick: 0.5, lowNorm: 0.8 } : {}) });
  const kickAt50 = (h: number): Partial<RuleHop> => ({ ...rules(h), ruleKick: h === 50 || h === 101 });
  const hops = (out: Array<{ hop: number; e: FeatureEvent }>): string[] => out.map((x) => `${x.hop} ${x.e}`);
  assert.deepEqual(hops(run(120, heard(0.6), kickAt50)), ['10 snare', '50 kick', '101 kick'], 'the net hears a kick (0.6): its click');
  const snareStands = ['10 snare', '50 kick', '100 snare', '101 kick'];
  assert.deepEqual(hops(run(120, heard(0.59), kickAt50)), snareStands, 'under 0.6: a snare');
  const clap = (h: number): Partial<NetHop> => ({ ...click(0.8)(h), ...(h === 100 ? { netSnare: 0.6 } : {}) });
  assert.deepEqual(run(120, clap, rules), [{ hop: 10, e: 'snare' }, { hop: 100, e: 'snare' }, { hop: 101, e: 'kick' }], 'a clap on the kick the net hears too: it stands');
  // A rule snare told on the hop after a rule kick, once the kick's click was over (SnareOnKick), is no click.
  const after = (flag: boolean) => (h: number): Partial<RuleHop> => ({ ruleSnare: h === 10 || h === 101, ruleKick: h === 100, ruleSnareAfterClick: flag && h === 101 });
  assert.deepEqual(run(120, click(0.8), after(false)), [{ hop: 10, e: 'snare' }, { hop: 100, e: 'kick' }], 'a snare picked after the kick');
  assert.deepEqual(run(120, click(0.8), after(true)), [{ hop: 10, e: 'snare' }, { hop: 100, e: 'kick' }, { hop: 101, e: 'snare' }], 'one told after the click');
});

test('a kick the net is sure of needs less of a low-band rise, unless it stands under a rule snare', () => {
  const quiet = (a: number) => (h: number): Partial<NetHop> => (h === 30 || h === 31 ? { netKick: a, lowNorm: h === 30 ? 0.1 : 0.15 } : {});
  assert.deepEqual(run(60, quiet(0.8)), [], 'not sure: a hat over a held note');
  assert.deepEqual(run(60, quiet(0.9)), [{ hop: 31, e: 'kick' }], 'sure: a quiet machine kick under hats');
  const booming = (h: number): Partial<NetHop> => ({ ...quiet(0.97)(h), ...(h === 30 ? { netSnare: 0.2 } : {}) });
  assert.deepEqual(inGroove(60, booming, (h) => ({ ruleSnare: h === 30 })), [{ hop: 30, e: 'snare' }], 'a booming snare the net takes for a kick');
});

test("a rule snare the net hears as a kick's click does not hold the net's kick back", () => {
  // The net heard a snare at hop 10; at 100 it is sure of a kick whose click the rules read as a snare.
  const net = (h: number): Partial<NetHop> => ({
    snareWithKick: 0,
    ...(h === 10 || h === 11 ? { netSnare: 0.95 } : h === 100 || h === 101 ? { netKick: 1, netSnare: 0.2, lowNorm: h === 100 ? 0.1 : 0.2 } : {}),
  });
  assert.deepEqual(run(120, net, (h) => ({ ruleSnare: h === 10 || h === 100 })), [{ hop: 10, e: 'snare' }, { hop: 100, e: 'kick' }]);
});

test('a kick the net grows sure of while it waits counts as sure; a second rise while it waits starts the wait again', () => {
  const growing = (h: number): Partial<NetHop> => (h === 30 ? { netKick: 0.7, lowNorm: 0.1 } : h === 31 ? { netKick: 0.9, lowNorm: 0.15 } : {});
  assert.deepEqual(run(60, growing), [{ hop: 31, e: 'kick' }]);
  const unsure = (h: number): Partial<NetHop> => ({ ...growing(h), ...(h === 31 ? { netKick: 0.8 } : {}) });
  assert.deepEqual(run(60, unsure), [], 'never sure: the low band rose too little');
  // An 808's attack, a dip, then its body, the low band rising only under the body.
  const acts = [0.7, 0.2, 0.9, 0.95];
  const lows = [0.02, 0.01, 0.05, 0.3];
  const twice = (h: number): Partial<NetHop> => (h >= 30 && h < 34 ? { netKick: acts[h - 30]!, lowNorm: lows[h - 30]! } : {});
  assert.deepEqual(run(60, twice), [{ hop: 33, e: 'kick' }]);
});

test("a net kick may wait two hops past its wait for the low band to rise (a long, low kick's fundamental)", () => {
  const late = (riseAt: number) => (h: number): Partial<NetHop> => (h === 30 || h === 31 ? { netKick: 0.8, lowNorm: 0.05 } : h === riseAt ? { lowNorm: 0.6 } : {});
  assert.deepEqual(run(60, late(34)), [{ hop: 34, e: 'kick' }]);
  assert.deepEqual(run(60, late(35)), [], 'too late: a bass note under a hat');
  // Under a rule snare (heard by the net too), only while the net's kick activation holds.
  const underSnare = (holds: boolean) => (h: number): Partial<NetHop> =>
    h === 30 ? { netKick: 0.9, lowNorm: 0.05, netSnare: 0.9 } : h === 31 || h === 32 ? { netKick: holds ? 0.9 : 0.05, lowNorm: 0.05, netSnare: 0.7 } : h === 33 ? { lowNorm: 0.6 } : {};
  const snareAt30 = (h: number): Partial<RuleHop> => ({ ruleSnare: h === 30 });
  assert.deepEqual(run(60, underSnare(true), snareAt30), [{ hop: 30, e: 'snare' }, { hop: 33, e: 'kick' }], "a kick's click read as a snare");
  assert.deepEqual(run(60, underSnare(false), snareAt30), [{ hop: 30, e: 'snare' }], "a booming snare's body");
});

test('a kick the net is surer of fires on its own hop once the low band has risen, unless it stands under a rule snare', () => {
  const at30 = (a: number, low: number) => (h: number): Partial<NetHop> => (h === 30 || h === 31 ? { netKick: a, lowNorm: h === 30 ? low : 0.8 } : {});
  assert.deepEqual(run(60, at30(0.97, 0.1)), [{ hop: 30, e: 'kick' }]);
  assert.deepEqual(run(60, at30(0.9, 0.1)), [{ hop: 31, e: 'kick' }], 'sure, not surer: one hop');
  assert.deepEqual(run(60, at30(0.97, 0.05)), [{ hop: 31, e: 'kick' }], 'the low band has not risen yet: one hop');
  const snareAt29 = (h: number): Partial<NetHop> => ({ ...at30(0.97, 0.1)(h), ...(h === 29 ? { netSnare: 0.3 } : {}) });
  assert.deepEqual(inGroove(60, snareAt29, (h) => ({ ruleSnare: h === 29 })), [{ hop: 29, e: 'snare' }, { hop: 31, e: 'kick' }], 'under a rule snare: one hop');
  assert.deepEqual(run(60, at30(0.97, 0.1), (h) => ({ ruleKick: h === 31 })), [{ hop: 30, e: 'kick' }], "the rules' kick a hop later is the same hit");
});

test('a kick held back under a rule snare while the net was unsure stands once the net grows sure of it within the merge window', () => {
  const kickAt30 = (a2: number) => (h: number): Partial<NetHop> => (h === 30 ? { netKick: 0.7, lowNorm: 0.5 } : h === 31 ? { netKick: a2, lowNorm: 0.9 } : {});
  const snareAt30 = (h: number): Partial<RuleHop> => ({ ruleSnare: h === 30 });
  const kicks = (out: Array<{ hop: number; e: FeatureEvent }>) => out.filter((x) => x.e === 'kick');
  assert.deepEqual(kicks(run(60, kickAt30(0.93), snareAt30)), [{ hop: 32, e: 'kick' }], "an FM kick whose click the rules read as a snare");
  assert.deepEqual(kicks(run(60, kickAt30(0.75), snareAt30)), [], 'still unsure: a booming snare');
  const snareAt31 = (h: number): Partial<RuleHop> => ({ ruleSnare: h === 31 });
  assert.deepEqual(kicks(run(60, kickAt30(0.93), snareAt31)), [{ hop: 32, e: 'kick' }], 'the rule snare a hop after the crossing drops the waiting kick, which grows sure');
  const lateKick = (h: number): Partial<NetHop> => (h === 30 ? { netKick: 0.7, lowNorm: 0.5 } : h >= 31 && h <= 37 ? { netKick: h === 37 ? 0.93 : 0.7, lowNorm: 0.9 } : {});
  assert.deepEqual(kicks(run(60, lateKick, snareAt30)), [], 'sure only after the merge window (60 ms): a booming snare');
});

test("a rule kick the net hears as a snare and not as a kick is dropped while it hears this kit's kicks, or a hop or two after a snare it heard (an 808 snare's boom)", () => {
  // The net heard a kick at hop 10 (the rules fired it too); at 100 the rules fire a kick on a booming snare.
  const net = (snareAt100: number) => (h: number): Partial<NetHop> =>
    h === 10 || h === 11 ? { netKick: 0.95, lowNorm: 0.8 } : h === 100 ? { netSnare: snareAt100 } : {};
  const rules = (h: number): Partial<RuleHop> => ({ ruleKick: h === 10 || h === 100 });
  assert.deepEqual(run(120, net(0.9), rules), [{ hop: 10, e: 'kick' }]);
  const low = (lowNorm: number) => (h: number): Partial<NetHop> => ({ ...net(0.9)(h), ...(h === 100 ? { lowNorm } : {}) });
  assert.deepEqual(run(120, low(0.5), rules), [{ hop: 10, e: 'kick' }, { hop: 100, e: 'kick' }], 'a kick struck with a snare: the low band jumps');
  assert.deepEqual(run(120, low(0.42), rules), [{ hop: 10, e: 'kick' }, { hop: 100, e: 'kick' }], "the demo track's kick struck with a snare");
  assert.deepEqual(run(120, low(0.35), rules), [{ hop: 10, e: 'kick' }], 'a snare whose boom reads 0.35 (electronic 6/8)');
  assert.deepEqual(run(120, net(0.1), rules), [{ hop: 10, e: 'kick' }, { hop: 100, e: 'kick' }], 'the net hears no snare: it stands');
  const boomAfterSnare = (h: number): Partial<NetHop> => ({ ...net(0.9)(h), ...(h === 100 ? { lowNorm: 0.9 } : {}) });
  const snareThenKick = (gap: number) => (h: number): Partial<RuleHop> => ({ ruleKick: h === 10 || h === 100, ruleSnare: h === 100 - gap });
  assert.deepEqual(run(120, boomAfterSnare, snareThenKick(2)).filter((x) => x.e === 'kick'), [{ hop: 10, e: 'kick' }], "an 808 snare's boom two hops after the rules' snare, however loud");
  assert.deepEqual(run(120, boomAfterSnare, snareThenKick(3)).filter((x) => x.e === 'kick'), [{ hop: 10, e: 'kick' }, { hop: 100, e: 'kick' }], 'three hops after it: a kick');
  assert.deepEqual(run(120, boomAfterSnare, snareThenKick(0)).filter((x) => x.e === 'kick'), [{ hop: 10, e: 'kick' }, { hop: 100, e: 'kick' }], 'on its hop: a kick struck with the snare');
  // A kit whose kicks the net hears only faintly (0.5 at hop 80, never sure): the boom after a snare it heard is still
  // the snare's.
  const faintKicks = (snareAt98: number) => (h: number): Partial<NetHop> =>
    h === 80 ? { netKick: 0.5, lowNorm: 0.8 } : h === 98 ? { netSnare: snareAt98 } : h === 100 ? { lowNorm: 0.9 } : {};
  const faintRules = (h: number): Partial<RuleHop> => ({ ruleKick: h === 80 || h === 100, ruleSnare: h === 98 });
  const kicks = (out: Array<{ hop: number; e: FeatureEvent }>) => out.filter((x) => x.e === 'kick' && x.hop > 50);
  assert.deepEqual(kicks(run(120, faintKicks(0.95), faintRules)), [{ hop: 80, e: 'kick' }], "an 808 snare's boom where the net is sure of none of the kit's kicks");
  assert.deepEqual(kicks(run(120, faintKicks(0.6), faintRules)), [{ hop: 80, e: 'kick' }, { hop: 100, e: 'kick' }], 'the net unsure of the snare: the kick stands');
  const never = (h: number): Partial<NetHop> => (h === 100 ? { netSnare: 0.9 } : h === 10 ? { netKick: 0.3 } : {});
  assert.deepEqual(run(120, never, rules), [{ hop: 10, e: 'kick' }, { hop: 100, e: 'kick' }], 'a net that hears none of this kit\'s kicks vetoes none');
});

test("where no kick came for 1.5 s, a rule kick the net hears as neither drum is dropped; the groove's next kicks stand", () => {
  const rules = (h: number): Partial<RuleHop> => ({ ruleKick: h === 100 || h === 150 });
  assert.deepEqual(run(170, () => ({}), rules), [], "a chord's attack after a drumless stretch, and the next");
  const first = (h: number): Partial<NetHop> => (h === 100 ? { netKick: 0.3 } : {});
  assert.deepEqual(run(170, first, rules), [{ hop: 100, e: 'kick' }, { hop: 150, e: 'kick' }], 'the net hears some of the first');
  const before = (a: number) => (h: number): Partial<NetHop> => (h === 99 ? { netKick: a } : {});
  assert.deepEqual(run(170, before(0.19), rules), [], "a stab's attack the net reads a little of on the hop before");
  assert.deepEqual(run(170, before(0.3), rules), [{ hop: 100, e: 'kick' }, { hop: 150, e: 'kick' }], 'a kick the net heard a hop before the rules');
});

/**
 * Hops 0…n−1 with a snare tail reader that reads `darkening(onset)` for the snare whose onset was TAIL_HOPS before,
 * hats every 20 hops; `net` and `rules` as in run.
 */
function withTails(
  n: number,
  darkening: (onset: number) => number,
  net: (h: number) => Partial<NetHop>,
  rules: (h: number) => Partial<RuleHop>,
  hopRateHz = 100,
): Array<{ hop: number; e: FeatureEvent }> {
  let now = 0;
  const m = new DrumMerge(hopRateHz, 7, true, { darkening: () => darkening(now - TAIL_HOPS) });
  const out: Array<{ hop: number; e: FeatureEvent }> = [];
  let ruleKickHop = NONE;
  let ruleSnareHop = NONE;
  for (let hop = 0; hop < n; hop++) {
    now = hop;
    const r = { ruleKick: false, ruleSnare: false, ...rules(hop) };
    if (r.ruleKick) ruleKickHop = hop;
    if (r.ruleSnare) ruleSnareHop = hop;
    const events: FeatureEvent[] = [];
    m.step({ hop, ok: true, ruleKickHop, ruleSnareHop, ruleThumpHop: ruleKickHop, ...r }, { netKick: 0, netSnare: 0, snareWithKick: 0, lowNorm: 0, lowJump: 0, hats: 0, click: 1, ...net(hop) }, events);
    if (hop % 20 === 0) m.hatsAt(hop);
    for (const e of events) out.push({ hop, e });
  }
  return out;
}

test("after a snare whose tail darkened like a plucked string's, one 2 s or more after the last drum's tail waits for its own; a plucked one is dropped, and so is a kick the net hears only as a snare", () => {
  // Rule snares the net hears as snares at hops 100, 300 and 600 (a chord each, or a snare at 600); a rule kick at 400
  // the net hears as a snare only, no kick heard since the start.
  const net = (h: number): Partial<NetHop> => (h === 100 || h === 300 || h === 600 ? { netSnare: 0.95 } : h === 400 ? { netSnare: 0.6 } : {});
  const rules = (h: number): Partial<RuleHop> => ({ ruleSnare: h === 100 || h === 300 || h === 600, ruleKick: h === 400 });
  const drums = withTails(700, () => 1, net, rules);
  assert.deepEqual(drums, [{ hop: 100, e: 'snare' }, { hop: 300, e: 'snare' }, { hop: 400, e: 'kick' }, { hop: 600, e: 'snare' }], "drums' tails: nothing waits");
  const plucks = withTails(700, (onset) => (onset === 600 ? 1 : 0.2), net, rules);
  assert.deepEqual(plucks, [{ hop: 100, e: 'snare' }, { hop: 600 + TAIL_HOPS, e: 'snare' }], 'pluck chords, then a snare: it waits for its tail');
  // A tail between the marks (a club clap's) neither sets nor clears the flag.
  const claps = withTails(700, () => (TAIL_PLUCKED + TAIL_DRUM) / 2, net, rules);
  assert.deepEqual(claps, drums, 'tails between the marks: nothing waits');
});

test("claps whose tails read between the marks, after a pluck, wait no longer than the pluck's mark lasts", () => {
  // A plucked chord at hop 100, then claps every half second from hop 150, each tail between the marks.
  const onsets = (h: number): boolean => h === 100 || (h >= 150 && (h - 150) % 50 === 0 && h < 1500);
  const net = (h: number): Partial<NetHop> => (onsets(h) ? { netSnare: 0.95 } : {});
  const rules = (h: number): Partial<RuleHop> => ({ ruleSnare: onsets(h) });
  const between = (TAIL_PLUCKED + TAIL_DRUM) / 2;
  const fired = withTails(1500, (onset) => (onset === 100 ? 0.2 : between), net, rules).map((x) => x.hop);
  // Held and dropped while the mark lasts (SNARE_PLUCK_MEMORY_S, 6 s), then on time again.
  const memoryHops = SNARE_PLUCK_MEMORY_S * 100;
  assert.deepEqual(fired, [100, ...Array.from({ length: 27 }, (_, i) => 150 + 50 * i).filter((h) => h > 100 + memoryHops)]);
});

test('at a hop rate whose merge window is shorter than the tail, a held snare is read and fired before the next counts', () => {
  // 30 hops a second: the merge window is 2 hops, the tail 3. A plucked chord at hop 10, a snare at 100 held for its
  // tail, another onset 3 hops on (the same hit, still ringing).
  const onsets = (h: number): boolean => h === 10 || h === 100 || h === 103;
  const net = (h: number): Partial<NetHop> => (onsets(h) ? { netSnare: 0.95 } : {});
  const rules = (h: number): Partial<RuleHop> => ({ ruleSnare: onsets(h) });
  const fired = withTails(200, (onset) => (onset === 10 ? 0.2 : 1), net, rules, 30);
  assert.deepEqual(fired, [{ hop: 10, e: 'snare' }, { hop: 100 + TAIL_HOPS, e: 'snare' }]);
});

test("a snare the net reads at 0.5–0.9 fires where the groove's snares say one comes, not elsewhere", () => {
  // Sure snares (hold one hop) at 101 and 151 set an interval of 50 hops.
  const sure = (h: number): boolean => h === 100 || h === 101 || h === 150 || h === 151;
  type Net = (h: number) => Partial<NetHop>;
  const net = (extra: Net): Net => (h) => (sure(h) ? { netSnare: 0.95 } : extra(h));
  const unsure = (h: number, at: number): boolean => h === at || h === at + 1;
  const at = (from: number, v: Partial<NetHop>): Net => (h) => (unsure(h, from) ? v : {});
  const snares = (extra: Net, rules: (h: number) => Partial<RuleHop> = () => ({})): number[] =>
    run(260, net(extra), rules).filter((x) => x.e === 'snare').map((x) => x.hop);
  assert.deepEqual(snares(at(200, { netSnare: 0.6 })), [101, 151, 201], 'an interval after the last');
  assert.deepEqual(snares(at(199, { netSnare: 0.6 })), [101, 151, 200], 'within two hops of it');
  assert.deepEqual(snares(at(225, { netSnare: 0.6 })), [101, 151], 'half an interval on');
  assert.deepEqual(snares(at(200, { netSnare: 0.45 })), [101, 151], 'under 0.5');
  assert.deepEqual(snares(at(200, { netSnare: 0.6, netKick: 0.4 })), [101, 151], 'the net hears a kick');
  const lowRises: Net = (h) => (h === 200 ? { netSnare: 0.6 } : h === 201 ? { netSnare: 0.6, lowNorm: 0.3 } : {});
  assert.deepEqual(snares(lowRises), [101, 151], 'the low band rises');
  // In a kit whose snares come with its kicks (a rule kick drops no waiting net snare there), a kick drops this one.
  const kickAfter = (h: number): Partial<RuleHop> => ({ ruleKick: h === 201 });
  const withKicks: Net = (h) => ({ snareWithKick: 1, ...at(200, { netSnare: 0.6 })(h) });
  assert.deepEqual(snares(withKicks, kickAfter), [101, 151], 'a kick fires while it waits');
  // A chain: each expected snare found sets up the next.
  const chain: Net = (h) => (unsure(h, 200) || unsure(h, 250) ? { netSnare: 0.6 } : {});
  assert.deepEqual(snares(chain), [101, 151, 201, 251], 'the next interval on from the one found');
  // A one-hop spike over a moving low band is dropped, whatever the snare before it swelled from (h 149: 0.6).
  const spikes: Net = (h) =>
    h === 149 ? { netSnare: 0.6 } : h === 200 ? { netSnare: 0.6, lowNorm: 0.1 } : h === 201 ? { netSnare: 0.01 } : {};
  assert.deepEqual(snares(spikes), [101, 151], 'a spike of one hop');
  const afterKick = (h: number): Partial<RuleHop> => ({ ruleKick: h === 196 });
  assert.deepEqual(snares(at(200, { netSnare: 0.6 }), afterKick), [101, 151], 'within the merge window after a kick');
});

test('expected snares do not keep a kit going by themselves: with no hats and no other snare, they stop', () => {
  // A groove of sure snares (no hats at all), then stabs the net reads at 0.6 on the same grid for 5 s.
  const sureAt = [100, 150, 200, 250];
  const net = (h: number): Partial<NetHop> =>
    sureAt.some((a) => h === a || h === a + 1) ? { netSnare: 0.97 } : h >= 300 && h % 50 <= 1 ? { netSnare: 0.6 } : {};
  const snares = run(800, net, () => ({}), 1e9).filter((x) => x.e === 'snare').map((x) => x.hop);
  assert.deepEqual(snares, [101, 151, 201, 251, 301, 351, 401], 'as long as the last snare of the kit (1.5 s)');
});

test('while snares play, a rule kick the net hears as neither drum stands after 1.5 s without a kick it heard', () => {
  const snareAt = (hops: number[]) => (h: number): Partial<NetHop> =>
    hops.some((a) => h === a || h === a + 1) ? { netSnare: 0.95 } : {};
  const rules = (h: number): Partial<RuleHop> => ({ ruleKick: h === 250 || h === 300 });
  const kicks = (hops: number[]): number[] =>
    run(320, snareAt(hops), rules).filter((x) => x.e === 'kick').map((x) => x.hop);
  assert.deepEqual(kicks([150, 200]), [250, 300], 'two snares in the last 3 s: a groove the net hears no kicks of');
  assert.deepEqual(kicks([200]), [], 'one snare (a song can start on one)');
  assert.deepEqual(kicks([]), [], 'no snares: a drumless stretch');
});

test('a kick the groove expects fires where the net reads it over too little low band, but not over a snare', () => {
  // Rule kicks the net hears on hop 0 of each bar of 100 hops; on hop 60 the net reads a kick (0.7) over too little
  // low band for its own pick (NET_KICK_MIN_LOW), from bar 3 with the low band's flux at 0.2 and its energy doubled.
  const bars = (extra: (h: number) => Partial<NetHop> = () => ({})) => (h: number): Partial<NetHop> => {
    const pos = h % 100;
    const soft = h > 300 ? { netKick: 0.7, lowNorm: 0.2, lowJump: 2 } : { netKick: 0.7, lowNorm: 0.05, lowJump: 1 };
    return { ...(pos <= 1 ? { netKick: 0.9, lowNorm: 0.9, lowJump: 5 } : pos === 60 || (pos === 61 && h > 300) ? soft : {}), ...extra(h) };
  };
  const ruleKicks = (h: number): Partial<RuleHop> => (h % 100 === 0 ? { ruleKick: true } : {});
  const hops = (out: Array<{ hop: number; e: FeatureEvent }>, e: FeatureEvent): number[] => out.filter((x) => x.e === e).map((x) => x.hop);
  assert.deepEqual(hops(run(500, bars(), ruleKicks), 'kick'), [0, 100, 200, 300, 361, 400, 461]);
  const silent = (h: number): Partial<RuleHop> => ({ ...ruleKicks(h), ...(h === 361 ? { ok: false } : {}) });
  assert.deepEqual(hops(run(500, bars(), silent), 'kick'), [0, 100, 200, 300, 400, 461], 'not on a silent hop');
  // A booming snare: the net's snare (0.93) waits two hops to fire while the expected kick would fire after one.
  const boom = run(500, bars((h) => (h === 360 || h === 361 ? { netSnare: 0.93 } : {})), ruleKicks);
  assert.deepEqual(hops(boom, 'kick'), [0, 100, 200, 300, 400, 461]);
  assert.deepEqual(hops(boom, 'snare'), [362]);
});
