import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventGrid } from '../../src/analysis/eventGrid.js';

test('the grid expects an event an interval on that two of the last four span, within two hops', () => {
  const grid = new EventGrid(100, 4);
  assert.equal(grid.expects(150), false, 'no events yet');
  grid.push(100);
  assert.equal(grid.newest(1), -1e9);
  assert.equal(grid.expects(200), false, 'one event sets no interval');
  grid.push(150);
  assert.equal(grid.newest(1), 100);
  assert.equal(grid.expects(200), true);
  assert.equal(grid.expects(198), true);
  assert.equal(grid.expects(203), false);
  assert.equal(grid.expects(175), false, 'half the interval');
  assert.equal(grid.expects(250), false, 'two intervals on: the next event must come first');
  grid.push(175);
  assert.equal(grid.expects(225), true, 'an older interval (50) on from the newest');
  assert.equal(grid.expects(212), false);
  const slow = new EventGrid(100, 4);
  slow.push(0);
  slow.push(300);
  assert.equal(slow.expects(600), false, 'an interval over 2.5 s');
  const fast = new EventGrid(100, 4);
  fast.push(0);
  fast.push(20);
  assert.equal(fast.expects(40), false, 'an interval under 0.25 s');
});

test('the grid reads expected times off other hops where given (net crossings no kick event came on)', () => {
  const grid = new EventGrid(100, 4);
  grid.push(0);
  grid.push(100);
  assert.equal(grid.newest(), 100);
  assert.equal(grid.expects(160, [60]), true);
  assert.equal(grid.expects(160, [-1e9, 59]), true, 'within two hops');
  assert.equal(grid.expects(160, [57]), false);
  assert.equal(grid.expects(160), false, 'its own events: 60 is none of them');
});
