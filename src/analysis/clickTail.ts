/**
 * Whether a snare candidate is only a kick's click: the beater's click of a power kit's kick (TimGM's, and kits like
 * it) is a broadband burst that the rules and the net both read as a snare struck with the kick, but it is gone within
 * 10–20 ms, while a snare's wires (a clap's bursts) ring on for a hundred. So the input is band-passed around 2 kHz
 * (two second-order band-passes, Q 0.7) and its energy kept in 2.5 ms blocks; at a snare event, the loudest 5 ms
 * within the 40 ms before its hop ends is the candidate's attack, and the energy from 10 to 20 ms after that attack
 * began (up to the hop's end, at least 5 ms of it: so the attack began 15 ms or more before) against the attack's is
 * what its tail kept. An attack at the very start of the 40 ms may be the decay of something struck before: no click.
 * Measured on the corpus and the first four kept-apart sets, on every snare event the analysis gave there, read so
 * from the renders' mono mix: of the 461 true snares struck with a kick event (±30 ms) none kept under 0.060 (a club
 * mix's 808 clap; the next 0.076), of the 3 585 struck alone none under 0.072; of the 122 false snares on kicks, 33
 * kept under 0.04, all on TimGM's kicks (a swing, an 808 drum'n'bass, half-time drum'n'bass) but two (GMbank's waltz).
 * Centred at 4 kHz the two kinds overlap (true snares from 0.031, false ones up to 0.029), at 6–8 kHz more. A ride or
 * hat ringing on with the click keeps the band up, and such a false snare stands (half the swing's).
 * Read only when a snare would fire: the last 42 ms of the input ring run through a fresh pair of biquads
 * (filters.ts), their first 2 ms let settle: 15–35 µs a read, so at one to three snares a second 0.2–1 µs a hop,
 * where filtering every hop's samples cost 3.5–5 µs a hop (a micro-bench of both).
 */
import { Biquad } from './filters.js';
import type { SampleRing } from './hopInput.js';

/** Share of the attack's energy under which the tail is no snare's (see the figures above: true snares ≥ 0.060). */
export const CLICK_KEPT = 0.04;
const BLOCK_S = 0.0025;
/** The attack is the loudest pair of blocks (5 ms) within this long before the event's hop ends. */
const ATTACK_SEARCH_S = 0.04;
/** The tail: from this long after the attack's start… */
const TAIL_FROM_S = 0.01;
/** …to this long after it (or the hop's end), at least TAIL_MIN_S of it. */
const TAIL_TO_S = 0.02;
const TAIL_MIN_S = 0.005;
const CENTRE_HZ = 2000;
const Q = 0.7;
/** The figures above are at 44.1 kHz; under this rate (telephone-grade input) no snare is read as a click. */
const MIN_RATE_HZ = 16000;
/** How many hops back a candidate may be asked about, by default (a held snare's tail is read 3 hops on). */
const MAX_HOPS_BACK = 4;
/** Samples filtered before the attack's search, for the filters to settle (each rings with a 0.11 ms time constant). */
const SETTLE_S = 0.002;

/** Reads whether the snare event of the current hop (or of a hop some hops back) is a kick's click. */
export interface ClickReader {
  /** Whether the candidate whose event hop is `hopsBack` hops before the newest pushed hop is a click. */
  clickOnly(hopsBack?: number): boolean;
}

export class ClickTail implements ClickReader {
  /** The last candidate's tail against its attack this hop (diagnostics; NaN where none was read). */
  lastKept = NaN;
  private readonly active: boolean;
  private readonly blockSamples: number;
  /** Blocks of the attack's search, and of the tail's start, end and least length (after the attack's start). */
  private readonly searchBlocks: number;
  private readonly tailFrom: number;
  private readonly tailTo: number;
  private readonly tailMin: number;
  private readonly settleSamples: number;
  /** Samples written at the end of each of the last hops, a ring. */
  private readonly hopEnds: Float64Array;
  private hops = 0;
  private readonly bands: [Biquad, Biquad];
  private readonly buf: Float64Array;
  private readonly energy: Float64Array;

  /** The input's sample ring (hopInput.ts), as the last hop gave it. */
  private ring: SampleRing | null = null;

  /** Samples of input a read `maxHopsBack` hops back needs: the extractor's sample ring keeps at least as many. */
  static historySamples(sampleRate: number, hopSamples: number, maxHopsBack = MAX_HOPS_BACK): number {
    const block = Math.max(1, Math.round(BLOCK_S * sampleRate));
    return Math.round(SETTLE_S * sampleRate) + Math.round(ATTACK_SEARCH_S / BLOCK_S) * block + maxHopsBack * hopSamples;
  }

  /** `maxHopsBack`: how many hops back a candidate may be asked about. */
  constructor(sampleRate: number, maxHopsBack = MAX_HOPS_BACK) {
    this.active = sampleRate >= MIN_RATE_HZ;
    this.blockSamples = Math.max(1, Math.round(BLOCK_S * sampleRate));
    const blocks = (s: number): number => Math.round(s / BLOCK_S);
    this.searchBlocks = blocks(ATTACK_SEARCH_S);
    this.tailFrom = blocks(TAIL_FROM_S);
    this.tailTo = blocks(TAIL_TO_S);
    this.tailMin = blocks(TAIL_MIN_S);
    this.settleSamples = Math.round(SETTLE_S * sampleRate);
    this.hopEnds = new Float64Array(maxHopsBack + 1);
    this.bands = [Biquad.bandpass(CENTRE_HZ, Q, sampleRate), Biquad.bandpass(CENTRE_HZ, Q, sampleRate)];
    this.buf = new Float64Array(this.settleSamples + this.searchBlocks * this.blockSamples);
    this.energy = new Float64Array(this.searchBlocks);
  }

  /** A hop ended: its samples are the newest in `ring`. */
  hopEnded(ring: SampleRing): void {
    this.lastKept = NaN;
    this.ring = ring;
    this.hopEnds[this.hops % this.hopEnds.length] = ring.written;
    this.hops++;
  }

  clickOnly(hopsBack = 0): boolean {
    this.lastKept = NaN;
    const ring = this.ring;
    if (!this.active || !ring || hopsBack >= this.hops || hopsBack >= this.hopEnds.length) return false;
    const end = this.hopEnds[(this.hops - 1 - hopsBack) % this.hopEnds.length]!;
    const { buf, energy, blockSamples, searchBlocks } = this;
    const n = buf.length;
    const start = end - n;
    const { data, mask, written } = ring;
    // The samples must still be in the ring; before the stream's start it reads silence (its zeros).
    if (start < written - data.length) return false;
    for (let i = 0; i < n; i++) buf[i] = data[(start + i) & mask]!;
    for (const b of this.bands) {
      b.reset();
      b.processBlock(buf, n);
    }
    // Blocks ending at the hop's end, after the settling samples.
    for (let k = 0, i = this.settleSamples; k < searchBlocks; k++) {
      let e = 0;
      for (const stop = i + blockSamples; i < stop; i++) e += buf[i]! * buf[i]!;
      energy[k] = e;
    }
    let peak = 0;
    let peakAt = -1;
    for (let j = 0; j + 1 < searchBlocks; j++) {
      const e = energy[j]! + energy[j + 1]!;
      if (e > peak) {
        peak = e;
        peakAt = j;
      }
    }
    if (peakAt <= 0) return false;
    const from = peakAt + this.tailFrom;
    const to = Math.min(peakAt + this.tailTo, searchBlocks);
    if (to - from < this.tailMin) return false;
    let tail = 0;
    for (let j = from; j < to; j++) tail += energy[j]!;
    // Mean energy per block, the tail's against the attack's.
    this.lastKept = tail / (to - from) / (peak / 2);
    return this.lastKept < CLICK_KEPT;
  }
}
