import assert from 'node:assert/strict';

/** Largest absolute element-wise difference of two equally long arrays (how far a tensor is from its reference). */
export const maxAbs = (a: Float32Array, b: Float32Array): number => {
  assert.equal(a.length, b.length);
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!));
  return e;
};
