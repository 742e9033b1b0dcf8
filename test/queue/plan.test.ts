/**
 * The chunk plan against the real PostProcessor: for random post timelines (trails, scene crossfades, freezes,
 * colour), every chunk rendered alone from its warm-up segment, on a fresh post, gives exactly the bytes of the
 * same frames in one uninterrupted pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PostProcessor } from '../../src/render/post.js';
import { dependsFrom, planChunks, type PostMemory } from '../../src/queue/plan.js';
import { neutralPostParams, type PostParams } from '../../src/visual/types.js';

/** A small deterministic PRNG (mulberry32): the timelines are random but the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const W = 4;
const H = 3;

interface Frame {
  picture: Uint8Array;
  post: PostParams;
  scene: number;
}

/** A timeline in stretches: plain, trails held for a while, scene changes with crossfades, freezes. */
function timeline(seed: number, n: number): Frame[] {
  const r = rng(seed);
  const out: Frame[] = [];
  let scene = 0;
  let mode = 0;
  let left = 0;
  for (let k = 0; k < n; k++) {
    if (left-- <= 0) {
      mode = Math.floor(r() * 5);
      left = 1 + Math.floor(r() * 25);
      if (r() < 0.3) scene += 1;
    }
    const post = neutralPostParams();
    if (mode === 1) post.trails = 0.3 + 0.6 * r();
    if (mode === 2) post.crossfade = r();
    if (mode === 3) post.freeze = true;
    if (mode === 4) post.hueShift = r();
    if (r() < 0.1) post.contrast = 1.2;
    if (r() < 0.05 && mode !== 3) scene += 1;
    const picture = new Uint8Array(W * H * 4);
    for (let i = 0; i < picture.length; i++) picture[i] = Math.floor(r() * 256);
    out.push({ picture, post, scene });
  }
  return out;
}

const memory = (f: Frame): PostMemory => ({ trails: f.post.trails, crossfade: f.post.crossfade, freeze: f.post.freeze, scene: f.scene });

test('each chunk rendered alone from its warm-up gives the bytes of one uninterrupted pass', () => {
  let warmed = 0;
  let merged = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const frames = timeline(seed, 240);
    const whole = new PostProcessor(W, H);
    const expected = frames.map((f) => Uint8Array.from(whole.apply(f.picture, f.post, f.scene)));
    const segmentFrames = 10;
    const chunks = planChunks({ frameCount: frames.length, segmentFrames, chunkSegments: 3, maxWarmupSegments: 3 }, dependsFrom(frames.map(memory)));
    // The chunks tile the frames exactly, on segment boundaries.
    let next = 0;
    for (const c of chunks) {
      assert.equal(c.firstFrame, next);
      assert.equal(c.firstFrame % segmentFrames, 0);
      next += c.frameCount;
      assert.ok(c.firstSegment - c.warmupSegment <= 3, `seed ${seed}: chunk ${c.index} warms up ${c.firstSegment - c.warmupSegment} segments`);
      if (c.warmupSegment < c.firstSegment) warmed += 1;
      if (c.segments > 3) merged += 1;
      const post = new PostProcessor(W, H);
      for (let k = c.warmupSegment * segmentFrames; k < c.firstFrame + c.frameCount; k++) {
        const got = post.apply(frames[k]!.picture, frames[k]!.post, frames[k]!.scene);
        if (k >= c.firstFrame) assert.deepEqual(got, expected[k], `seed ${seed}: frame ${k} of chunk ${c.index} (warm-up from segment ${c.warmupSegment})`);
      }
    }
    assert.equal(next, frames.length);
  }
  // The timelines exercise both remedies: warm-ups and grown chunks.
  assert.ok(warmed > 10, `${warmed} chunks warmed up`);
  assert.ok(merged > 3, `${merged} chunks grew`);
});

test('a post that remembers nothing: chunks of the size asked, no warm-up; a short tail chunk', () => {
  const chunks = planChunks({ frameCount: 95, segmentFrames: 10, chunkSegments: 3, maxWarmupSegments: 1 }, null);
  assert.deepEqual(
    chunks.map((c) => [c.firstSegment, c.segments, c.warmupSegment, c.firstFrame, c.frameCount]),
    [
      [0, 3, 0, 0, 30],
      [3, 3, 3, 30, 30],
      [6, 3, 6, 60, 30],
      [9, 1, 9, 90, 5],
    ],
  );
});

test('trails held through the whole render: one chunk (exact, not parallel)', () => {
  const mem: PostMemory[] = Array.from({ length: 100 }, () => ({ trails: 0.5, crossfade: 0, freeze: false, scene: 0 }));
  const chunks = planChunks({ frameCount: 100, segmentFrames: 10, chunkSegments: 2, maxWarmupSegments: 1 }, dependsFrom(mem));
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]!.frameCount, 100);
});

test('a freeze reaches back to the frame it holds; a crossfade to the last picture of the scene before', () => {
  const mem: PostMemory[] = [];
  for (let k = 0; k < 30; k++) mem.push({ trails: 0, crossfade: 0, freeze: k >= 12 && k < 20, scene: k < 25 ? 0 : 1 });
  mem[27]!.crossfade = 0.5;
  const d = dependsFrom(mem);
  assert.equal(d[11], 11);
  assert.equal(d[15], 11, 'frozen on frame 11');
  assert.equal(d[20], 20);
  assert.equal(d[26], 26);
  assert.equal(d[27], 24, "frame 27 mixes in scene 0's last picture");
});
