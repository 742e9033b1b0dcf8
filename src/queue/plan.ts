/**
 * How a render is cut into chunks for the queue: pure functions over the frame count, the render's segment
 * length and the post params of every frame.
 *
 * A chunk is a run of whole segments of the single-machine render, so its frames are encoded in exactly the
 * same segments (same keyframes, same encoder input) and the joined file decodes to the same frames.
 *
 * The post (trails, scene crossfade, freeze) remembers earlier pictures, so a chunk's first frames may depend on
 * pictures before it. Replaying the post from the params alone says how far back: each frame's output depends on
 * pictures no earlier than `dependsFrom[k]`. A worker regenerates the pictures of the segments before its chunk
 * that its frames reach (the warm-up: generator and post, no encoding); a cut whose warm-up would exceed the
 * limit (trails held for minutes) is not made — the chunk grows instead, which is exact but less parallel.
 */

/** The post params of one frame that decide what it remembers. */
export interface PostMemory {
  trails: number;
  crossfade: number;
  freeze: boolean;
  scene: number | string;
}

/** A chunk of whole segments [firstSegment, firstSegment + segments), warmed up from `warmupSegment`. */
export interface Chunk {
  index: number;
  firstSegment: number;
  segments: number;
  /** First segment whose pictures the chunk needs (= firstSegment when it depends on nothing before it). */
  warmupSegment: number;
  firstFrame: number;
  frameCount: number;
}

/**
 * For every frame, the earliest frame whose generated picture its output depends on, by replaying the
 * PostProcessor's rules (src/render/post.ts) on dependency indices instead of pixels.
 */
export function dependsFrom(frames: readonly PostMemory[]): Int32Array {
  const out = new Int32Array(frames.length);
  const NONE = Number.MAX_SAFE_INTEGER;
  let composed: number | null = null; // earliest frame the composed picture depends on (null: no picture yet)
  let snapshot: number | null = null;
  let scene: number | string | null = null;
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    if (scene !== null && f.scene !== scene && composed !== null) snapshot = composed;
    scene = f.scene;
    const trails = Math.min(0.98, Math.max(0, f.trails));
    const fade = Math.min(1, Math.max(0, f.crossfade));
    if (f.freeze && composed !== null) {
      // The composed picture is held: it keeps its dependency.
    } else {
      let dep = k;
      if (trails > 0 && composed !== null) dep = Math.min(dep, composed);
      if (fade > 0 && snapshot !== null) dep = Math.min(dep, snapshot);
      composed = dep;
    }
    out[k] = composed ?? NONE;
  }
  return out;
}

export interface PlanOptions {
  frameCount: number;
  segmentFrames: number;
  /** Segments per chunk wanted. */
  chunkSegments: number;
  /** Most segments of warm-up a cut may cost; beyond it the chunk before grows instead. */
  maxWarmupSegments: number;
}

/** The chunks, deterministic for the same inputs; `deps` from dependsFrom (null: the post remembers nothing). */
export function planChunks(o: PlanOptions, deps: Int32Array | null): Chunk[] {
  if (!(o.segmentFrames >= 1) || !(o.chunkSegments >= 1)) throw new Error(`planChunks: segmentFrames ${o.segmentFrames}, chunkSegments ${o.chunkSegments}`);
  const segCount = Math.ceil(o.frameCount / o.segmentFrames);
  // Earliest segment each segment's frames reach back to.
  const reach = new Int32Array(segCount);
  for (let s = 0; s < segCount; s++) {
    let min = s * o.segmentFrames;
    if (deps) for (let k = s * o.segmentFrames; k < Math.min(o.frameCount, (s + 1) * o.segmentFrames); k++) min = Math.min(min, deps[k]!);
    reach[s] = Math.floor(min / o.segmentFrames);
  }
  const warmupFor = (first: number, end: number): number => {
    let w = first;
    for (let s = first; s < end; s++) w = Math.min(w, reach[s]!);
    return w;
  };
  // Cut every chunkSegments where the next chunk's warm-up stays within the limit; then, while some chunk
  // (grown by the cuts not made after it) reaches back too far, drop its cut so the chunk before takes it.
  const starts: number[] = [0];
  let s = o.chunkSegments;
  while (s < segCount) {
    const end = Math.min(segCount, s + o.chunkSegments);
    if (s - warmupFor(s, end) <= o.maxWarmupSegments) {
      starts.push(s);
      s += o.chunkSegments;
    } else s += 1; // no cut here: the chunk before takes this segment too
  }
  for (let i = starts.length - 1; i >= 1; i--) {
    const end = i + 1 < starts.length ? starts[i + 1]! : segCount;
    if (starts[i]! - warmupFor(starts[i]!, end) > o.maxWarmupSegments) starts.splice(i, 1);
  }
  return starts.map((first, index) => {
    const end = index + 1 < starts.length ? starts[index + 1]! : segCount;
    const firstFrame = first * o.segmentFrames;
    return {
      index,
      firstSegment: first,
      segments: end - first,
      warmupSegment: warmupFor(first, end),
      firstFrame,
      frameCount: Math.min(o.frameCount, end * o.segmentFrames) - firstFrame,
    };
  });
}
