/**
 * Trains the bass-note network (src/analysis/bassNet.ts) on the frames of dataset.ts — the chord net's and the drum
 * net's training songs, kept apart from every evaluation set — and writes models/bassnet/bass-notes.bin. A multilayer
 * perceptron (tools/mlpTrain.ts: ReLU hidden layers, a sigmoid per pitch class, binary cross-entropy against the
 * true bass's pitch class, Adam), deterministic: seeded initialisation and shuffling, one thread. Inputs are
 * standardised with the training set's mean and spread, folded into the first layer.
 *
 * Songs whose index is ≡ 9 mod 10 are held out for validation: the script prints, on them, the share of frames whose
 * strongest activation is the bass, against the hand-made bass chroma's argmax on the same frames.
 *
 * The committed weights are the ensemble (tools/mlpEnsemble.ts: the sigmoid of the members' mean logit) of three
 * members: the net committed at 39b2658 (971 517 frames of 671 songs: the chord net's 400, the drum net's 160 and the
 * 111 drum-machine songs among its generator's next 320, as the analysis then read them) and two trained here from
 * seeds 20261206 and 7 on 1 020 972 frames of 721 songs (the same counts of chord and drum songs and the 161
 * drum-machine songs the generator now makes among its songs 160–479), as the analysis read them at f79922c (today's
 * reads 5 of the 721 songs a little otherwise):
 *   git show 39b2658:models/bassnet/bass-notes.bin > /tmp/bass-39b2658.bin
 *   npx tsc -b tsconfig.json && node dist/tools/bassnet/dataset.js 400 160 480
 *   BASSNET_MEMBERS=/tmp/bass-39b2658.bin BASSNET_SEEDS=20261206,7 node dist/tools/bassnet/train.js 400 160 480
 * Validation top-1: the old member 0.881, the new ones 0.876 and 0.876, the ensemble 0.886. Against the old net alone
 * (targets on the corpus and the first four kept-apart sets): bass 109 → 112 of 120 (tb-dnb-saw-boom 0.86 → 0.91,
 * h3-edm-drop-tight 0.88 → 0.90, h4-waltz-monoRoom+comp 0.89 → 0.90 and h4-rock-zepMuse+room 0.87 → 0.91 in;
 * h3-swing-fast-boom 0.91 → 0.88 out), means up on each set (0.970 → 0.973, 0.974 → 0.979, 0.962 → 0.969, 0.937 →
 * 0.942, 0.938 → 0.948); the fifth set's mean 0.958 → 0.961, its targets 18 → 17 (h5-dnb808-timgmLite 0.91 → 0.85). The
 * chord chroma's held mean reads the learned bass too: chord targets 110 → 111 (mach-edm-sub 0.88 → 0.90;
 * h4-edm-drop-modal 0.93 → 0.90). Cost: the analysis bench's bass net 3.9 → 7.4 µs a hop. The same recipe on other
 * frames spreads widely in targets, less in means: on today's frames (validation 0.887) bass 109 → 109, chord 110 →
 * 111, means up on every tuned set by 0.001–0.012, the fifth set's 0.958 → 0.953; on the frames before the click reader
 * (0.887) bass 112, chord 109. Single nets retrained on the frames of their day fell short of the old net on the corpus
 * (0.962–0.966 against 0.970); a single net taught by such an ensemble's outputs (BASSNET_TEACHER, 0.7 of the target)
 * read 0.883 on validation and met 111 bass targets. The old member learnt the bass of 190 bars of drop-2 chords
 * without a bass line (1.9 % of the bars) as the close voicing's lowest note, a truth since mended (dataset.ts
 * TRUTH_VERSION). Frames cached by other analysis code are refused (dataset.ts checkCacheFresh): delete them (or set
 * LATENTVJ_BASSNET_DIR) to retrain.
 * (rendering and analysing the songs the other nets have not rendered: about 20 minutes on a busy two-core machine;
 * training: 5–20 minutes a member). The hand-made chroma reads 0.821 on the same validation frames. Measured besides,
 * for the old net: without transposition 0.853; hidden 64×32 0.888 on validation but worse on the corpus's third
 * kept-apart set (bass top-1 mean 0.924 → 0.900); without the 111 machine songs the corpus mean was 0.960 (now 0.970)
 * and the third set's 0.924 (now 0.937).
 * (defaults: hidden layers 32×16, 8 epochs, 2 copies, shifts ±5, one seed 20261206, no other members, no teacher;
 * BASSNET_HIDDEN, BASSNET_EPOCHS, BASSNET_COPIES, BASSNET_SHIFT, BASSNET_SEEDS, BASSNET_MEMBERS, BASSNET_TEACHER,
 * BASSNET_TEACHER_SHARE and BASSNET_OUT change them.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { lcg } from '../../src/analysis/synth.js';
import {
  BASS_NET_FILE,
  BASS_NET_INPUTS,
  decodeBassNet,
  encodeBassNet,
  transposeBassInput,
} from '../../src/analysis/bassNet.js';
import { Mlp, type MlpWeights } from '../../src/analysis/mlp.js';
import { trainMlp } from '../mlpTrain.js';
import { ensembleMlp, seedsOf } from '../mlpEnsemble.js';
import { DRUM_SONG_BASE, ROW_FLOATS, loadBassFrames } from './dataset.js';

const HIDDEN = (process.env.BASSNET_HIDDEN ?? '32,16').split(',').map(Number);
/**
 * Each training frame appears COPIES times, each transposed by its own draw from −MAX_SHIFT … MAX_SHIFT semitones
 * (transposeBassInput): the songs' bass lines sit in a few keys and registers each, and the net should not learn them.
 */
const COPIES = Number(process.env.BASSNET_COPIES ?? 2);
const MAX_SHIFT = Number(process.env.BASSNET_SHIFT ?? 5);
const EPOCHS = Number(process.env.BASSNET_EPOCHS ?? 8);
/** One seed, or several (comma-separated): one net per seed, written as their ensemble (tools/mlpEnsemble.ts). */
const SEEDS = seedsOf('BASSNET_SEEDS', '20261206');
/** Weights files (comma-separated) taken into the ensemble as members beside the nets trained here. */
const MEMBERS = (process.env.BASSNET_MEMBERS ?? '').split(',').filter((f) => f.trim() !== '');
/**
 * A weights file whose outputs on each (transposed) frame are the targets instead of the true bass alone: a single
 * net learns what an ensemble reads (distillation), at a single net's cost. TEACHER_SHARE of the target is the
 * teacher's, the rest the true bass.
 */
const TEACHER_FILE = process.env.BASSNET_TEACHER;
const TEACHER = TEACHER_FILE ? decodeBassNet(readFileSync(TEACHER_FILE), TEACHER_FILE) : null;
const TEACHER_SHARE = Number(process.env.BASSNET_TEACHER_SHARE ?? 0.7);
if (!(TEACHER_SHARE >= 0 && TEACHER_SHARE <= 1)) {
  throw new Error(`BASSNET_TEACHER_SHARE: ${process.env.BASSNET_TEACHER_SHARE} is not a share from 0 to 1`);
}

const chordSongs = Number(process.argv[2] ?? 400);
const drumSongs = Number(process.argv[3] ?? 160);
const machineSongsTo = Number(process.argv[4] ?? drumSongs);
const data = loadBassFrames(chordSongs, drumSongs, machineSongsTo);
const n = data.length / ROW_FLOATS;
const songOf = (f: number): number => data[f * ROW_FLOATS + BASS_NET_INPUTS + 1]!;
const labelOf = (f: number): number => data[f * ROW_FLOATS + BASS_NET_INPUTS]!;
const isValidation = (f: number): boolean => {
  const s = songOf(f);
  return (s < DRUM_SONG_BASE ? s : s - DRUM_SONG_BASE) % 10 === 9;
};
const train: number[] = [];
const val: number[] = [];
for (let f = 0; f < n; f++) (isValidation(f) ? val : train).push(f);
console.log(`${n} frames: ${train.length} training, ${val.length} validation; layers ${[BASS_NET_INPUTS, ...HIDDEN, 12].join('×')}, ${EPOCHS} epochs`);

/** Share of validation frames whose argmax of `read` is the true bass. */
function accuracy(read: (f: number, out: Float32Array) => void): { all: number; chord: number; drum: number } {
  const out = new Float32Array(12);
  const ok = [0, 0];
  const cnt = [0, 0];
  for (const f of val) {
    read(f, out);
    let best = 0;
    for (let k = 1; k < 12; k++) if (out[k]! > out[best]!) best = k;
    const g = songOf(f) < DRUM_SONG_BASE ? 0 : 1;
    cnt[g]!++;
    if (best === labelOf(f)) ok[g]!++;
  }
  return { all: (ok[0]! + ok[1]!) / (cnt[0]! + cnt[1]!), chord: ok[0]! / cnt[0]!, drum: ok[1]! / cnt[1]! };
}

const fmt = (a: { all: number; chord: number; drum: number }): string => `${a.all.toFixed(3)} (chord-net songs ${a.chord.toFixed(3)}, drum-net songs ${a.drum.toFixed(3)})`;
const handAt = BASS_NET_INPUTS - 12;
console.log(`hand-made bass chroma, validation top-1: ${fmt(accuracy((f, out) => out.set(data.subarray(f * ROW_FLOATS + handAt, f * ROW_FLOATS + handAt + 12))))}`);

const validationOf = (w: MlpWeights): string => {
  const mlp = new Mlp(w);
  return fmt(accuracy((f, out) => mlp.run(data.subarray(f * ROW_FLOATS, f * ROW_FLOATS + BASS_NET_INPUTS), out)));
};
const teacher = TEACHER ? new Mlp(TEACHER) : null;
const teacherIn = new Float32Array(BASS_NET_INPUTS);
if (TEACHER) console.log(`teacher ${TEACHER_FILE}: validation top-1 ${validationOf(TEACHER)}`);

/** One member, trained from `seed` (initialisation, shuffling and the transpositions drawn). */
function trainMember(seed: number): MlpWeights {
  const rnd = lcg(seed);
  /** A sample: frame index · 32 + shift + 16. */
  const samples: number[] = [];
  for (const f of train) for (let c = 0; c < COPIES; c++) samples.push(f * 32 + (c === 0 && COPIES > 1 ? 0 : Math.floor(rnd() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT) + 16);
  return trainMlp({
    sizes: [BASS_NET_INPUTS, ...HIDDEN, 12],
    epochs: EPOCHS,
    rnd,
    samples,
    input: (s, out) => {
      const f = Math.floor(s / 32);
      transposeBassInput(data.subarray(f * ROW_FLOATS, f * ROW_FLOATS + BASS_NET_INPUTS), (s % 32) - 16, out);
    },
    target: (s, out) => {
      const label = (labelOf(Math.floor(s / 32)) + (s % 32) - 16 + 12) % 12;
      if (teacher) {
        const f = Math.floor(s / 32);
        const frame = data.subarray(f * ROW_FLOATS, f * ROW_FLOATS + BASS_NET_INPUTS);
        transposeBassInput(frame, (s % 32) - 16, teacherIn);
        teacher.run(teacherIn, out);
        for (let k = 0; k < 12; k++) out[k] = TEACHER_SHARE * out[k]! + (k === label ? 1 - TEACHER_SHARE : 0);
        return;
      }
      out.fill(0);
      out[label] = 1;
    },
    onEpoch: (epoch, loss, w) => {
      const mlp = new Mlp(w());
      const acc = accuracy((f, out) => mlp.run(data.subarray(f * ROW_FLOATS, f * ROW_FLOATS + BASS_NET_INPUTS), out));
      console.log(`seed ${seed}, epoch ${epoch + 1}: loss ${loss.toFixed(4)}, validation top-1 ${fmt(acc)}`);
    },
  });
}

const members = [
  ...MEMBERS.map((f) => {
    const w = decodeBassNet(readFileSync(f), f);
    console.log(`member ${f}: validation top-1 ${validationOf(w)}`);
    return w;
  }),
  ...SEEDS.map(trainMember),
];
if (members.length === 0) throw new Error('no net to write: give BASSNET_SEEDS or BASSNET_MEMBERS');
const weights = members.length === 1 ? members[0]! : ensembleMlp(members);
if (members.length > 1) console.log(`ensemble of ${members.length}: validation top-1 ${validationOf(weights)}`);

const file = process.env.BASSNET_OUT ?? BASS_NET_FILE;
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, encodeBassNet(weights));
console.log(`wrote ${file}`);
