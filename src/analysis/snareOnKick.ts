/**
 * A snare or clap struck with a kick that the snare envelope missed on the kick's hop, told a hop or two after it.
 * With claps on four-on-the-floor kicks whose snares never come alone, the snare floor stays the fixed one and the
 * clap's part of the kick hop's snare-band flux leaves the envelope under its threshold (third kept-apart set's DJ
 * mix, tight machine: 0.47–0.56); the clap's last, long burst crossed it three or four hops on instead: a miss and a
 * false hit 55–61 ms late.
 *
 * A beater click is short, while a clap's or a snare's noise goes on filling the analysis frame: once the click is
 * over, the snare band still brings SNARE_GOES_ON of the flux it brought with the click, and SNARE_GOES_ON_SHARE of
 * the kick's low flux (the tight machine's claps: 0.58–1.38 and 0.021–0.045). The 46 ms frame sees a click over two
 * or three hops, so the click is judged over on the first hop after the kick's (of the next GOES_ON_HOPS) on which
 * the kick's gated low flux no longer rises by KICK_STILL_RISING: a kick the rules catch on its click's first hop
 * brings the click's peak on the next (second kept-apart set's DnB on the Pearl kit: 0.65–2.2 times the kick hop's,
 * where the kicks caught a hop later bring 0.1–0.4).
 * Flux alone does not tell a clap from a kick whose click or body rings on in the snare band (the tight machine's
 * kicks without a clap reach 0.91 and 0.097 on the judged hop), so the net must hear a snare too, if under its own
 * threshold: SNARE_GOES_ON_NET on some hop from the one before the kick's to the judged one (the claps: 0.05–0.98,
 * 17 of 20 from 0.14; those kicks: 0.03 at most).
 */
import { GOES_ON_HOPS, KICK_STILL_RISING, SNARE_GOES_ON, SNARE_GOES_ON_NET, SNARE_GOES_ON_SHARE } from './drumThresholds.js';

export class SnareOnKick {
  /**
   * The snare band's largest flux from the hop before the kick's to the last hop its low flux rose, the kick's largest
   * gated low flux over those hops, and that of the last one.
   */
  private clickSnareFlux = 0;
  private kickRef = 0;
  private kickPrev = 0;
  private kickHop = -1e9;
  /** Whether the newest kick's snare is still to be judged. */
  private open = false;
  /** The net's largest snare activation since the hop before the kick's, and that of the last hop. */
  private net = 0;
  private prevNet = 0;

  /**
   * A rule kick at `hop`, with the larger of this hop's and the last hop's snare-band and gated low flux, this hop's
   * gated low flux and the net's snare activation.
   */
  kick(hop: number, snareRef: number, kickRef: number, kickFlux: number, netSnare: number): void {
    this.kickHop = hop;
    this.clickSnareFlux = snareRef;
    this.kickRef = kickRef;
    this.kickPrev = kickFlux;
    this.net = Math.max(netSnare, this.prevNet);
    this.open = true;
  }

  /**
   * Once a hop, after the kick decision: whether this hop's snare-band flux `snareFlux` is that of a snare struck with
   * the newest kick (`kickFlux`: the gated low flux; `netSnare`: the net's activation). Only where no snare came at or
   * just before the kick (`lastSnareHop`).
   */
  struck(
    hop: number,
    snareFlux: number,
    kickFlux: number,
    netSnare: number,
    lastSnareHop: number,
    ok: boolean,
  ): boolean {
    this.prevNet = netSnare;
    if (!this.open) return false;
    this.net = Math.max(this.net, netSnare);
    const after = hop - this.kickHop;
    if (after < 1) return false;
    if (!ok || after > GOES_ON_HOPS || lastSnareHop >= this.kickHop - 1) {
      this.open = false;
      return false;
    }
    if (kickFlux > KICK_STILL_RISING * this.kickPrev) {
      this.clickSnareFlux = Math.max(this.clickSnareFlux, snareFlux);
      this.kickRef = Math.max(this.kickRef, kickFlux);
      this.kickPrev = kickFlux;
      return false;
    }
    this.open = false;
    return (
      this.kickRef > 0 &&
      this.net >= SNARE_GOES_ON_NET &&
      snareFlux >= SNARE_GOES_ON * this.clickSnareFlux &&
      snareFlux >= SNARE_GOES_ON_SHARE * this.kickRef
    );
  }
}
