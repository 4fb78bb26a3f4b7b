// Which archived batches `reprocess --all [--from --to]` takes, and in which order.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchRecordKey, archiveKey } from '../../workers/core/lake-layout.js';
import { localStore } from '../../workers/io/local-store.js';
import { archivedBatches, executionArnOf, forcedName } from '../../workers/reprocess/reprocess.js';

const record = (batch_id: string, seq: string, order_dates: string[]) => ({
  batch_id,
  seq,
  committed_at: seq.slice(0, 24),
  order_dates,
  sources: ['orders/a.csv'],
});

test('archived batches only, oldest recorded sequence first, filtered by the dates they touch', async () => {
  const lake = localStore(await mkdtemp(join(tmpdir(), 'reprocess-')));
  const batches = [
    record('b-late', '2024-03-01T00:00:00.000Z#b-late', ['2024-02-10', '2024-02-11']),
    record('b-early', '2024-01-01T00:00:00.000Z#b-early', ['2024-01-05']),
    record('b-mid', '2024-02-01T00:00:00.000Z#b-mid', ['2024-01-31', '2024-02-01']),
    record('b-rejected-or-lost', '2024-02-15T00:00:00.000Z#b-x', ['2024-02-01']),
  ];
  for (const b of batches) {
    await lake.write(batchRecordKey(b.batch_id), JSON.stringify(b));
    if (b.batch_id !== 'b-rejected-or-lost') await lake.write(archiveKey(b.batch_id, 'orders/a.csv'), 'x\n');
  }
  const ids = async (range?: { from?: string; to?: string }) => (await archivedBatches(lake, range)).map((r) => r.batch_id);
  assert.equal(await ids(), ['b-early', 'b-mid', 'b-late']);
  assert.equal(await ids({ from: '2024-02-01' }), ['b-mid', 'b-late']);
  assert.equal(await ids({ to: '2024-01-31' }), ['b-early', 'b-mid']);
  assert.equal(await ids({ from: '2024-01-06', to: '2024-01-30' }), []);
});

test('forced names stay valid execution names; execution ARNs follow the state machine ARN', () => {
  const id = `b-${'f'.repeat(32)}`;
  const name = forcedName(id, Date.UTC(2030, 0, 1));
  assert.match(name, /^[A-Za-z0-9_-]{1,80}$/);
  assert.ok(name.startsWith(`${id}-r`));
  assert.is.not(forcedName(id, 1), forcedName(id, 2));
  assert.is(
    executionArnOf('arn:aws:states:us-east-1:123456789012:stateMachine:pipe', 'b-1'),
    'arn:aws:states:us-east-1:123456789012:execution:pipe:b-1',
  );
});

test.run();
