/**
 * Network bending as the generator's 2×3 matrices (normalised [-1, 1] coordinates, output → input,
 * align_corners = 0, the same convention as the graph's GridSample). Zoom 2 magnifies, rotate is in turns
 * (counter-clockwise on screen), tx/ty move the picture by that many feature-map widths/heights, mirror flips.
 * Translation wraps with period 2 widths: with reflection padding the sampled plane repeats every 2 widths, so
 * a scroll that wraps shows no seam.
 */
export function wrapShift(v: number): number {
  return v - 2 * Math.floor((v + 1) / 2);
}

export function writeBendMatrix(
  out: Float32Array,
  offset: number,
  zoom: number,
  rotateTurns: number,
  tx: number,
  ty: number,
  mirrorX: boolean,
  mirrorY: boolean,
): void {
  const z = zoom > 1e-3 ? zoom : 1e-3;
  const a = 2 * Math.PI * rotateTurns;
  const c = Math.cos(a) / z;
  const s = Math.sin(a) / z;
  const mx = mirrorX ? -1 : 1;
  const my = mirrorY ? -1 : 1;
  // Screen y points down, so a counter-clockwise turn on screen samples the input at R(+a) in these axes.
  // (+ 0 turns −0 into 0, so identical bends compare and print identically.)
  out[offset] = c * mx + 0;
  out[offset + 1] = s * my + 0;
  out[offset + 2] = -2 * wrapShift(tx) + 0;
  out[offset + 3] = -s * mx + 0;
  out[offset + 4] = c * my + 0;
  out[offset + 5] = -2 * wrapShift(ty) + 0;
}
