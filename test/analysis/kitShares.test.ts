import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KitShares } from '../../src/analysis/kitShares.js';
import { SHARE_CLEAR_HOPS } from '../../src/analysis/drumThresholds.js';

/**
 * Bars of a kit at 100 hops a second: kicks at hops 0 and 50 of each bar, the first bringing snare-band share
 * `shares[0]` and the second `shares[1]`; snares at 25 and 75, or struck with the first kick.
 */
function play(bars: number, shares: [number, number], snaresOnKicks: boolean): KitShares {
  const k = new KitShares();
  let ruleKickHop = -1e9;
  let ruleSnareHop = -1e9;
  for (let hop = 0; hop < bars * 100; hop++) {
    const beat = hop % 100;
    if (beat === 0 || beat === 50) {
      ruleKickHop = hop;
      k.learnKick(shares[beat === 0 ? 0 : 1], hop);
    }
    if (snaresOnKicks ? beat === 0 : beat === 25 || beat === 75) {
      ruleSnareHop = hop;
      k.noteSnare(hop);
    }
    k.settleSnare(hop, ruleKickHop);
    k.settleKick(hop, ruleSnareHop);
  }
  return k;
}

test('snares struck with the kicks keep the share of snares with a kick high; a backbeat brings it down', () => {
  assert.ok(SHARE_CLEAR_HOPS < 25, 'the backbeat keeps its snares apart from its kicks');
  assert.ok(play(16, [0.2, 0.2], true).snareWithKick > 0.9);
  assert.ok(play(16, [0.2, 0.2], false).snareWithKick < 0.1);
});

test("the kick's click share follows this kit's kicks, and a backbeat kit's moves up to its typical kick", () => {
  const fresh = new KitShares().clickShare();
  assert.ok(play(16, [0.01, 0.01], true).clickShare() < 0.5 * fresh, 'quiet clicks lower it');
  // Kicks bringing 0.005 and 0.05 in turn: the low quantile stays near the quiet ones, the typical share (kicks heard
  // without a snare) near their log-mean, which only a backbeat kit (snares apart from kicks) takes up.
  const apart = play(16, [0.005, 0.05], false).clickShare();
  const withClaps = play(16, [0.005, 0.05], true).clickShare();
  assert.ok(apart > 1.5 * withClaps, `${apart} against ${withClaps}`);
  assert.ok(apart <= fresh);
});
