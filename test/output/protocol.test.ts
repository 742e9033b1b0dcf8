import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFrameMessage,
  emptyFrameHeader,
  encodeFrameInto,
  FRAME_HEADER_BYTES,
  frameMessageBytes,
  readFrameHeader,
} from '../../src/output/protocol.js';
import { AudioClock, quantileSorted, RateMeter, RollingSamples } from '../../src/output/latency.js';

test('a frame message round-trips header and pixels, with the pixels 8-aligned after a 64-byte header', () => {
  const w = 5;
  const h = 3;
  const rgba = new Uint8Array(w * h * 4).map((_, i) => (i * 7) & 255);
  const out = new Uint8Array(frameMessageBytes(w, h));
  const n = encodeFrameInto(out, { frame: 4_000_000_001, width: w, height: h, audioT: 12.345, paramsAt: 1000.5, inferStart: 1001.25, inferEnd: 1030.75, sentAt: 1031 }, rgba);
  assert.equal(n, 64 + 60);
  assert.equal(checkFrameMessage(out), null);
  const hdr = readFrameHeader(out, emptyFrameHeader());
  assert.deepEqual(hdr, { format: 1, frame: 4_000_000_001, width: 5, height: 3, audioT: 12.345, paramsAt: 1000.5, inferStart: 1001.25, inferEnd: 1030.75, sentAt: 1031 });
  assert.deepEqual(out.subarray(FRAME_HEADER_BYTES), rgba);
  assert.equal(String.fromCharCode(...out.subarray(0, 4)), 'LVJF');
});

test('bad frames are named with what was expected', () => {
  const rgba = new Uint8Array(16);
  const out = new Uint8Array(frameMessageBytes(2, 2));
  encodeFrameInto(out, { frame: 1, width: 2, height: 2, audioT: 0, paramsAt: 0, inferStart: 0, inferEnd: 0, sentAt: 0 }, rgba);
  assert.match(checkFrameMessage(out.subarray(0, 10)) ?? '', /shorter than the 64-byte header/);
  assert.match(checkFrameMessage(out.subarray(0, 70)) ?? '', /frame 2×2 should be 80 bytes, got 70/);
  const badMagic = out.slice();
  badMagic[0] = 0;
  assert.match(checkFrameMessage(badMagic) ?? '', /bad magic/);
  const badVersion = out.slice();
  badVersion[4] = 9;
  assert.match(checkFrameMessage(badVersion) ?? '', /protocol version 9/);
  assert.throws(
    () => encodeFrameInto(out, { frame: 7, width: 2, height: 2, audioT: 0, paramsAt: 0, inferStart: 0, inferEnd: 0, sentAt: 0 }, new Uint8Array(15)),
    /frame 7: rgba has 15 bytes, expected 2×2×4 = 16/,
  );
});

test('rolling latency summary: nearest-rank median and p95 over the window', () => {
  const r = new RollingSamples(10);
  assert.deepEqual(r.summary(), { n: 0, last: 0, median: 0, p95: 0 });
  for (let i = 1; i <= 20; i++) r.push(i); // the window keeps 11..20
  r.push(Number.NaN); // ignored
  assert.deepEqual(r.summary(), { n: 10, last: 20, median: 15, p95: 20 });
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2);
});

test('rate meter counts the last second', () => {
  const m = new RateMeter(16);
  for (let t = 0; t < 2000; t += 100) m.mark(t);
  assert.equal(m.perSecond(1950), 10);
  assert.equal(m.perSecond(5000), 0);
});

test('audio clock keeps the earliest arrival, and follows a restart', () => {
  const c = new AudioClock(500);
  assert.equal(c.engineMsAt(1), null);
  c.observe(1.0, 10_050); // arrived 50 ms late (block + analysis)
  c.observe(1.1, 10_110);
  c.observe(1.2, 10_230);
  assert.equal(c.engineMsAt(2), 11_010);
  c.observe(0.0, 60_000); // source restarted: offset jumps by far more than 500 ms
  assert.equal(c.engineMsAt(1), 61_000);
});
