/** The log's rate limit: one line per key and interval, the held-back count on the next, and a fresh start per sink. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logger, setLogSink } from '../src/log.js';

test('limited: one line per key within the interval; a new sink is owed nothing the old one held back', () => {
  const log = logger('t');
  const first: string[] = [];
  const restoreFirst = setLogSink({ write: (l) => first.push(l) });
  try {
    for (let i = 0; i < 3; i++) log.limited('warn', 'k', 'refused', 60_000);
    log.limited('warn', 'other', 'other key', 60_000);
    assert.equal(first.length, 2);
    assert.match(first[0]!, /WARN +\[t\] refused$/);
    assert.match(first[1]!, /other key$/);
  } finally {
    restoreFirst();
  }
  const second: string[] = [];
  const restoreSecond = setLogSink({ write: (l) => second.push(l) });
  try {
    log.limited('warn', 'k', 'refused', 60_000);
    log.limited('warn', 'k', 'refused', 60_000);
    assert.equal(second.length, 1, 'the first line of a key reaches a new sink');
    assert.match(second[0]!, /refused$/, 'without a count of lines held back from the old one');
  } finally {
    restoreSecond();
  }
});

test('limited: the next line after the interval carries the count held back', async () => {
  const log = logger('t');
  const lines: string[] = [];
  const restore = setLogSink({ write: (l) => lines.push(l) });
  try {
    log.limited('info', 'k', 'busy', 100);
    log.limited('info', 'k', 'busy', 100);
    log.limited('info', 'k', 'busy', 100);
    await new Promise((r) => setTimeout(r, 150));
    log.limited('info', 'k', 'busy', 100);
    assert.deepEqual(lines.map((l) => l.replace(/^\S+ /, '')), ['INFO  [t] busy', 'INFO  [t] busy (+2 similar suppressed)']);
  } finally {
    restore();
  }
});
