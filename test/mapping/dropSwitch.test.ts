import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createAnalysis } from '../../src/analysis/index.js';
import { createMapper } from '../../src/mapping/index.js';
import { traceRecord, type TraceRecord } from '../../src/mapping/trace.js';
import { VirtualRun } from '../../src/pipeline/offline.js';
import { fakeManifest, fakeProvider } from './helpers.js';
import { loadSong, SOUNDFONTS } from '../../tools/corpus/corpus.js';

/**
 * The `default` preset's section switch on songs of the evaluation corpus whose drop comes after a quieter part
 * (rendered here by fluidsynth from the corpus table into a temporary folder): the real analysis and mapper on the
 * virtual 30 fps clock. Before the true drop every frame plays the intro set; the main set takes over (section
 * position past one half) within 2 s after it. The demo track's intro → main boundary is checked in demo.test.ts.
 */
const FPS = 30;
const haveFluidsynth =
  spawnSync('fluidsynth', ['--version'], { encoding: 'utf8' }).status === 0 && existsSync(SOUNDFONTS.fluid) && existsSync(SOUNDFONTS.timgm);

async function traceSong(name: string): Promise<{ recs: TraceRecord[]; drops: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-drop-'));
  try {
    const song = loadSong(name, dir);
    const n = song.audio.channels[0]!.length;
    const manifest = fakeManifest(1024);
    const mapper = await createMapper({ file: 'default', manifest, latents: fakeProvider(manifest), watch: false });
    const audio = {
      info: { description: name, kind: 'file' as const, sampleRate: song.audio.sampleRate, channels: song.audio.channels.length },
      sampleRate: song.audio.sampleRate,
      channels: song.audio.channels,
      durationS: n / song.audio.sampleRate,
      file: null,
    };
    const recs: TraceRecord[] = [];
    for (const f of new VirtualRun({ fps: FPS, audio, blockSize: 512, analysis: createAnalysis({}), mapper }).frames()) recs.push(traceRecord(f, mapper));
    await mapper.close();
    return { recs, drops: song.truth.drops };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const name of ['edm-drop-timgm', 'pop-fluid']) {
  test(`default preset on ${name}: intro until the true drop, main within 2 s after it`, { skip: !haveFluidsynth && 'fluidsynth or its soundfonts missing' }, async () => {
    const { recs, drops } = await traceSong(name);
    assert.equal(drops.length, 1);
    const drop = drops[0]!;
    const early = recs.filter((r) => r.t < drop && r.section > 0.5).map((r) => r.t);
    assert.deepEqual(early.slice(0, 5), [], 'no switch before the drop');
    const first = recs.find((r) => r.t >= drop && r.section > 0.5);
    assert.ok(first, 'the main set takes over');
    console.log(`${name}: main from ${first.t.toFixed(2)} s (true drop ${drop.toFixed(2)} s)`);
    assert.ok(first.t - drop <= 2, `${first.t} − ${drop}`);
  });
}
