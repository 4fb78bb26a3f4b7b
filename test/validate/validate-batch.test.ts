// validateBatch over local directories: outcomes of §4 for rows and files, the commit protocol,
// the catalog, re-runs, and the report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as E from 'fp-ts/lib/Either.js';
import { gzipSync } from 'node:zlib';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { localStore } from '../../workers/io/local-store.js';
import { BatchRecord } from '../../workers/core/batch.js';
import { ValidationReport } from '../../workers/core/report.js';
import { CleanOrderItem } from '../../workers/core/records.js';
import {
  batchRecordKey, cleanedKey, quarantineFileKey, quarantineFileReasonKey, quarantineRowsKey, validationReportKey,
} from '../../workers/core/lake-layout.js';
import { csv, readGzLines, readReport, writeFiles, type TempDirs, withDirs } from '../support/lake.js';

const PRODUCTS = csv('id,sku,cost,category,retail_price', ['p1,S1,1.00,Jeans,2.50', 'p2,S2,3.005,Tops,5']);
const ORDERS = csv('order_id,user_id,status,created_at,shipped_at', [
  'o1,u1,Complete,2025-03-08T10:00:00,2025-03-09T10:00:00',
  'o2,u2,returned,2025-03-09 23:30:00 UTC,',
]);
const ITEMS = csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50', 'i2,o1,p2,5', 'i3,o2,p2,0.005']);

const run = async (dirs: TempDirs, files: Record<string, string | Buffer>, extra: { batchId?: string; maxRejectRate?: number; now?: Date } = {}) => {
  await writeFiles(dirs.landing, files);
  const lake = localStore(dirs.lake);
  const report = await validateBatch({
    source: localStore(dirs.landing),
    lake,
    batchId: extra.batchId ?? 'b-test',
    maxRejectRate: extra.maxRejectRate ?? 0.05,
    now: () => extra.now ?? new Date('2026-01-01T00:00:00Z'),
  });
  return { report, lake };
};

withDirs('a clean batch is published: partitions by order date, items with category and date, record last', async (dirs) => {
  const { report, lake } = await run(dirs, { 'products/p.csv': PRODUCTS, 'orders/o.csv': ORDERS, 'order_items/i.csv': ITEMS });
  assert.ok(E.isRight(ValidationReport.decode(report)));
  assert.is(report.verdict, 'ACCEPTED');
  assert.ok(report.published);
  assert.equal(report.order_dates, ['2025-03-08', '2025-03-09']);
  assert.equal(await readReport(lake, 'b-test'), report);
  const items = await readGzLines(lake, cleanedKey('order_items', 'b-test', '2025-03-08'));
  assert.equal(items, [
    { id: 'i1', order_id: 'o1', product_id: 'p1', sale_price_cents: 250, order_date: '2025-03-08', category: 'Jeans' },
    { id: 'i2', order_id: 'o1', product_id: 'p2', sale_price_cents: 500, order_date: '2025-03-08', category: 'Tops' },
  ]);
  assert.ok(items.every((i) => CleanOrderItem.is(i)));
  const [order] = await readGzLines(lake, cleanedKey('orders', 'b-test', '2025-03-09'));
  assert.equal(order, { order_id: 'o2', user_id: 'u2', status: 'Returned', created_at: '2025-03-09T23:30:00.000Z', order_date: '2025-03-09' });
  assert.equal((await readGzLines(lake, cleanedKey('products', 'b-test'))).length, 2);
  const record = JSON.parse((await lake.readSmall(batchRecordKey('b-test')))!.toString());
  assert.ok(E.isRight(BatchRecord.decode(record)));
  assert.equal(record.order_dates, ['2025-03-08', '2025-03-09']);
  assert.equal(record.sources, ['products/p.csv', 'orders/o.csv', 'order_items/i.csv']);
  assert.is(record.seq, '2026-01-01T00:00:00.000Z#b-test');
  assert.equal(await lake.list('quarantine/'), []);
});

withDirs('row reasons: each quarantined row keeps source, line, every reason and the raw row', async (dirs) => {
  const { report, lake } = await run(
    dirs,
    {
      'products/p.csv': PRODUCTS,
      'orders/o.csv': csv('order_id,user_id,status,created_at,shipped_at', [
        'o1,u1,Complete,2025-03-08T10:00:00,2025-03-09T10:00:00',
        'o2,u2,lost,2025-03-09T10:00:00,2025-03-01T00:00:00', // UNKNOWN_STATUS + BROKEN_CHRONOLOGY
        'o1,u1,Complete,2025-03-08T10:00:00,', // DUPLICATE_KEY: the first o1 stays valid
        'o3,,Complete,2025-02-30T00:00:00,', // MISSING_FIELD + INVALID_TYPE
      ]),
      'order_items/i.csv': csv('id,order_id,product_id,sale_price', [
        'i1,o1,p1,2.50',
        'i2,o2,p1,1', // its order was quarantined: UNKNOWN_ORDER
        'i3,o1,p9,-1', // NEGATIVE_MONEY + UNKNOWN_PRODUCT
        'i1,o1,p1,2.50', // DUPLICATE_KEY
        'i4,o1,p1,abc', // INVALID_TYPE
      ]),
    },
    { maxRejectRate: 1 },
  );
  assert.is(report.verdict, 'ACCEPTED');
  assert.equal(report.kinds.orders, { files: 1, rows_read: 4, rows_cleaned: 1, rows_quarantined: 3, reject_rate: 0.75 });
  assert.equal(report.kinds.order_items, { files: 1, rows_read: 5, rows_cleaned: 1, rows_quarantined: 4, reject_rate: 0.8 });
  assert.equal(report.reason_counts, {
    BROKEN_CHRONOLOGY: 1, DUPLICATE_KEY: 2, INVALID_TYPE: 2, MISSING_FIELD: 1, NEGATIVE_MONEY: 1, UNKNOWN_ORDER: 1, UNKNOWN_PRODUCT: 1, UNKNOWN_STATUS: 1,
  });
  const orders = (await readGzLines(lake, quarantineRowsKey('b-test', 'orders'))) as Array<Record<string, any>>;
  assert.equal(orders.map((o) => [o.line, o.reasons.map((r: any) => r.code)]), [
    [3, ['UNKNOWN_STATUS', 'BROKEN_CHRONOLOGY']],
    [4, ['DUPLICATE_KEY']],
    [5, ['MISSING_FIELD', 'INVALID_TYPE']],
  ]);
  assert.is(orders[0]!.batch_id, 'b-test');
  assert.is(orders[0]!.source_key, 'orders/o.csv');
  assert.equal(orders[0]!.raw, { order_id: 'o2', user_id: 'u2', status: 'lost', created_at: '2025-03-09T10:00:00', shipped_at: '2025-03-01T00:00:00' });
  const items = (await readGzLines(lake, quarantineRowsKey('b-test', 'order_items'))) as Array<Record<string, any>>;
  assert.equal(items.map((o) => [o.line, o.reasons.map((r: any) => r.code)]), [
    [3, ['UNKNOWN_ORDER']],
    [4, ['NEGATIVE_MONEY', 'UNKNOWN_PRODUCT']],
    [5, ['DUPLICATE_KEY']],
    [6, ['INVALID_TYPE']],
  ]);
});

withDirs('threshold: a kind above MAX_REJECT_RATE rejects the batch and publishes nothing', async (dirs) => {
  const items = csv('id,order_id,product_id,sale_price', [...Array.from({ length: 9 }, (_, i) => `i${i},o1,p1,1`), 'bad,o1,p1,x']);
  const files = { 'products/p.csv': PRODUCTS, 'orders/o.csv': ORDERS, 'order_items/i.csv': items };
  const { report, lake } = await run(dirs, files, { maxRejectRate: 0.05 });
  assert.is(report.verdict, 'REJECTED');
  assert.is(report.published, false);
  assert.equal(report.order_dates, []);
  assert.match(report.reasons[0]!, /order_items: 1 of 10 rows quarantined/);
  assert.is(await lake.readSmall(batchRecordKey('b-test')), undefined);
  assert.equal(await lake.list('cleaned/'), []);
  // every input file goes to quarantine, with its reason beside it
  for (const key of Object.keys(files)) {
    assert.ok(await lake.readSmall(quarantineFileKey('b-test', key)), key);
    const reason = JSON.parse((await lake.readSmall(quarantineFileReasonKey('b-test', key)))!.toString());
    assert.equal(reason.batch_reasons, report.reasons);
  }
  // the same batch at a 20 % limit is accepted
  const again = await run(dirs, {}, { maxRejectRate: 0.2 });
  assert.is(again.report.verdict, 'ACCEPTED');
  assert.is(again.report.kinds.order_items.rows_cleaned, 9);
  assert.equal(await lake.list('quarantine/b-test/files/'), [], 'files quarantined by the rejected run are gone');
  assert.equal((await lake.list('quarantine/b-test/rows/')).map((b) => b.key), [quarantineRowsKey('b-test', 'order_items')]);
});

const fileCase = (name: string, key: string, body: string | Buffer, code: string, rowsRead = 0) =>
  withDirs(`file level: ${name} -> ${code}, batch rejected, file quarantined with its reason`, async (dirs) => {
    const files: Record<string, string | Buffer> = { 'products/p.csv': PRODUCTS, 'orders/o.csv': ORDERS, 'order_items/i.csv': ITEMS, [key]: body };
    const { report, lake } = await run(dirs, files);
    assert.is(report.verdict, 'REJECTED');
    const f = report.files.find((x) => x.key === key)!;
    assert.is(f.file_reason?.code, code);
    assert.is(f.rows_read, rowsRead);
    assert.is(f.rows_cleaned, 0);
    assert.is(f.rows_quarantined, rowsRead);
    const reason = JSON.parse((await lake.readSmall(quarantineFileReasonKey('b-test', key)))!.toString());
    assert.is(reason.file_reason.code, code);
    assert.ok(await lake.readSmall(validationReportKey('b-test')));
    assert.equal(await lake.list('cleaned/'), []);
  });

fileCase('missing required column', 'orders/bad.csv', csv('order_id,user_id,created_at', ['o9,u,2025-01-01T00:00:00']), 'FILE_MISSING_COLUMN');
fileCase('empty file', 'order_items/empty.csv', '', 'FILE_EMPTY');
fileCase('invalid UTF-8', 'products/latin1.csv', Buffer.concat([Buffer.from('id,sku,cost,category,retail_price\nx,S,1,Caf'), Buffer.from([0xe9]), Buffer.from(',2\n')]), 'FILE_UNREADABLE');
fileCase('unterminated quote', 'orders/q.csv', 'order_id,user_id,status,created_at\no9,u,Complete,2025-01-01T00:00:00\no10,"u,Complete,2025-01-01T00:00:00\n', 'FILE_MALFORMED', 1);
fileCase('truncated gzip', 'order_items/t.csv.gz', gzipSync(ITEMS).subarray(0, 30), 'FILE_UNREADABLE');
fileCase('JSON syntax error mid-file', 'order_items/j.json', '[{"id":"j1","order_id":"o1","product_id":"p1","sale_price":1},{"id":"j2" "x"}]', 'FILE_MALFORMED', 1);
fileCase('unsupported extension', 'orders/o.xlsx', 'whatever', 'FILE_UNSUPPORTED');

withDirs('a failed orders file does not vouch for its orders: their items are UNKNOWN_ORDER', async (dirs) => {
  const { report } = await run(dirs, {
    'products/p.csv': PRODUCTS,
    'orders/a.json': '[{"order_id":"o1","user_id":"u","status":"Complete","created_at":"2025-03-08T00:00:00"}, {oops}]',
    'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,1']),
  });
  assert.is(report.files[1]!.file_reason?.code, 'FILE_MALFORMED');
  assert.equal(report.files[2]!.reason_counts, { UNKNOWN_ORDER: 1 });
});

withDirs('extra and reordered columns, JSON and NDJSON (gz) inputs, non-object element', async (dirs) => {
  const { report, lake } = await run(dirs, {
    'products/p.json': JSON.stringify([{ retail_price: 2.5, category: 'Jeans', cost: 1, sku: 'S1', id: 'p1', colour: 'blue' }]),
    'orders/o.ndjson.gz': gzipSync('{"status":"SHIPPED","created_at":"2025-03-08T10:00:00+01:00","user_id":7,"order_id":"o1","x":1}\n'),
    'order_items/a.csv': csv('sale_price,zzz,product_id,order_id,id', ['59.9900016784668,ignored,p1,o1,i1']),
    'order_items/b.jsonl': '{"id":"i2","order_id":"o1","product_id":"p1","sale_price":0.0199999995529651}\n"not an object"\n',
  }, { maxRejectRate: 1 });
  assert.equal(report.files.map((f) => [f.key, f.format, f.rows_cleaned, f.rows_quarantined]), [
    ['products/p.json', 'json', 1, 0],
    ['orders/o.ndjson.gz', 'ndjson.gz', 1, 0],
    ['order_items/a.csv', 'csv', 1, 0],
    ['order_items/b.jsonl', 'ndjson', 1, 1],
  ]);
  assert.equal(report.files[3]!.reason_counts, { INVALID_TYPE: 1 });
  const items = await readGzLines(lake, cleanedKey('order_items', 'b-test', '2025-03-08'));
  assert.equal(items.map((i: any) => [i.id, i.sale_price_cents, i.category]), [['i1', 5999, 'Jeans'], ['i2', 2, 'Jeans']]);
  const [order] = (await readGzLines(lake, cleanedKey('orders', 'b-test', '2025-03-08'))) as any[];
  assert.equal([order.user_id, order.status, order.created_at], ['7', 'Shipped', '2025-03-08T09:00:00.000Z']);
});

withDirs('catalog: items may refer to products of committed batches; the latest seq wins', async (dirs) => {
  await run(dirs, { 'products/p.csv': PRODUCTS, 'orders/o.csv': ORDERS, 'order_items/i.csv': ITEMS }, { batchId: 'b-one', now: new Date('2026-01-01T00:00:00Z') });
  await run(dirs, { 'products/p.csv': csv('id,sku,cost,category,retail_price', ['p1,S1,1,Denim,2']) }, { batchId: 'b-two', now: new Date('2026-01-02T00:00:00Z') });
  const dirs2 = { ...dirs, landing: `${dirs.root}/landing2` };
  const { report, lake } = await run(dirs2, {
    'orders/o.csv': ORDERS,
    'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,1', 'i2,o1,p2,1', 'i3,o1,p404,1']),
  }, { batchId: 'b-three', maxRejectRate: 1 });
  assert.equal(report.reason_counts, { UNKNOWN_PRODUCT: 1 });
  const items = (await readGzLines(lake, cleanedKey('order_items', 'b-three', '2025-03-08'))) as any[];
  assert.equal(items.map((i) => [i.id, i.category]), [['i1', 'Denim'], ['i2', 'Tops']]);
});

withDirs('re-run keeps seq and removes the partitions the batch no longer writes', async (dirs) => {
  const first = await run(dirs, { 'products/p.csv': PRODUCTS, 'orders/o.csv': ORDERS, 'order_items/i.csv': ITEMS }, { now: new Date('2026-01-01T00:00:00Z') });
  assert.equal(first.report.order_dates, ['2025-03-08', '2025-03-09']);
  await writeFiles(dirs.landing, { 'orders/o.csv': csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2025-03-08T10:00:00']) });
  const second = await run(dirs, { 'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,1']) }, { now: new Date('2026-02-01T00:00:00Z') });
  assert.equal(second.report.order_dates, ['2025-03-08']);
  const record = JSON.parse((await second.lake.readSmall(batchRecordKey('b-test')))!.toString());
  assert.is(record.seq, '2026-01-01T00:00:00.000Z#b-test');
  assert.is(record.committed_at, '2026-02-01T00:00:00.000Z');
  assert.equal((await second.lake.list('cleaned/orders/')).map((b) => b.key), [cleanedKey('orders', 'b-test', '2025-03-08')]);
  assert.equal((await second.lake.list('cleaned/order_items/')).map((b) => b.key), [cleanedKey('order_items', 'b-test', '2025-03-08')]);
});

withDirs('no input files is a failure, not a verdict', async (dirs) => {
  await writeFiles(dirs.landing, { 'elsewhere/x.csv': 'a\n' });
  try {
    await validateBatch({ source: localStore(dirs.landing), lake: localStore(dirs.lake), maxRejectRate: 0.05 });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match((error as Error).message, /no input files/);
  }
});

test.run();
