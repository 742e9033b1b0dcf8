/**
 * Our drum machines (tools/corpus/drumMachine.ts): the third holdout set's kits keep their exact sound as kits are
 * added, and the corpus's kits differ from them and from each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRUM_MACHINES, renderDrumMachine, type MachineName } from '../../tools/corpus/drumMachine.js';
import { CH_DRUMS, ch, scoreSong, sec, type SongSpec } from '../../tools/corpus/songs.js';
import { readWavFile } from '../../src/audio/wav.js';

const SPEC: SongSpec = {
  name: 'machine-test', soundfont: '', kit: 0, chordProgram: 0, bassProgram: 32,
  beatsPerBar: 4, subdivisions: 2, bpm: 120, swing: 0.5, voicingLowMidi: 48,
  progression: [ch(0, 'maj')], barsPerChord: 1,
  sections: [sec(1, 'backbeat'), sec(1, 'fourFloor')], seed: 5,
};

function render(name: MachineName, notes = scoreSong(SPEC).notes.filter((n) => n.channel === CH_DRUMS)): { hash: string; samples: Float32Array } {
  const dir = mkdtempSync(join(tmpdir(), 'machine-'));
  try {
    const wav = join(dir, `${name}.wav`);
    renderDrumMachine(name, scoreSong(SPEC), notes, wav, 7);
    return { hash: createHash('sha256').update(readFileSync(wav)).digest('hex').slice(0, 16), samples: readWavFile(wav).channels[0]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the third holdout set's kits render byte for byte as before any kit was added", () => {
  // Hashes of these two bars rendered by the table of two kits ('tight', 'boom') that the set was made with.
  assert.equal(render('tight').hash, TIGHT_HASH);
  assert.equal(render('boom').hash, BOOM_HASH);
});

test('every kit renders a different sound; the kicks run from a click to a long sub', () => {
  const names = Object.keys(DRUM_MACHINES) as MachineName[];
  assert.equal(new Set(names.map((n) => render(n).hash)).size, names.length);
  // Share of a lone kick's energy after its first 100 ms.
  const tail = (name: MachineName): number => {
    const { samples } = render(name, [{ channel: CH_DRUMS, note: 36, velocity: 110, startBeat: 0, lengthBeats: 0.2 }]);
    let head = 0;
    let rest = 0;
    for (let i = 0; i < samples.length; i++) (i < 4410 ? (head += samples[i]! ** 2) : (rest += samples[i]! ** 2));
    return rest / (head + rest);
  };
  assert.ok(tail('click') < 0.05 && tail('sub') > 0.5, `click ${tail('click').toFixed(3)}, sub ${tail('sub').toFixed(3)}`);
  assert.ok(tail('click') < tail('punch') && tail('punch') < tail('sub'));
});

const TIGHT_HASH = '2bd6cd0e8f70db8c';
const BOOM_HASH = 'f9ab0271a91ae80b';
