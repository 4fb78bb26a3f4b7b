// A file's job (workers/validate/file-job.ts) against a judge that breaks the protocol: verdicts
// that answer another chunk, or keep a row its own rules rejected, fail the file with a message
// that says so, instead of filing rows under the wrong verdicts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpillWriters } from '../../workers/io/spill.js';
import { spillFile, type Claims, type Judge, type Verdicts } from '../../workers/validate/file-job.js';

const ORDERS = 'order_id,user_id,status,created_at\no1,u1,Complete,2025-03-08T10:00:00\no2,u2,NotAStatus,2025-03-08T11:00:00\no3,u3,Shipped,2025-03-09T10:00:00\n';

/** The verdicts of a judge that accepts every row that passed its own rules and quarantines the rest. */
const fair = (claims: Claims): Verdicts => {
  const rows: number[] = [];
  claims.ok.forEach((ok, i) => ok === 0 && rows.push(i));
  return { seq: claims.seq, rows, reasons: claims.rejected.map((r) => r.reasons), dates: [], categories: [], itemDate: new Uint16Array(0), itemCategory: new Uint16Array(0) };
};

const run = async (judge: Judge): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'file-job-'));
  const cleaned = await SpillWriters.at(join(dir, 'cleaned'));
  const quarantine = await SpillWriters.at(join(dir, 'quarantine'));
  try {
    const done = await spillFile({ key: 'orders/o.csv', kind: 'orders', open: async () => Readable.from([Buffer.from(ORDERS)]), batchId: 'b-1', cleaned, quarantine, judge });
    return `read ${done.outcome.rows} rows`;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await cleaned.dispose();
    await quarantine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
};

test('a fair judge: the file is read (the fixture has a row its own rules reject)', async () => {
  let rejected = 0;
  assert.is(await run((c) => ((rejected += c.rejected.length), fair(c))), 'read 3 rows');
  assert.is(rejected, 1);
});

for (const later of [false, true])
  test(`verdicts of another chunk fail the file (${later ? 'arriving later' : 'at once'})`, async () => {
    const wrong = (c: Claims): Verdicts => ({ ...fair(c), seq: c.seq + 1 });
    const judge: Judge = later ? (c) => new Promise((ok) => setTimeout(() => ok(wrong(c)), 5)) : wrong;
    assert.match(await run(judge), /^orders\/o\.csv: verdicts of chunk 1 arrived for chunk 0$/);
  });

test('a verdict that keeps a row its own rules rejected fails the file, naming the row', async () => {
  assert.match(await run((c) => ({ ...fair(c), rows: [], reasons: [] })), /^orders\/o\.csv: row 3 failed its own rules but its verdict keeps it/);
});

test.run();
