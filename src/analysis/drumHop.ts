/**
 * What the drum merge (drumMerge.ts) and its vetoes (netVetoes.ts) read of a hop: the rules' events and the learned
 * net's activations, as drums.ts hands them over, and the reader of a snare's tail.
 */

/** Reads the tail of a snare candidate TAIL_HOPS before the hop (SnareTail.darkening). */
export interface SnareTailReader {
  darkening(): number;
}

export interface RuleHop {
  hop: number;
  /** False on silent hops (no event). */
  ok: boolean;
  ruleKick: boolean;
  ruleSnare: boolean;
  ruleKickHop: number;
  ruleSnareHop: number;
  /** The rules' snare of this hop was told once their kick's click was over (SnareOnKick); absent: false. */
  ruleSnareAfterClick?: boolean;
  ruleThumpHop: number;
}

export interface NetHop {
  netKick: number;
  netSnare: number;
  /** The rules' running share of snares struck with a kick. */
  snareWithKick: number;
  /** The low band's energy over its mean three to seven hops back. */
  lowJump: number;
  /** The low band's normalised flux, and the raw flux above 6 kHz and at 1–6 kHz. */
  lowNorm: number;
  hats: number;
  click: number;
}
