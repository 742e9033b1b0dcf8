/**
 * Stopping the line-in while its PortAudio process is still sending must not crash the engine: Node queues an IPC
 * message that finds no 'message' listener into the channel's pending list, which is null after disconnect().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineIn$ } from '../../src/audio/lineIn.js';

// A stand-in for the PortAudio process that opens at once and then floods audio messages as fast as IPC takes them.
const FLOOD = `
const frames = Array.from({ length: 512 }, (_, i) => Math.sin(i / 10) * 0.1);
process.send({ type: 'open', device: { id: 0, name: 'flood', maxInputChannels: 1, defaultSampleRate: 48000, hostAPIName: 'test' }, channelCount: 1, sampleRate: 48000 });
const pump = () => { for (let i = 0; i < 50 && process.connected; i++) process.send({ type: 'audio', data: frames }); if (process.connected) setImmediate(pump); };
pump();
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
`;

test('unsubscribing while the audio process floods messages raises nothing uncaught', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'latentvj-flood-'));
  const script = join(dir, 'flood.cjs');
  writeFileSync(script, FLOOD);
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    for (let round = 0; round < 8; round++) {
      let blocks = 0;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no audio from the stand-in process (round ${round})`)), 10_000);
        const sub = lineIn$({
          device: { kind: 'default' },
          sampleRate: 48000,
          channels: [1],
          mix: 'mono',
          blockSize: 512,
          gainDb: 0,
          spawn: () => fork(script, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }),
        }).subscribe(() => {
          if (++blocks === 5) {
            clearTimeout(timer);
            // Stop synchronously inside the message handler, while messages read in the same chunk still wait
            // on process.nextTick to be emitted.
            sub.unsubscribe();
            setTimeout(resolve, 50);
          }
        });
      });
    }
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  assert.deepEqual(uncaught.map(String), []);
});
