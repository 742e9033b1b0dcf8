/**
 * SnareRule on its own: the envelope's pick, the hop a snare picked with a kick waits, the kick's own click, the
 * snare told after the kick's click, and the hat that reaches into the snare band. The detector's whole chain is
 * tested in snareOnKick.test.ts, snareUnmix.test.ts and the kit tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnareRule, type SnareRuleHop } from '../../src/analysis/snareRule.js';
import { KitShares } from '../../src/analysis/kitShares.js';
import { KickShape } from '../../src/analysis/kickShape.js';
import { SnareOnKick } from '../../src/analysis/snareOnKick.js';
import { DrumTonality } from '../../src/analysis/drumTonality.js';
import { OnsetPicker } from '../../src/analysis/onsets.js';
import { analysisConfigSchema } from '../../src/analysis/config.js';
import { CLICK_TEST_WITH_KICK, SNARE_HATS_OVER_CLICK, SNARE_HOLD_MARGIN } from '../../src/analysis/drumThresholds.js';

const NONE = -1e9;
const BIN_HZ = 44100 / 2048;
const BINS = 1025;
const HOP_RATE_HZ = 100;
const cfg = analysisConfigSchema.parse({});

interface Parts {
  rule: SnareRule;
  shares: KitShares;
  shape: KickShape;
  onKick: SnareOnKick;
}

/** A rule with the default config's snare picker and snare band, and the kit's shares to set. */
function rule(snareWithKick: number): Parts {
  const shares = new KitShares();
  shares.snareWithKick = snareWithKick;
  const shape = new KickShape(BIN_HZ, BINS);
  const onKick = new SnareOnKick();
  const minIoi = Math.max(1, Math.round((cfg.minInterOnsetMs / 1000) * HOP_RATE_HZ));
  const r = new SnareRule(
    new OnsetPicker(3, 10, cfg.snareThreshold, minIoi, cfg.onsetRatio),
    shares,
    shape,
    onKick,
    new DrumTonality(BIN_HZ, BINS, cfg.snareBandHz[0], cfg.snareBandHz[1], HOP_RATE_HZ),
  );
  return { rule: r, shares, shape, onKick };
}

/** Runs hops 0…n−1 (quiet unless `at` says otherwise) and returns the hops on which a snare fired. */
function run(r: SnareRule, n: number, at: (hop: number) => Partial<SnareRuleHop>): number[] {
  const fired: number[] = [];
  for (let hop = 0; hop < n; hop++) {
    const h: SnareRuleHop = {
      hop, ok: true, envelope: 0, snareFlux: 0, kickRef: 0, kick: 0, hats: 0, click: 0, over: 0.4,
      ruleKickHop: NONE, ruleSnareHop: NONE, netSnare: 0,
      ...at(hop),
    };
    r.decide(h);
    if (r.snare) fired.push(hop);
  }
  return fired;
}

/** A snare's hop: the envelope up, flux in the snare band with its click under the hats' reach. */
const snareAt = (extra: Partial<SnareRuleHop> = {}): Partial<SnareRuleHop> => ({
  envelope: 0.9,
  snareFlux: 1,
  click: 1,
  hats: 0.5,
  ...extra,
});

test('a snare on its own fires on the hop its envelope is picked, and not on a silent hop', () => {
  const { rule: r } = rule(1);
  assert.deepEqual(run(r, 30, (hop) => (hop === 20 ? snareAt() : {})), [20]);
  const { rule: quiet } = rule(1);
  assert.deepEqual(run(quiet, 30, (hop) => (hop === 20 ? snareAt({ ok: false }) : {})), []);
});

test('where snares come apart from kicks, one picked on the kick hop waits a hop and fires over the kick', () => {
  // Under SNARE_HOLD_MARGIN times the kick's share: held. On the next hop it fires if its flux was over `over` times
  // the larger kick reference.
  const over = 0.4;
  const kickRef = 1;
  const held = (flux: number, kickNext: number): number[] => {
    const { rule: r } = rule(0.2);
    return run(r, 30, (hop) =>
      hop === 20 ? snareAt({ snareFlux: flux, kickRef, over, ruleKickHop: 20 })
      : hop === 21 ? { kick: kickNext, ruleKickHop: 20, click: 0.8, hats: 0.3 } // the snare's noise goes on
      : {},
    );
  };
  assert.ok(0.6 < SNARE_HOLD_MARGIN * over * kickRef, 'the flux below is in the hold');
  assert.deepEqual(held(0.6, 0.5), [21], 'over the kick share: fires a hop late');
  assert.deepEqual(held(0.6, 2), [], 'the kick grew on the next hop (a slow thump): its click, no snare');
  // Where the kit's snares come with its kicks (claps on four-on-the-floor), nothing waits.
  const { rule: claps } = rule(1);
  const clap = snareAt({ snareFlux: 0.6, kickRef, over, ruleKickHop: 20 });
  assert.deepEqual(run(claps, 30, (hop) => (hop === 20 ? clap : {})), [20]);
});

test('a hat whose flux above 6 kHz is SNARE_HATS_OVER_CLICK times its 1–6 kHz flux is no snare', () => {
  const fire = (hats: number): number[] =>
    run(rule(1).rule, 30, (hop) => (hop === 20 ? snareAt({ hats, click: 1 }) : {}));
  assert.deepEqual(fire(SNARE_HATS_OVER_CLICK * 0.9), [20]);
  assert.deepEqual(fire(SNARE_HATS_OVER_CLICK), []);
});

test('a snare whose noise goes on once the kick\'s click is over fires after it, and holds the picker off', () => {
  // A kit whose snares come with its kicks (claps on four-on-the-floor); the kick on hop 20 brought its click.
  const fired = (snareWithKick: number): number[] => {
    const p = rule(snareWithKick);
    p.onKick.kick(20, 1, 10, 10, 0.5);
    return run(p.rule, 30, (hop) => {
      if (hop === 20) return { ruleKickHop: 20, kick: 10, kickRef: 10 };
      // The kick's low flux falls; the snare band keeps 0.8 of the click's flux and the net hears a snare.
      if (hop === 21) {
        return { ruleKickHop: 20, kick: 5, kickRef: 10, snareFlux: 0.8, click: 1, hats: 0.5, netSnare: 0.5 };
      }
      // The clap's last burst crosses the envelope's threshold: the same snare, no second event.
      if (hop === 22) return { ...snareAt(), ruleKickHop: 20, ruleSnareHop: 21 };
      return {};
    });
  };
  assert.ok(1 >= CLICK_TEST_WITH_KICK);
  assert.deepEqual(fired(1), [21]);
  // Where snares come apart from kicks, the click test holds instead: nothing is told after the click.
  assert.deepEqual(fired(0.2), [22]);
});

test('where snares come apart from kicks, a pick with no more wires than its kicks is their click', () => {
  const pick = (wires: number): number[] => {
    const p = rule(0.2);
    // Kicks whose click brings hats 0.3 of its 1–6 kHz flux, consistently.
    for (let i = 0; i < 8; i++) p.shape.learnKick(0.3);
    return run(p.rule, 30, (hop) => (hop === 21 ? snareAt({ hats: wires, click: 1, ruleKickHop: 20 }) : {}));
  };
  assert.deepEqual(pick(0.3), [], 'the kick\'s own click');
  assert.deepEqual(pick(2), [21], 'wires: a snare');
  // Picked on the kick's hop and held a hop (its flux within the hold): judged by the wires it had when picked.
  const held = (wires: number): number[] => {
    const p = rule(0.2);
    for (let i = 0; i < 8; i++) p.shape.learnKick(0.3);
    return run(p.rule, 30, (hop) =>
      hop === 20 ? snareAt({ snareFlux: 0.6, kickRef: 1, over: 0.4, hats: wires, click: 1, ruleKickHop: 20 })
      : hop === 21 ? { kick: 0.5, ruleKickHop: 20, click: 0.8, hats: 0.3 }
      : {},
    );
  };
  assert.deepEqual(held(0.3), []);
  assert.deepEqual(held(2), [21]);
});
