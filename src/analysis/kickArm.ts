/**
 * A kick candidate while it is armed: a low-band onset opens a window of KICK_ARM_HOPS hops in which the kick's
 * confirmations (the beater click, the low jump, the rise's shape) are gathered, as the largest or smallest seen since.
 */

/** How long (hops) a low-band onset waits for the kick's confirmations. */
export const KICK_ARM_HOPS = 3;

export class KickArm {
  /** Hops left in the window (0: not armed). */
  hopsLeft = 0;
  /** Largest click gate (0..1) seen since armed. */
  gateSeen = 0;
  /** Largest hats-band and click-band flux and normalised low flux since the hop before the kick was armed. */
  hats = 0;
  click = 0;
  low = 0;
  /** Smallest thump rise since armed (a snare's body does not become a kick's thump a hop later). */
  thump = 0;
  /** Largest bass rise (KickShape.bassRise) since armed. */
  bassRise = 0;
  private hatsPrev = 0;
  private clickPrev = 0;

  /** A low-band onset this hop: the window opens, with the hats and click fluxes of the hop before. */
  open(): void {
    this.hopsLeft = KICK_ARM_HOPS;
    this.gateSeen = 0;
    this.hats = this.hatsPrev;
    this.click = this.clickPrev;
    this.low = 0;
    this.thump = 1e30;
    this.bassRise = 0;
  }

  /** Every hop, after `open`: remembers this hop's raw hats and click fluxes for the next window. */
  remember(hats: number, click: number): void {
    this.hatsPrev = hats;
    this.clickPrev = click;
  }

  /** A hop inside the window (hopsLeft > 0): counts it and takes this hop's readings in. */
  take(gate: number, hats: number, click: number, lowNorm: number, thumpRise: number, bassRise = 0): void {
    this.hopsLeft--;
    if (gate > this.gateSeen) this.gateSeen = gate;
    if (hats > this.hats) this.hats = hats;
    if (click > this.click) this.click = click;
    if (lowNorm > this.low) this.low = lowNorm;
    if (thumpRise < this.thump) this.thump = thumpRise;
    if (bassRise > this.bassRise) this.bassRise = bassRise;
  }
}
