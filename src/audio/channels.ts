/**
 * Channel selection and mixing shared by every source, so a file and the line-in give the same shape for the same
 * settings: 1-based channel numbers, mixed to one mono channel (the average) or kept as separate channels.
 */
export type ChannelMix = 'mono' | 'keep';

export const dbToGain = (db: number): number => Math.pow(10, db / 20);

/**
 * Resolves the wanted 1-based channels against what a source has. Channels the source lacks are dropped (a mono
 * file with the default [1, 2] plays channel 1); returns the 0-based indices kept and the ones dropped.
 */
export function resolveChannels(wanted: readonly number[], available: number): { use: number[]; dropped: number[] } {
  const use: number[] = [];
  const dropped: number[] = [];
  for (const ch of wanted) {
    if (ch >= 1 && ch <= available) {
      if (!use.includes(ch - 1)) use.push(ch - 1);
    } else dropped.push(ch);
  }
  return { use, dropped };
}

/**
 * Mixes `frames` frames starting at `from` of the chosen input channels into `out` (one array when mono, else one
 * per chosen channel), applying `gain`, writing at `outOffset`. No allocation: the caller owns every buffer.
 */
export function mixInto(
  input: readonly Float32Array[],
  use: readonly number[],
  mix: ChannelMix,
  gain: number,
  from: number,
  frames: number,
  out: Float32Array[],
  outOffset = 0,
): void {
  if (mix === 'mono') {
    const o = out[0]!;
    const g = gain / use.length;
    for (let i = 0; i < frames; i++) {
      let s = 0;
      for (let k = 0; k < use.length; k++) s += input[use[k]!]![from + i]!;
      o[outOffset + i] = s * g;
    }
  } else {
    for (let k = 0; k < use.length; k++) {
      const src = input[use[k]!]!;
      const o = out[k]!;
      for (let i = 0; i < frames; i++) o[outOffset + i] = src[from + i]! * gain;
    }
  }
}

/** Number of output channels for a mix setting. */
export const outputChannels = (use: readonly number[], mix: ChannelMix): number => (mix === 'mono' ? 1 : use.length);
