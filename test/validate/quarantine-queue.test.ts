// Quarantine lines come back from check threads in any order; the spill must get them in the order
// their chunks were applied, or the quarantine files would depend on thread timing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { QuarantineQueue } from '../../workers/validate/quarantine-queue.js';
import type { SpillWriters } from '../../workers/io/spill.js';

const recorder = () => {
  const lines: string[] = [];
  const spill = { append: (id: string, line: string) => void lines.push(`${id} ${line}`), ready: () => undefined } as unknown as SpillWriters;
  return { lines, spill };
};

test('lines reach the spill in chunk order, whatever order they are rendered in', async () => {
  const { lines, spill } = recorder();
  const queue = new QuarantineQueue(spill);
  queue.expect(0, 0, 'orders');
  queue.expect(0, 1, 'orders');
  queue.expect(1, 0, 'order_items');
  queue.fill(1, 0, ['c']);
  queue.fill(0, 1, ['b1', 'b2']);
  assert.equal(lines, []);
  const drained = queue.drained();
  queue.fill(0, 0, ['a']);
  await drained;
  assert.equal(lines, ['orders a', 'orders b1', 'orders b2', 'order_items c']);
});

test.run();
