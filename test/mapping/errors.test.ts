import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMappingFile } from '../../src/mapping/index.js';
import { presetNames, resolveMappingPath } from '../../src/mapping/load.js';
import { isUserError } from '../../src/errors.js';
import { fakeManifest, fakeProvider } from './helpers.js';

const manifest = fakeManifest(256);
const provider = fakeProvider(manifest);

const BANKS = `banks:
  chords: { seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }
latents:
  chords: { bank: chords }
`;

/** Each broken file, the line the error must point at, and words it must contain. */
const CASES: Array<{ name: string; text: string; line: number; expect: RegExp }> = [
  {
    name: 'YAML syntax error',
    text: `routes:\n  - source: rms\n    target: [truncation\n`,
    line: 4,
    expect: /flow sequence|Missing|end/i,
  },
  {
    name: 'unknown top-level key',
    text: `${BANKS}rotues: []\n`,
    line: 5,
    expect: /rotues: unknown key 'rotues'/,
  },
  {
    name: 'misspelt source suggests the right one',
    text: `routes:\n  - source: onset.kik\n    target: truncation\n`,
    line: 2,
    expect: /routes\.0\.source: .*unknown source 'onset\.kik'; did you mean 'onset\.kick'/,
  },
  {
    name: 'unknown target lists the legal ones',
    text: `routes:\n  - source: rms\n    target: truncaton\n`,
    line: 3,
    expect: /routes\.0\.target: unknown target 'truncaton'; did you mean 'truncation'\?.*Expected one of/,
  },
  {
    name: 'unknown modifier',
    text: `routes:\n  - source: rms\n    modifiers:\n      - gian: 2\n    target: truncation\n`,
    line: 4,
    expect: /routes\.0\.modifiers\.0\.gian: unknown key 'gian'/,
  },
  {
    name: 'two keys in one modifier',
    text: `routes:\n  - source: rms\n    modifiers:\n      - { gain: 2, offset: 1 }\n    target: truncation\n`,
    line: 4,
    expect: /exactly one key, found 'gain', 'offset'/,
  },
  {
    name: 'modifier value of the wrong type',
    text: `routes:\n  - source: rms\n    modifiers:\n      - range: [0, high]\n    target: truncation\n`,
    line: 4,
    expect: /routes\.0\.modifiers\.0\.range\.1: .*expected number/,
  },
  {
    name: 'bad curve name',
    text: `routes:\n  - source: rms\n    modifiers:\n      - curve: cubic\n    target: truncation\n`,
    line: 4,
    expect: /curve: .*expected one of "linear"\|"exp"/,
  },
  {
    name: 'latent generator on an undeclared bank',
    text: `banks:\n  chords: { seeds: [1, 2] }\nlatents:\n  a: { bank: chrods }\n`,
    line: 4,
    expect: /latents\.a\.bank: no banks named 'chrods'; did you mean 'chords'/,
  },
  {
    name: 'target refers to an undeclared generator',
    text: `${BANKS}routes:\n  - source: chroma\n    target: latents.bass.weights\n`,
    line: 7,
    expect: /routes\.0\.target: no latents named 'bass'/,
  },
  {
    name: 'layers on a scalar target',
    text: `routes:\n  - source: rms\n    target: truncation\n    layers: low\n`,
    line: 4,
    expect: /routes\.0\.layers: target 'truncation' has no layers/,
  },
  {
    name: 'malformed layer range',
    text: `routes:\n  - source: rms\n    target: noise.strength\n    layers: lows\n`,
    line: 4,
    expect: /routes\.0\.layers: expected a layer number .*all, low, mid, high/,
  },
  {
    name: 'chroma into a bank of the wrong size (compile time, needs the bank)',
    text: `banks:\n  four: { seeds: [1, 2, 3, 4] }\nlatents:\n  g: { bank: four }\nroutes:\n  - source: chroma\n    target: latents.g.weights\n`,
    line: 7,
    expect: /routes\.0\.target: 'chroma' has 12 values but 'latents\.g\.weights' has 4 latents/,
  },
  {
    name: 'vector source into a scalar target',
    text: `routes:\n  - source: chroma\n    target: truncation\n`,
    line: 3,
    expect: /'chroma' has 12 values but 'truncation' takes one/,
  },
  {
    name: 'two sources without combine',
    text: `routes:\n  - source: [rms, onset.kick]\n    target: truncation\n`,
    line: 2,
    expect: /must start its modifiers with combine/,
  },
  {
    name: 'bank with two kinds of latents',
    text: `banks:\n  b: { seeds: [1], w: [[1, 2]] }\n`,
    line: 2,
    expect: /banks\.b: a bank takes one of seeds, file, w or classes, found seeds and w/,
  },
  {
    name: 'inline W of the wrong size (compile time, needs the model)',
    text: `banks:\n  b:\n    w: [[1, 2, 3]]\n`,
    line: 3,
    expect: /banks\.b\.w: latent 0 has 3 values; this model's W has 512/,
  },
  {
    name: 'more masks than the model has regions',
    text:
      'noise:\n  masks:\n    a: { shape: full }\n    b: { shape: full }\n    c: { shape: full }\n    d: { shape: full }\n    e: { shape: circle }\n',
    line: 7,
    expect: /noise\.masks\.e: this model has 4 mask regions; 'e' would be region 5/,
  },
  {
    name: 'unknown mask shape',
    text: 'noise:\n  masks:\n    a: { shape: star }\n',
    line: 3,
    expect: /expected shape: full, circle, half, gradient or image/,
  },
  {
    name: 'missing bank file',
    text: 'banks:\n  b: { file: nowhere.npy }\n',
    line: 2,
    expect: /banks\.b\.file: cannot read .*nowhere\.npy \(ENOENT\)/,
  },
  {
    name: 'an unquoted layer list inside a flow map (the comma ends the value)',
    text: `routes:\n  - { source: rms, target: noise.strength, layers: mid,high }\n`,
    line: 2,
    expect: /unknown key 'high'; inside \{ … \} a comma ends the value, so a layer list must be quoted: layers: '…,high'/,
  },
  {
    name: 'a misspelt patterned target gets "did you mean" with the generator filled in',
    text: `${BANKS}routes:\n  - source: chroma\n    target: latents.chords.weight\n`,
    line: 7,
    expect: /unknown target 'latents\.chords\.weight'; did you mean 'latents\.chords\.weights'\?/,
  },
  {
    name: 'a bare control-state key is pointed to control:',
    text: `routes:\n  - source: cue:drop\n    target: post.brightness\n`,
    line: 2,
    expect: /unknown source 'cue:drop'; did you mean 'control:cue:drop'\?/,
  },
];

for (const c of CASES) {
  test(`broken mapping: ${c.name}`, async () => {
    await assert.rejects(
      () => compileMappingFile('/maps/broken.yaml', manifest, provider, c.text),
      (e: unknown) => {
        assert.ok(isUserError(e), `a UserError, got ${String(e)}`);
        const msg = (e as Error).message;
        assert.match(msg, new RegExp(`^/maps/broken\\.yaml:${c.line}:\\d+: `), `points at line ${c.line}: ${msg}`);
        assert.match(msg, c.expect);
        return true;
      },
    );
  });
}

test('a valid file with a layer range beyond the model compiles (and warns)', async () => {
  const m = await compileMappingFile('/maps/ok.yaml', manifest, provider, 'routes:\n  - source: rms\n    target: noise.strength\n    layers: 0-40\n');
  assert.ok(m);
});

test('an unknown preset name lists the presets and suggests the nearest', () => {
  assert.throws(
    () => resolveMappingPath('dj-mxi'),
    (e: unknown) => {
      assert.ok(isUserError(e));
      const msg = (e as Error).message;
      assert.match(msg, /mapping 'dj-mxi': no such file, and no preset of that name; did you mean 'dj-mix'\?/);
      for (const p of presetNames()) assert.ok(msg.includes(p), `lists ${p}: ${msg}`);
      assert.ok(presetNames().includes('default') && !presetNames().includes('schema'));
      return true;
    },
  );
});
