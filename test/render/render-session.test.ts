/** `render --session <dir>`: the params a session recorded, every frame at the recorded fps, with its audio. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../../src/generator/graph/manifest.js';
import { neutralParams } from '../../src/generator/runtime/params.js';
import { SessionWriter } from '../../src/session/writer.js';
import { greyFrames, meanAbsDiff, probe, renderCli, renderInProcess, tinyModel, tmp } from './helpers.js';

test('a session cut short renders every recorded frame (a dropped one held) in sync with its audio; another model is refused', async () => {
  const t = tmp();
  try {
    const model = await tinyModel(join(t.dir, 'tiny'));
    const manifest = await readManifest(model);
    const dir = join(t.dir, 'set');
    const fps = 25;
    const sr = 16000;
    const w = new SessionWriter({ dir, sampleRate: sr, channels: 1, fps, modelDir: model, manifest, config: {} });
    w.mapping(0, 'routes: []\n', 'set.yaml');
    for (let k = 0; k < 100; k++) {
      w.audio([Float32Array.from({ length: sr / fps }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * (k * (sr / fps) + i)) / sr))]);
      if (k === 40) continue; // live dropped this frame
      const p = neutralParams(manifest, k);
      p.t = k / fps;
      // The picture jumps at frame 50 and is still otherwise.
      p.ws.fill(k < 50 ? -1 : 1);
      w.frame(p, 1 / fps);
    }
    // Never closed: the engine was killed.
    const out = join(t.dir, 'set.mp4');
    const r = renderCli('--session', dir, '--recorded-params', '--model', model, '--size', '320x180', '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const streams = probe(out);
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio')!;
    assert.equal(Number(v.nb_frames), 100);
    assert.ok(Math.abs(Number(v.duration) - 4) <= 1 / fps);
    assert.ok(Math.abs(Number(a.duration) - 4) <= 1 / fps);
    const frames = greyFrames(out, 80, 45);
    const diffs = frames.slice(1).map((f, i) => meanAbsDiff(frames[i]!, f));
    const jump = diffs.indexOf(Math.max(...diffs)) + 1;
    assert.equal(jump, 50, 'the recorded change shows on video frame 50');

    // The refusals come before any work: through the CLI's main() in this process.
    const bad = await renderInProcess('--session', dir, '--recorded-params', '--model', 'default', '--out', join(t.dir, 'x.mp4'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--session .*recorded with model .*pass --model/);
    assert.equal(existsSync(join(t.dir, 'x.mp4')), false);
    const both = await renderInProcess('demo', '--session', dir, '--out', join(t.dir, 'y.mp4'));
    assert.equal(both.status, 2);
    assert.match(both.stderr, /either an audio file or --session/);
  } finally {
    t.done();
  }
});
