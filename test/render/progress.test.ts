import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barLine, clock, Progress } from '../../src/render/progress.js';

test('the progress bar shows frames, fps and the time left; nothing is drawn when stderr is not a TTY', () => {
  assert.equal(barLine(450, 1800, 30, 80), `[${'#'.repeat(10)}${'.'.repeat(30)}] 450/1800 frames  30.0 fps  ETA 0:45`);
  assert.equal(clock(3725), '1:02:05');
  assert.equal(clock(Infinity), '--:--');
  const tty: string[] = [];
  const p = new Progress({ isTTY: true, columns: 80, write: (s) => tty.push(s) }, 10, 4);
  p.update(6);
  p.end();
  assert.match(tty[0]!, /^\r\[#+\] 10\/10 frames/);
  assert.equal(tty.at(-1), '\n');
  const pipe: string[] = [];
  const q = new Progress({ isTTY: false, write: (s) => pipe.push(s) }, 10, 0);
  for (let i = 1; i <= 10; i++) q.update(i);
  q.end();
  assert.deepEqual(pipe, []);
});
