/**
 * How the corpus tables play a set's files: resampled, through a loud master's limiter, at another level, with mains
 * hum. Each is made once beside the original (by sox, the hum by us) and cached there.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { MAINS_HUM_RECIPE, mainsHumSignal } from '../../src/analysis/synth.js';
import { encodeWav, readWavFile } from '../../src/audio/wav.js';
import { hashOf, type CorpusItem } from './corpus.js';
import { run } from './synthesise.js';

/**
 * `wavPath` through a sox chain into a file beside it (named by `suffix`; the original's name carries the song's content
 * hash, so a re-rendered song gets a fresh one), without dither, in the original's sample format unless `outArgs` says
 * otherwise, made once; `check` may refuse the file sox made (by throwing) before it takes its name. Returns its path.
 */
export function soxBeside(
  wavPath: string,
  suffix: string,
  outArgs: string[],
  effects: string[],
  check?: (madePath: string) => void,
): string {
  const wav = wavPath.replace(/\.wav$/, '') + `@${suffix}.wav`;
  if (!existsSync(wav)) {
    run('sox', ['-D', wavPath, ...outArgs, wav + '.tmp.wav', ...effects]);
    check?.(wav + '.tmp.wav');
    renameSync(wav + '.tmp.wav', wav);
  }
  return wav;
}

/** The item through a sox chain (soxBeside). */
function throughSox(it: CorpusItem, suffix: string, outArgs: string[], effects: string[]): CorpusItem {
  const wav = soxBeside(it.wavPath, suffix, outArgs, effects);
  return { ...it, audio: readWavFile(wav), wavPath: wav };
}

/**
 * The item at another sample rate, resampled by sox (its default, very high quality resampler). The corpus renders at
 * 44.1 kHz, while most audio interfaces run at 48.
 */
export function atRate(it: CorpusItem, rateHz: number): CorpusItem {
  return rateHz === it.audio.sampleRate ? it : throughSox(it, String(rateHz), ['-r', String(rateHz)], []);
}

/**
 * The item `gainDb` louder (negative: quieter), as a line-in set lower than the renders' −1 dBFS peak would give it.
 * A 16-bit file keeps 16 bits, so its quantisation floor stays at −96 dBFS as a 16-bit interface's would.
 */
export function atGain(it: CorpusItem, gainDb: number): CorpusItem {
  return gainDb === 0 ? it : throughSox(it, `${gainDb}dB`, [], ['vol', `${gainDb}dB`]);
}

/** A loud master's limiter: gain, soft knee and time constants. */
export interface Limiter {
  /** Gain added before the limiter; everything that would then pass −1 dBFS is held at it. */
  reductionDb: number;
  kneeDb: number;
  attackMs: number;
  releaseMs: number;
  lookAheadMs: number;
}

/** The limiter the tables play through (`--limit`): a 6 dB soft knee, 0.5 ms attack, 60 ms release, 2 ms look-ahead. */
export const TABLE_LIMITER: Omit<Limiter, 'reductionDb'> = { kneeDb: 6, attackMs: 0.5, releaseMs: 60, lookAheadMs: 2 };

/** The sox effects of `lim` (compand), normalised after to the renders' −1 dBFS peak. */
export function limiterEffects(lim: Limiter): string[] {
  const r = lim.reductionDb;
  const transfer = `${lim.kneeDb}:-70,${-70 + r},${-1 - r},-1,0,-1`;
  const t = (ms: number): string => String(ms / 1000);
  const times = `${t(lim.attackMs)},${t(lim.releaseMs)}`;
  return ['compand', times, transfer, '0', '-90', t(lim.lookAheadMs), 'gain', '-n', '-1'];
}

/**
 * The item through a loud master's limiter (TABLE_LIMITER) by `reductionDb`. Club masters are limited like this by
 * 6–12 dB. The file's name carries a hash of the chain, so a changed chain makes a fresh one.
 */
export function atLimit(it: CorpusItem, reductionDb: number): CorpusItem {
  if (reductionDb === 0) return it;
  const effects = limiterEffects({ ...TABLE_LIMITER, reductionDb });
  return throughSox(it, `limit${reductionDb}dB-${hashOf(effects).slice(0, 6)}`, [], effects);
}

/**
 * The item with mains hum added at the line-in, as a ground loop adds it whatever the music's level: a buzz on
 * `mainsHz` (50 or 60) and its first eight harmonics, phases drawn per song (synth.ts `mainsHumSignal`), at `levelDb`
 * dBFS RMS. Written in 16 bits beside the original (named by a hash of the recipe), made once.
 */
export function atHum(it: CorpusItem, levelDb: number, mainsHz = 50): CorpusItem {
  const recipe = hashOf(MAINS_HUM_RECIPE);
  const wav = it.wavPath.replace(/\.wav$/, '') + `@hum${mainsHz}Hz${levelDb}dB-${recipe.slice(0, 6)}.wav`;
  if (!existsSync(wav)) {
    const sr = it.audio.sampleRate;
    const seed = parseInt(hashOf(it.name).slice(0, 8), 16);
    const hum = mainsHumSignal(it.audio.channels[0]!.length, sr, mainsHz, levelDb, seed);
    const channels = it.audio.channels.map((c) => c.map((v, i) => v + hum[i]!));
    writeFileSync(wav + '.tmp.wav', encodeWav({ sampleRate: sr, channels }, 'pcm16'));
    renameSync(wav + '.tmp.wav', wav);
  }
  return { ...it, audio: readWavFile(wav), wavPath: wav };
}

/**
 * How the tables play the files: at another rate, through a limiter, at another level, with mains hum added at the
 * line-in (in that order).
 */
export interface Playback {
  rateHz?: number;
  limitDb?: number;
  gainDb?: number;
  /** The hum's level (dBFS RMS; absent: none) and the mains frequency (absent: 50 Hz). */
  humDb?: number;
  mainsHz?: number;
  /**
   * The analysis starts this many seconds into each song (absent: at its start), as after latentvj is started, or
   * restarted, while the music plays; the tables score it from 8 s after that (score.ts scoreOurs).
   */
  restartS?: number;
}

/** The item as `playback` plays it. */
export function played(it: CorpusItem, playback: Playback): CorpusItem {
  const atR = playback.rateHz ? atRate(it, playback.rateHz) : it;
  const atG = atGain(atLimit(atR, playback.limitDb ?? 0), playback.gainDb ?? 0);
  return playback.humDb === undefined ? atG : atHum(atG, playback.humDb, playback.mainsHz);
}

