/**
 * Whether a snare candidate is only a kick's click: the beater's click of a power kit's kick (TimGM's, and kits like
 * it) is a broadband burst that the rules and the net both read as a snare struck with the kick, but it is gone within
 * 10–20 ms, while a snare's wires (a clap's bursts) ring on for a hundred. So the input is band-passed around 2 kHz
 * (two second-order band-passes, Q 0.7) and its energy kept in 2.5 ms blocks; at a snare event, the loudest 5 ms
 * within the 40 ms before its hop ends (to 5 ms before) is the candidate's attack, and the energy from 10 to 20 ms
 * after that attack began (up to the hop's end, at least 5 ms of it) against the attack's is what its tail kept.
 * Measured on the corpus and the first four kept-apart sets, on every snare event the analysis gave there, read so
 * from the renders' mono mix: of the 461 true snares struck with a kick event (±30 ms) none kept under 0.060 (a club
 * mix's 808 clap; the next 0.076), of the 3 585 struck alone none under 0.072; of the 122 false snares on kicks, 33
 * kept under 0.04, all on TimGM's kicks (a swing, an 808 drum'n'bass, half-time drum'n'bass) but two (GMbank's waltz).
 * Centred at 4 kHz the two kinds overlap (true snares from 0.031, false ones up to 0.029), at 6–8 kHz more. A ride or
 * hat ringing on with the click keeps the band up, and such a false snare stands (half the swing's).
 * A biquad pair over the hop's samples (about 440 at 44.1 kHz, filters.ts), and a scan of a few blocks per snare.
 */
import { Biquad } from './filters.js';

/** Share of the attack's energy under which the tail is no snare's (see the figures above: true snares ≥ 0.060). */
export const CLICK_KEPT = 0.04;
const BLOCK_S = 0.0025;
/** The attack is the loudest pair of blocks (5 ms) starting within this long before the event's hop ends… */
const ATTACK_SEARCH_S = 0.04;
/** …and ending at least this long before it. */
const ATTACK_END_S = 0.005;
/** The tail: from this long after the attack's start… */
const TAIL_FROM_S = 0.01;
/** …to this long after it (or the hop's end), at least TAIL_MIN_S of it. */
const TAIL_TO_S = 0.02;
const TAIL_MIN_S = 0.005;
const CENTRE_HZ = 2000;
const Q = 0.7;
/** Under this sample rate the band nears Nyquist: no snare is read as a click. */
const MIN_RATE_HZ = 16000;

/** Reads whether the snare event of the current hop (or of a hop some hops back) is a kick's click. */
export interface ClickReader {
  /** Whether the candidate whose event hop is `hopsBack` hops before the newest pushed hop is a click. */
  clickOnly(hopsBack?: number): boolean;
}

export class ClickTail implements ClickReader {
  /** The last candidate's tail against its attack (diagnostics; NaN where none was read). */
  lastKept = NaN;
  private readonly active: boolean;
  private readonly blockSamples: number;
  /** Blocks a second (BLOCK_S rounded to whole samples). */
  private readonly perS: number;
  /** Block energies, a ring; `blocks` counts the blocks completed. */
  private readonly ring: Float64Array;
  private blocks = 0;
  /** Blocks completed at the end of each of the last hops, a ring. */
  private readonly hopEnds: Float64Array;
  private hops = 0;
  /** The block being filled: its energy so far and its samples. */
  private acc = 0;
  private filled = 0;
  /** The two band-passes, and the hop's samples through them. */
  private readonly bands: [Biquad, Biquad];
  private readonly buf: Float64Array;

  /** `maxHopsBack`: how many hops back a candidate may be asked about. */
  constructor(sampleRate: number, hopSamples: number, maxHopsBack = 4) {
    this.active = sampleRate >= MIN_RATE_HZ;
    this.blockSamples = Math.max(1, Math.round(BLOCK_S * sampleRate));
    this.perS = sampleRate / this.blockSamples;
    const span = ATTACK_SEARCH_S + TAIL_TO_S + ((maxHopsBack + 1) * hopSamples) / sampleRate;
    this.ring = new Float64Array(Math.ceil(span / BLOCK_S) + 4);
    this.hopEnds = new Float64Array(maxHopsBack + 2);
    this.bands = [Biquad.bandpass(CENTRE_HZ, Q, sampleRate), Biquad.bandpass(CENTRE_HZ, Q, sampleRate)];
    this.buf = new Float64Array(hopSamples);
  }

  /** The hop's samples: the newest `n` of `data` (a power-of-two ring with `mask`, `written` samples so far). */
  pushHop(data: Float32Array, mask: number, written: number, n: number): void {
    if (this.active) {
      const buf = n <= this.buf.length ? this.buf : new Float64Array(n);
      for (let i = 0; i < n; i++) buf[i] = data[(written - n + i) & mask]!;
      this.bands[0].processBlock(buf, n);
      this.bands[1].processBlock(buf, n);
      const { blockSamples, ring } = this;
      for (let i = 0; i < n; i++) {
        this.acc += buf[i]! * buf[i]!;
        if (++this.filled === blockSamples) {
          ring[this.blocks % ring.length] = this.acc;
          this.blocks++;
          this.acc = 0;
          this.filled = 0;
        }
      }
    }
    this.hopEnds[this.hops % this.hopEnds.length] = this.blocks;
    this.hops++;
  }

  clickOnly(hopsBack = 0): boolean {
    this.lastKept = NaN;
    if (!this.active || hopsBack >= this.hops || hopsBack >= this.hopEnds.length) return false;
    const end = this.hopEnds[(this.hops - 1 - hopsBack) % this.hopEnds.length]!;
    const perS = this.perS;
    const first = end - Math.round(ATTACK_SEARCH_S * perS);
    const lastStart = end - Math.round(ATTACK_END_S * perS);
    // The attack's search must lie after the stream's start and within the ring.
    if (first < 0 || first < this.blocks - this.ring.length + 1) return false;
    const r = this.ring;
    const at = (j: number): number => r[j % r.length]!;
    let peak = 0;
    let peakAt = -1;
    for (let j = first; j <= lastStart; j++) {
      const e = at(j) + at(j + 1);
      if (e > peak) {
        peak = e;
        peakAt = j;
      }
    }
    if (peakAt < 0) return false;
    const from = peakAt + Math.round(TAIL_FROM_S * perS);
    const to = Math.min(peakAt + Math.round(TAIL_TO_S * perS), end);
    if (to - from < Math.round(TAIL_MIN_S * perS)) return false;
    let tail = 0;
    for (let j = from; j < to; j++) tail += at(j);
    // Mean energy per block, the tail's against the attack's.
    this.lastKept = tail / (to - from) / (peak / 2);
    return this.lastKept < CLICK_KEPT;
  }
}
