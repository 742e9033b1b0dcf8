/** Raw (un-normalised) band fluxes of the last hop, for diagnostics and evaluation tools. */
export interface DrumDiagnostics {
  all: number;
  kick: number;
  snare: number;
  hats: number;
  click: number;
  /** Kick confirmations of the last hop: the click gate 0..1, low power over its recent mean, upper/thump rise. */
  gate: number;
  lowJump: number;
  bassRise: number;
  /** Power rise at 120–225 Hz over that at 30–120 Hz, and the latter relative to the level², over 3 hops. */
  bodyShare: number;
  thumpRise: number;
  /** 1 where the kick's low-band onset picker fired this hop (the kick is armed), else 0. */
  kickPicked: number;
  /** The low band's flux before the click gate. */
  low: number;
  /** The snare normaliser's peak. */
  snarePeak: number;
  /** Where a snare was read for a kick's click this hop, what its tail kept (clickTail.ts), else NaN. */
  clickKept: number;
}

export const emptyDrumDiagnostics = (): DrumDiagnostics => ({
  ...{ all: 0, kick: 0, snare: 0, hats: 0, click: 0 },
  ...{ gate: 0, lowJump: 0, bassRise: 0, bodyShare: 0, thumpRise: 0, kickPicked: 0, low: 0, snarePeak: 0 },
  clickKept: Number.NaN,
});
