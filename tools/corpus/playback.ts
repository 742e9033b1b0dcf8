/**
 * How the corpus tables play a set's files: resampled, through a loud master's limiter, at another level. Each is made
 * once by sox beside the original and cached there.
 */
import { existsSync, renameSync } from 'node:fs';
import { readWavFile } from '../../src/audio/wav.js';
import { hashOf, type CorpusItem } from './corpus.js';
import { run } from './synthesise.js';

/**
 * The item through a sox chain: its file processed into one beside it (named by `suffix`; the original's name carries
 * the song's content hash, so a re-rendered song gets a fresh one), without dither, in the original's sample format
 * unless `outArgs` says otherwise, made once.
 */
function throughSox(it: CorpusItem, suffix: string, outArgs: string[], effects: string[]): CorpusItem {
  const wav = it.wavPath.replace(/\.wav$/, '') + `@${suffix}.wav`;
  if (!existsSync(wav)) {
    run('sox', ['-D', it.wavPath, ...outArgs, wav + '.tmp.wav', ...effects]);
    renameSync(wav + '.tmp.wav', wav);
  }
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
  return ['compand', `${t(lim.attackMs)},${t(lim.releaseMs)}`, transfer, '0', '-90', t(lim.lookAheadMs), 'gain', '-n', '-1'];
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

/** How the tables play the files: at another rate, through a limiter, at another level (in that order). */
export interface Playback {
  rateHz?: number;
  limitDb?: number;
  gainDb?: number;
}

/** The item as `playback` plays it. */
export function played(it: CorpusItem, playback: Playback): CorpusItem {
  const atR = playback.rateHz ? atRate(it, playback.rateHz) : it;
  return atGain(atLimit(atR, playback.limitDb ?? 0), playback.gainDb ?? 0);
}

