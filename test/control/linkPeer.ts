/**
 * Another Ableton Link peer in its own process, for test/control/link.test.ts: what Live or Resolume would be on
 * the LAN. Reads one JSON command per stdin line, answers one JSON line on stdout; ends with stdin.
 *   {"op":"tempo","bpm":128}  → set the session tempo
 *   {"op":"get"}              → {bpm, peers, barPhase, nowS}: the bar phase (quantum 4) and the Link-clock time it was read at
 */
import { createInterface } from 'node:readline';
import { loadLink } from '../../src/control/link.js';

const QUANTUM = 4;
const session = await loadLink(Number(process.argv[2] ?? 120));
if (typeof session === 'string') {
  process.stdout.write(JSON.stringify({ error: session }) + '\n');
  process.exit(1);
}
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const cmd = JSON.parse(line) as { op: string; bpm?: number };
  if (cmd.op === 'tempo') session.setTempo(cmd.bpm!);
  const inBar = session.phase(QUANTUM);
  const nowS = session.timeForBeat(session.beat(), 1);
  process.stdout.write(JSON.stringify({ bpm: session.tempo(), peers: session.peers(), barPhase: inBar / QUANTUM, nowS }) + '\n');
});
lines.on('close', () => {
  session.close();
  process.exit(0);
});
