/**
 * Writes the demo track and its ground truth: `node dist/tools/make-demo-track.js [dir] [--sample-rate Hz]`
 * (default dir: ./demo, 44100 Hz). The same code renders it in-process when latentvj plays the demo track.
 */
import { writeDemoTrack, DEMO_DEFAULT_SAMPLE_RATE } from '../src/audio/demo.js';

const args = process.argv.slice(2);
let dir = 'demo';
let sampleRate = DEMO_DEFAULT_SAMPLE_RATE;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--sample-rate') sampleRate = Number(args[++i]);
  else if (a === '--help' || a === '-h') {
    process.stdout.write('usage: node dist/tools/make-demo-track.js [dir] [--sample-rate Hz]\n');
    process.exit(0);
  } else dir = a;
}
if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192000) {
  process.stderr.write(`make-demo-track: --sample-rate ${sampleRate}: expected an integer between 8000 and 192000\n`);
  process.exit(2);
}
const t0 = performance.now();
const { wavPath, truthPath } = writeDemoTrack(dir, { sampleRate });
process.stdout.write(`wrote ${wavPath} and ${truthPath} in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
