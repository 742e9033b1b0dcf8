/** Bad input to `latentvj render`: one line naming the flag or file, exit 2, nothing at the output path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderCli, renderInProcess, tmp } from './helpers.js';

test('bad input: one line naming the flag or file, exit 2, nothing at the output path', async () => {
  const t = tmp();
  try {
    const out = join(t.dir, 'x.mp4');
    const cases: Array<[string[], RegExp]> = [
      [[join(t.dir, 'missing.wav'), '--out', out], /missing\.wav: cannot read audio file/],
      [['demo', '--codec', 'vp9', '--out', out], /--codec vp9: expected one of h264, h265, prores, png/],
      [['demo', '--size', '1281x720', '--out', out], /--size 1281x720: .*even/],
      [['demo', '--size', '99999x10', '--out', out], /--size 99999x10: each side must be from 2 to 8192/],
      [['demo', '--size', 'big', '--out', out], /--size big: expected WIDTHxHEIGHT/],
      [['demo', '--codec', 'prores', '--out', out], /--out .*x\.mp4: prores is written to \.mov, \.mkv/],
      [['demo', '--crf', '80', '--out', out], /--crf 80: expected an integer from 0 to 51/],
      [['demo', '--fps', '0', '--out', out], /--fps 0: expected a number from 1 to 240/],
      [['demo', '--start', '61', '--out', out], /--start 61: expected a time from 0/],
      [['demo', '--fit', 'zoom', '--out', out], /--fit zoom: expected one of fit, fill, stretch/],
    ];
    // The command line itself for the first; the flag checks behind it through the CLI's main() in-process.
    for (const [i, [args, re]] of cases.entries()) {
      const r = i < 1 ? renderCli(...args) : await renderInProcess(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(existsSync(out), false);
    }
    const { writeFileSync } = await import('node:fs');
    const junk = join(t.dir, 'junk.wav');
    writeFileSync(junk, 'not audio at all');
    const j = renderCli(junk, '--out', out);
    assert.equal(j.status, 2, j.stderr);
    assert.match(j.stderr, /junk\.wav: /);
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(`${out}.partial`), false);
    writeFileSync(out, 'keep me');
    const e = await renderInProcess('demo', '--out', out);
    assert.equal(e.status, 2);
    assert.match(e.stderr, /x\.mp4: the file exists; pass --force/);
  } finally {
    t.done();
  }
});
