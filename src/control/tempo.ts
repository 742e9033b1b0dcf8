/**
 * Tempo sources other than the analysis: MIDI clock (24 ppqn with start/stop/continue/song position), OSC (a BPM
 * plus beat markers, e.g. AbletonOSC's tempo and beat listeners), and tap tempo. All pure over injected times
 * (milliseconds on one wall clock), so tests feed exact tick and tap times.
 * `TempoSources` picks the leader by a fixed priority: the first ACTIVE source in the list wins (defaults: MIDI clock
 * while ticks arrive, then OSC while it is fresh, then taps, then the analysis).
 */
import type { Tempo } from '../contracts/features.js';
import type { ControlConfig, TempoSourceName } from './config.js';
import type { LinkTempo } from './link.js';

const PPQN = 24;
const CLOCK_WINDOW = PPQN; // ticks averaged for the interval: one beat
const BEATS_PER_BAR = 4;

const frac = (x: number): number => x - Math.floor(x);

export class MidiClockTracker {
  /** Message-clock times (s) of the last ticks, a ring buffer. */
  private readonly times = new Float64Array(CLOCK_WINDOW + 1);
  private count = 0;
  private head = 0;
  private tickSec = 0;
  /** Clock position in ticks since Start (the first tick after Start is position 0). */
  private pos = -1;
  private lastTickWallMs = Number.NEGATIVE_INFINITY;
  running = false;
  ticks = 0;

  constructor(private readonly timeoutS = 0.5) {}

  /** A 0xF8 tick at message time `tSec`, received at `wallMs`. */
  tick(tSec: number, wallMs: number): void {
    if (this.count > 0) {
      const last = this.times[(this.head + CLOCK_WINDOW) % (CLOCK_WINDOW + 1)]!;
      // A long gap means the clock stopped and restarted: old intervals would average into the new tempo.
      if (tSec - last > this.timeoutS || tSec < last) this.count = 0;
    }
    this.times[this.head] = tSec;
    this.head = (this.head + 1) % (CLOCK_WINDOW + 1);
    if (this.count < CLOCK_WINDOW + 1) this.count += 1;
    if (this.count >= 2) {
      const newest = this.times[(this.head + CLOCK_WINDOW) % (CLOCK_WINDOW + 1)]!;
      const oldest = this.times[(this.head + CLOCK_WINDOW + 1 - this.count) % (CLOCK_WINDOW + 1)]!;
      this.tickSec = (newest - oldest) / (this.count - 1);
    }
    this.ticks += 1;
    this.pos += 1;
    this.lastTickWallMs = wallMs;
    // Devices that send clock without Start (joined mid-song) still give a tempo; the phase then counts from here.
    if (!this.running && this.pos === 0) this.running = true;
  }

  start(): void {
    this.pos = -1;
    this.running = true;
  }

  continue(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  /** Song position pointer (16th notes); the next tick lands there. */
  position(sixteenths: number): void {
    this.pos = sixteenths * 6 - 1;
  }

  get bpm(): number {
    return this.tickSec > 0 ? 60 / (this.tickSec * PPQN) : 0;
  }

  /** 0..1: how much of a beat's worth of intervals backs the estimate. */
  get confidence(): number {
    return this.count < 3 ? 0 : Math.min(1, (this.count - 1) / CLOCK_WINDOW);
  }

  active(wallMs: number): boolean {
    return this.count >= 3 && wallMs - this.lastTickWallMs <= this.timeoutS * 1000;
  }

  /** Position in ticks at `wallMs`, extrapolated at most one tick past the last one. */
  private ticksAt(wallMs: number): number {
    if (this.pos < 0) return 0;
    if (!this.running || this.tickSec <= 0) return this.pos;
    const since = Math.min(1, Math.max(0, (wallMs - this.lastTickWallMs) / (this.tickSec * 1000)));
    return this.pos + since;
  }

  fill(out: Tempo, wallMs: number): void {
    const t = this.ticksAt(wallMs);
    out.bpm = this.bpm;
    out.beatPhase = frac(t / PPQN);
    out.barPhase = frac(t / (PPQN * BEATS_PER_BAR));
    out.confidence = this.confidence;
    out.source = 'midi-clock';
  }
}

/** Folds a tempo by octaves into [minBpm, maxBpm]. */
export function foldBpm(bpm: number, minBpm: number, maxBpm: number): number {
  if (!(bpm > 0) || !Number.isFinite(bpm)) return bpm;
  let b = bpm;
  while (b < minBpm && b * 2 <= maxBpm * 1.0001) b *= 2;
  while (b > maxBpm && b / 2 >= minBpm * 0.9999) b /= 2;
  return b;
}

/**
 * Half/double-time awareness: a performer may tap every other beat (or twice per beat). When the tapped tempo
 * times 2, 1/2, 4 or 1/4 lands within `tolerance` of the reference (the tempo heard so far), that octave is meant.
 */
export function matchOctave(bpm: number, referenceBpm: number | undefined, tolerance = 0.04): number {
  if (!referenceBpm || !(referenceBpm > 0)) return bpm;
  for (const k of [1, 2, 0.5, 4, 0.25]) {
    if (Math.abs((bpm * k) / referenceBpm - 1) <= tolerance) return bpm * k;
  }
  return bpm;
}

export class TapTempo {
  private readonly taps: number[] = [];
  private beatMs = 0;
  /** Beats counted from the first tap of the sequence (the first tap is the downbeat). */
  private beatIndex = 0;
  private lastTapMs = Number.NEGATIVE_INFINITY;
  released = true;

  constructor(
    /** control.tempo.tapResetS in ms, minBpm and maxBpm: the config declares their defaults. */
    private readonly resetMs: number,
    private readonly minBpm: number,
    private readonly maxBpm: number,
  ) {}

  /** A tap at `wallMs`. `referenceBpm` (the tempo otherwise heard) resolves half/double-time tapping. */
  tap(wallMs: number, referenceBpm?: number): void {
    if (this.taps.length > 0 && (wallMs - this.lastTapMs > this.resetMs || wallMs <= this.lastTapMs)) {
      this.taps.length = 0;
    }
    if (this.taps.length >= 2) {
      // One interval far off the running mean (a missed or doubled tap) starts a new sequence from the last tap.
      const mean = (this.lastTapMs - this.taps[0]!) / (this.taps.length - 1);
      const gap = wallMs - this.lastTapMs;
      if (gap < mean * 0.6 || gap > mean * 1.6) this.taps.splice(0, this.taps.length - 1);
    }
    this.taps.push(wallMs);
    if (this.taps.length > 16) this.taps.shift();
    this.lastTapMs = wallMs;
    if (this.taps.length >= 2) {
      const intervalMs = (wallMs - this.taps[0]!) / (this.taps.length - 1);
      const tapped = 60000 / intervalMs;
      const bpm = foldBpm(matchOctave(tapped, referenceBpm), this.minBpm, this.maxBpm);
      this.beatMs = 60000 / bpm;
      // Taps at half time are two beats apart; the beat count follows the chosen octave.
      this.beatIndex = Math.round((wallMs - this.taps[0]!) / this.beatMs);
      this.released = false;
    } else if (this.beatMs > 0) {
      this.beatIndex = 0;
    }
  }

  get bpm(): number {
    return this.beatMs > 0 ? 60000 / this.beatMs : 0;
  }

  get tapCount(): number {
    return this.taps.length;
  }

  get lastTap(): number {
    return this.lastTapMs;
  }

  /** Scale the tapped tempo (half/double time) keeping the last tap as a beat. */
  scale(k: number): void {
    if (this.beatMs > 0) this.beatMs /= k;
  }

  /** Set a manual tempo (half/double of another source), anchored at `wallMs` with the given phases. */
  setManual(bpm: number, wallMs: number, beatPhase: number, barPhase: number): void {
    this.beatMs = 60000 / bpm;
    this.lastTapMs = wallMs - beatPhase * this.beatMs;
    this.beatIndex = Math.floor(barPhase * BEATS_PER_BAR);
    this.taps.length = 0;
    this.released = false;
  }

  fill(out: Tempo, wallMs: number): void {
    const beats = Math.max(0, (wallMs - this.lastTapMs) / this.beatMs) + this.beatIndex;
    out.bpm = this.bpm;
    out.beatPhase = frac(beats);
    out.barPhase = frac(beats / BEATS_PER_BAR);
    out.confidence = this.taps.length >= 4 ? 1 : this.taps.length >= 2 ? 0.5 + 0.25 * (this.taps.length - 2) : 0.5;
    out.source = 'tap';
  }
}

/** A tempo told by another program over OSC (/latentvj/tempo, AbletonOSC /live/song/get/tempo and /beat). */
export class OscTempo {
  bpm = 0;
  private beatAtMs = Number.NEGATIVE_INFINITY;
  private beatCount = 0;
  lastMs = Number.NEGATIVE_INFINITY;
  released = true;

  setBpm(bpm: number, wallMs: number): void {
    this.bpm = bpm;
    this.lastMs = wallMs;
    this.released = false;
    if (!Number.isFinite(this.beatAtMs)) this.beatAtMs = wallMs;
  }

  /** A beat marker; `count` is the host's beat number (bar phase from count mod 4) when it sends one. */
  beat(wallMs: number, count?: number): void {
    if (this.bpm <= 0 && Number.isFinite(this.beatAtMs)) {
      const gap = wallMs - this.beatAtMs;
      if (gap > 150 && gap < 2000) this.bpm = 60000 / gap; // a bare beat stream still gives a tempo
    }
    this.beatAtMs = wallMs;
    this.beatCount = count !== undefined && Number.isFinite(count) ? Math.floor(count) : this.beatCount + 1;
    this.lastMs = wallMs;
    if (this.bpm > 0) this.released = false;
  }

  fill(out: Tempo, wallMs: number): void {
    const beatMs = 60000 / this.bpm;
    const since = Number.isFinite(this.beatAtMs) ? Math.max(0, (wallMs - this.beatAtMs) / beatMs) : 0;
    const beats = (((this.beatCount % BEATS_PER_BAR) + BEATS_PER_BAR) % BEATS_PER_BAR) + since;
    out.bpm = this.bpm;
    out.beatPhase = frac(beats);
    out.barPhase = frac(beats / BEATS_PER_BAR);
    out.confidence = 1;
    out.source = 'osc';
  }
}

export interface TempoStatus {
  leading: TempoSourceName;
  bpm: number;
  /** Beats added to every source's bar position by the last re-sync (0..3). */
  barOffsetBeats: number;
  sources: Record<TempoSourceName, { active: boolean; bpm: number }>;
}

/** The tempo range half/double time may reach: the same as a `tempo` command's (control/index.ts). */
const SCALE_MIN_BPM = 20;
const SCALE_MAX_BPM = 400;

/** The tempo sources together, with the priority that decides which one leads. */
export class TempoSources {
  readonly clock: MidiClockTracker;
  readonly taps: TapTempo;
  readonly osc = new OscTempo();
  /** Ableton Link, when enabled and its binding loaded (control/index.ts attaches it). */
  link: LinkTempo | null = null;
  /** The analysis tempo last seen (for half/double-time resolution and the status). */
  private analysis: Tempo | null = null;
  private readonly out: Tempo = { bpm: 0, beatPhase: 0, barPhase: 0, confidence: 0, source: 'analysis' };
  /**
   * Whole beats added to the bar position of whichever source leads, set by a re-sync. The beat grid stays the
   * source's (it is usually right); the bar's first beat is what trackers and hosts most often get wrong.
   */
  barOffsetBeats = 0;

  constructor(private readonly cfg: ControlConfig['tempo']) {
    this.clock = new MidiClockTracker(cfg.midiClockTimeoutS);
    this.taps = new TapTempo(cfg.tapResetS * 1000, cfg.minBpm, cfg.maxBpm);
  }

  /** Feed the analysis tempo (the engine's override hook calls `merge`, which does this). */
  noteAnalysis(t: Tempo | null): void {
    this.analysis = t;
  }

  isActive(name: TempoSourceName, wallMs: number): boolean {
    switch (name) {
      case 'midi-clock':
        return this.clock.active(wallMs);
      case 'osc':
        return (
          this.osc.bpm > 0 &&
          !this.osc.released &&
          (this.cfg.oscHoldS === 0 || wallMs - this.osc.lastMs <= this.cfg.oscHoldS * 1000)
        );
      case 'tap':
        return (
          this.taps.bpm > 0 &&
          !this.taps.released &&
          (this.cfg.tapHoldS === 0 || wallMs - this.taps.lastTap <= this.cfg.tapHoldS * 1000)
        );
      case 'link':
        return this.link !== null && this.link.active();
      case 'analysis':
        return true;
    }
  }

  leader(wallMs: number): TempoSourceName {
    for (const name of this.cfg.priority) if (this.isActive(name, wallMs)) return name;
    return 'analysis';
  }

  /**
   * The tempo to use at `wallMs`: the leading source's, or `analysis` itself when the analysis leads (null when
   * there is none). The returned object is reused between calls (no allocation per frame): copy it to keep it.
   */
  merge(analysis: Tempo | null, wallMs: number): Tempo | null {
    if (analysis) this.analysis = analysis;
    const lead = this.leader(wallMs);
    switch (lead) {
      case 'midi-clock':
        this.clock.fill(this.out, wallMs);
        break;
      case 'osc':
        this.osc.fill(this.out, wallMs);
        break;
      case 'tap':
        this.taps.fill(this.out, wallMs);
        break;
      case 'link':
        this.link!.fill(this.out);
        this.shiftBar(this.out);
        return this.out;
      case 'analysis': {
        const a = analysis ?? this.analysis;
        if (this.barOffsetBeats === 0 || !a) return analysis;
        Object.assign(this.out, a);
        this.shiftBar(this.out);
        return this.out;
      }
    }
    this.shiftBar(this.out);
    // A source the performer or another program chose leads: the Link session follows it.
    this.link?.lead(this.out);
    return this.out;
  }

  private shiftBar(t: Tempo): void {
    if (this.barOffsetBeats !== 0) t.barPhase = frac(t.barPhase + this.barOffsetBeats / BEATS_PER_BAR);
  }

  tap(wallMs: number): void {
    this.taps.tap(wallMs, this.analysis?.bpm);
    // A new tap sequence counts its first tap as the downbeat: an older re-sync no longer applies.
    if (this.taps.tapCount === 2) this.barOffsetBeats = 0;
  }

  /**
   * Re-sync: the performer presses on a downbeat. The beat of the leading source's grid nearest to `wallMs`
   * becomes beat 1 of the bar; tempo and beat phase stay. Without a tempo (no beats yet) nothing changes.
   */
  resync(wallMs: number): void {
    const cur = this.merge(this.analysis, wallMs);
    if (!cur || !(cur.bpm > 0)) return;
    const beatInBar = Math.round(cur.barPhase * BEATS_PER_BAR) % BEATS_PER_BAR;
    this.barOffsetBeats = (this.barOffsetBeats + BEATS_PER_BAR - beatInBar) % BEATS_PER_BAR;
  }

  /** Half or double time of whatever leads now; the result becomes a manual (tap) tempo unless tap/OSC leads. */
  scale(k: number, wallMs: number): void {
    // Never past the range a tempo command accepts (20–400 BPM): a held (or repeating) half/double button would otherwise reach 0 or
    // Infinity BPM within a thousand presses, and phases computed from it turn NaN.
    const lead = this.leader(wallMs);
    if (lead === 'tap') {
      const bpm = this.taps.bpm * k;
      if (bpm >= SCALE_MIN_BPM && bpm <= SCALE_MAX_BPM) this.taps.scale(k);
      return;
    }
    if (lead === 'link') {
      // Half/double time of a Link session changes the session's tempo for every peer.
      const bpm = this.link!.bpm * k;
      if (bpm >= SCALE_MIN_BPM && bpm <= SCALE_MAX_BPM) this.link!.session.setTempo(bpm);
      return;
    }
    if (lead === 'osc') {
      const bpm = this.osc.bpm * k;
      if (bpm >= SCALE_MIN_BPM && bpm <= SCALE_MAX_BPM) this.osc.bpm = bpm;
      return;
    }
    const cur = lead === 'analysis' ? this.analysis : this.merge(null, wallMs);
    if (!cur || !(cur.bpm > 0)) return;
    const bpm = cur.bpm * k;
    if (!(bpm >= SCALE_MIN_BPM && bpm <= SCALE_MAX_BPM)) return;
    this.taps.setManual(bpm, wallMs, cur.beatPhase, cur.barPhase);
  }

  /** Let go of tap and OSC tempi: the analysis (or a running MIDI clock) leads again. */
  release(): void {
    this.taps.released = true;
    this.osc.released = true;
  }

  status(wallMs: number): TempoStatus {
    const leading = this.leader(wallMs);
    const cur = this.merge(null, wallMs);
    return {
      leading,
      bpm: cur?.bpm ?? this.analysis?.bpm ?? 0,
      barOffsetBeats: this.barOffsetBeats,
      sources: {
        'midi-clock': { active: this.isActive('midi-clock', wallMs), bpm: this.clock.bpm },
        osc: { active: this.isActive('osc', wallMs), bpm: this.osc.bpm },
        tap: { active: this.isActive('tap', wallMs), bpm: this.taps.bpm },
        link: { active: this.isActive('link', wallMs), bpm: this.link?.bpm ?? 0 },
        analysis: { active: this.analysis !== null, bpm: this.analysis?.bpm ?? 0 },
      },
    };
  }
}
