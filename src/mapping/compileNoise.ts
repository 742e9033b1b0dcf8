import { dirname, isAbsolute, join } from 'node:path';
import type { Manifest } from '../contracts/model.js';
import { defaultNoiseFields, rasteriseMask, type MaskShape } from '../visual/noise.js';
import { NoiseLoops } from '../visual/noiseLoops.js';
import type { TargetSlot } from '../visual/technique.js';
import { MappingError } from './load.js';
import type { MappingSpec } from './schema.js';

/**
 * The noise technique of a mapping: the two looping fields checked against the model's noise bank, and the mask
 * regions rasterised once (image paths relative to the mapping file), each with its strength slot.
 */
export function compileNoise(spec: MappingSpec, m: Manifest, file: string, maskNames: readonly string[], S: (name: string) => TargetSlot): NoiseLoops {
  const K = m.noiseBank;
  const fields = defaultNoiseFields(K);
  const constField = typeof m.options?.noiseConstIndex === 'number' ? (m.options.noiseConstIndex as number) : 0;
  fields.constField = K > 0 ? Math.min(constField, K - 1) : 0;
  const slowLoop = spec.noise?.slow ?? { periodBars: 8 };
  const fastLoop = spec.noise?.fast ?? { periodBeats: 1 };
  for (const which of ['slow', 'fast'] as const) {
    const f = (which === 'slow' ? slowLoop : fastLoop).fields;
    if (!f) continue;
    const bad = f.find((i) => i >= K);
    if (bad !== undefined) throw new MappingError(['noise', which, 'fields'], `field ${bad} is beyond this model's noise bank (K = ${K}, fields 0…${K - 1})`);
    fields[which] = [f[0], f[1]];
  }
  const R = m.maskRegions;
  const M2 = m.maskSize * m.maskSize;
  const maskShapes = new Float32Array(R * M2);
  const maskSlots = new Array<TargetSlot | null>(R).fill(null);
  if (maskNames.length > R) {
    throw new MappingError(['noise', 'masks', maskNames[R]!], `this model has ${R} mask region${R === 1 ? '' : 's'}; '${maskNames[R]}' would be region ${R + 1}`);
  }
  if (maskNames.length === 0) {
    if (R > 0) maskShapes.fill(1, 0, M2);
  } else {
    maskNames.forEach((k, r) => {
      const ms = spec.noise!.masks[k]! as MaskShape;
      const shape: MaskShape = ms.shape === 'image' ? { ...ms, file: isAbsolute(ms.file) ? ms.file : join(dirname(file), ms.file) } : ms;
      try {
        rasteriseMask(shape, m.maskSize, maskShapes, r * M2);
      } catch (e) {
        throw new MappingError(['noise', 'masks', k], `cannot read mask image: ${e instanceof Error ? e.message : String(e)}`);
      }
      maskSlots[r] = S(`noise.mask.${k}`);
    });
  }
  return new NoiseLoops(m, fields, slowLoop, fastLoop, maskShapes, {
    speed: S('noise.speed'),
    loop: S('noise.loop'),
    fast: S('noise.fast'),
    strength: S('noise.strength'),
    masks: maskSlots,
  });
}
