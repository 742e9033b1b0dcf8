import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Features } from '../../src/analysis/types.js';
import { parseQueueUrl } from '../../src/queue/connection.js';
import { featuresFile, identityMismatch, readFeatures, readChecked, sha256, SPEC_FORMAT, SPEC_VERSION, type QueuedRenderSpec, type WorkerIdentity } from '../../src/queue/spec.js';

test('--queue URLs: host, port, queue name; wrong ones are one line naming the flag', () => {
  assert.deepEqual(parseQueueUrl('redis://10.0.0.5:6380/farm'), { host: '10.0.0.5', port: 6380, name: 'farm', display: 'redis://10.0.0.5:6380/farm' });
  const auth = parseQueueUrl('redis://:s3cret@render-box/night-1');
  assert.equal(auth.port, 6379);
  assert.equal(auth.password, 's3cret');
  assert.equal(auth.display.includes('s3cret'), false, 'the password stays out of logs');
  assert.throws(() => parseQueueUrl('http://host:1/x'), /--queue http:\/\/host:1\/x: expected a redis:\/\/ URL/);
  assert.throws(() => parseQueueUrl('redis://host:1/'), /--queue redis:\/\/host:1\/: the queue name '' must be/);
  assert.throws(() => parseQueueUrl('redis://host:1/a b'), /queue name/);
  assert.throws(() => parseQueueUrl('farm'), /--queue farm: expected redis:\/\/host:port\/name/);
});

test('features survive the trip through the shared folder exactly (Float32Arrays included)', async () => {
  const f = {
    t: 0.0123456789,
    chroma: Float32Array.from([0.1, 1 / 3, 2.5e-8, 0, 1, 0.7, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9]),
    bassChroma: new Float32Array(12).fill(Math.PI),
    onset: { all: 0.3, kick: 1 / 7, snare: 0, hats: 0.9 },
    events: ['kick', 'beat'],
    rms: 0.25,
    rmsSlow: 0.2,
    bandRms: { low: 0.1, mid: 0.2, high: 0.3 },
    novelty: 0.05,
    section: 2,
    sectionLabel: 1,
    tempo: { bpm: 127.99, beatPhase: 0.5, barPhase: 0.125, confidence: 0.8, source: 'analysis' },
  } as Features;
  const back = await readFeatures(featuresFile([f, f]));
  assert.equal(back.length, 2);
  assert.ok(back[0]!.chroma instanceof Float32Array);
  assert.deepEqual(back[0], f);
});

const spec = (over: Partial<QueuedRenderSpec> = {}): QueuedRenderSpec => ({
  format: SPEC_FORMAT,
  version: SPEC_VERSION,
  id: 'r-0123456789abcdef',
  latentvj: '0.1.0',
  model: { origin: 'a'.repeat(64), generatorSha256: 'b'.repeat(64), width: 256, height: 256 },
  mapping: { file: 'mapping.yaml', sha256: 'c'.repeat(64), source: '/x/default.yaml' },
  assets: [],
  analysis: { file: 'features.jsonl.gz', sha256: 'd'.repeat(64), hops: 10 },
  session: null,
  window: { fps: 30, firstFrame: 0, frameCount: 300 },
  output: { width: 320, height: 180 },
  fit: 'fit',
  codec: 'h264',
  crf: 18,
  batch: 4,
  segmentFrames: 30,
  ep: 'auto',
  ...over,
});
const me: WorkerIdentity = { latentvj: '0.1.0', modelDir: '/models/x', model: { origin: 'a'.repeat(64), generatorSha256: 'b'.repeat(64), width: 256, height: 256 } };

test('a worker checks version and model against the job, and says what differs in one line', () => {
  assert.equal(identityMismatch(spec(), me), null);
  const v = identityMismatch(spec({ latentvj: '0.2.0' }), me)!;
  assert.match(v, /planned by latentvj 0\.2\.0, this worker is latentvj 0\.1\.0/);
  const m = identityMismatch(spec({ model: { ...spec().model, generatorSha256: 'e'.repeat(64) } }), me)!;
  assert.match(m, /model differs .* --model \/models\/x/);
  assert.equal(m.split('\n').length, 1);
  assert.match(identityMismatch(spec({ version: 99 }), me)!, /v99/);
});

test('mapping and analysis files are read only when their sha256 is the one the job names', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-queue-spec-'));
  try {
    writeFileSync(join(dir, 'mapping.yaml'), 'version: 1\n');
    const good = sha256('version: 1\n');
    assert.equal((await readChecked(dir, 'mapping.yaml', good, 'mapping')).toString(), 'version: 1\n');
    writeFileSync(join(dir, 'mapping.yaml'), 'version: 1 # edited\n');
    await assert.rejects(readChecked(dir, 'mapping.yaml', good, 'mapping'), /mapping .*mapping\.yaml has sha256 [0-9a-f]{12}…, the job says [0-9a-f]{12}… \(a stale or foreign copy/);
    await assert.rejects(readChecked(dir, 'features.jsonl.gz', good, 'analysis'), /analysis .*features\.jsonl\.gz: cannot read \(ENOENT\); is --shared the folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("files the mapping names by a relative path travel with it; a path out of the mapping's folder is refused", async () => {
  const { mappingAssets } = await import('../../src/queue/coordinator.js');
  const text = (bank: string, mask: string): string =>
    `version: 1\nbanks:\n  mine: { file: ${bank} }\n  seeded: { seeds: [1, 2] }\nnoise:\n  masks:\n    logo: { shape: image, file: ${mask} }\n    ring: { shape: circle, x: 0.5, y: 0.5, radius: 0.3 }\n`;
  assert.deepEqual(mappingAssets('/show/m.yaml', text('banks/a.npy', './masks/logo.png')), ['banks/a.npy', 'masks/logo.png']);
  assert.deepEqual(mappingAssets('/show/m.yaml', text('/abs/a.npy', 'logo.png')), ['logo.png']);
  assert.throws(() => mappingAssets('/show/m.yaml', text('../elsewhere/a.npy', 'logo.png')), /\/show\/m\.yaml: \.\.\/elsewhere\/a\.npy is outside the mapping's folder/);
});
