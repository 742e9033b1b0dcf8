/**
 * The one bend matrix: how a network-bending transform becomes the 2×3 row of FrameParams.bend that the
 * generator graph's GridSample reads (normalised [-1, 1] coordinates, output → input, align_corners = 0). The
 * mapper writes it every frame, the graph tests and tools feed it; nothing else builds one.
 *
 *   p_in = Mirror · (1/zoom) · D⁻¹ R D · p_out − 2 · wrap(t),   D = diag(aspect, 1), aspect = layer width / height
 *
 * Zoom 2 magnifies twice. `rotateTurns` turns the picture counter-clockwise on screen (1 = 360°), in square
 * pixels: on a 2:1 layer a circle stays a circle (the D conjugation), and nothing shears. tx / ty move the
 * picture by that many feature-map widths / heights (right, down) at zoom 1; the shift is applied in the
 * sampled plane and wraps with period 2 widths: with reflection padding that plane repeats every 2 widths,
 * so a scroll that wraps shows no seam.
 */

/** Wraps a shift (in widths) into [-1, 1): the reflected plane repeats every 2 widths. */
export function wrapShift(v: number): number {
  return v - 2 * Math.floor((v + 1) / 2);
}

/** Writes the bend row at `offset` of `out` (no allocation: the per-frame path). */
export function writeBendMatrix(
  out: Float32Array | number[],
  offset: number,
  zoom: number,
  rotateTurns: number,
  tx: number,
  ty: number,
  mirrorX: boolean,
  mirrorY: boolean,
  aspect = 1,
): void {
  const inv = 1 / (zoom > 1e-3 ? zoom : 1e-3);
  const a = 2 * Math.PI * rotateTurns;
  const c = Math.cos(a) * inv;
  const s = Math.sin(a) * inv;
  const mx = mirrorX ? -1 : 1;
  const my = mirrorY ? -1 : 1;
  // Screen y points down, so sampling the input at R(−θ) of a counter-clockwise turn is [[c, −s], [s, c]],
  // conjugated by D so the turn happens in square pixels. (+ 0 turns −0 into 0, so equal bends print alike.)
  out[offset] = mx * c + 0;
  out[offset + 1] = (mx * -s) / aspect + 0;
  out[offset + 2] = -2 * wrapShift(tx) + 0;
  out[offset + 3] = my * s * aspect + 0;
  out[offset + 4] = my * c + 0;
  out[offset + 5] = -2 * wrapShift(ty) + 0;
}

/** Width / height of each bendable layer's feature map, by bend index (the aspect writeBendMatrix needs). */
export function bendAspects(layers: ReadonlyArray<{ bendIndex: number; resolution: number; width?: number; height?: number }>, numBend: number): Float64Array {
  const out = new Float64Array(numBend).fill(1);
  for (const l of layers) if (l.bendIndex >= 0 && l.bendIndex < numBend) out[l.bendIndex] = (l.width ?? l.resolution) / (l.height ?? l.resolution);
  return out;
}
