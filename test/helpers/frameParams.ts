import { neutralPostParams, type FrameParams } from '../../src/contracts/frameParams.js';

/**
 * FrameParams with empty tensors, ψ = 1, scene 0 and neutral post at `frame` / `t`: for stages and stand-in
 * mappers that read only the scalars and the post. Tests override what they are about.
 */
export function bareParams(frame: number, t: number, over: Partial<FrameParams> = {}): FrameParams {
  return {
    frame,
    t,
    ws: new Float32Array(0),
    noiseMix: new Float32Array(0),
    noiseStrength: new Float32Array(0),
    noiseMask: new Float32Array(0),
    bend: new Float32Array(0),
    rewrite: new Float32Array(0),
    truncation: 1,
    scene: 0,
    post: neutralPostParams(),
    ...over,
  };
}
