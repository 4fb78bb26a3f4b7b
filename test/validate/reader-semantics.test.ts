// What the format readers' semantics mean for a whole batch (issue 14 items 1, 4, 6, 9, 10):
// exact JSON ids and money, `index` for JSON-array rows, ambiguous headers and keys, big CSV
// fields, stray quotes in unquoted CSV fields.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { localStore } from '../../workers/io/local-store.js';
import { cleanedKey, quarantineRowsKey } from '../../workers/core/lake-layout.js';
import { csv, readGzLines, tempDirs, writeFiles, type TempDirs, withDirs } from '../support/lake.js';

const PRODUCTS = csv('id,sku,cost,category,retail_price', ['p1,S1,1.00,Jeans,2.50']);

// THREADS=2: files are read on check threads (validate's threaded path), the same sinks' checks
let threads = 1;
const run = async (dirs: TempDirs, files: Record<string, string | Buffer>) => {
  await writeFiles(dirs.landing, files);
  const lake = localStore(dirs.lake);
  const report = await validateBatch({
    source: localStore(dirs.landing),
    ...(threads > 1 ? { sourceLocation: { kind: 'local' as const, root: dirs.landing }, threads } : {}),
    lake,
    batchId: 'b',
    maxRejectRate: 1,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  return { report, lake };
};

for (const t of [1, 2])
withDirs(`${t} thread(s): JSON int64 ids stay distinct and exact; money is rounded from its exact digits`, async (dirs) => {
  threads = t;
  const orders = [
    { order_id: '9007199254740992', user_id: '12345678901234567890123' },
    { order_id: '9007199254740993', user_id: '1' },
  ].map((o) => `{"order_id": ${o.order_id}, "user_id": ${o.user_id}, "status": "Complete", "created_at": "2025-03-08T10:00:00", "num_of_item": 1}`);
  const items = [
    '{"id": 1, "order_id": 9007199254740992, "product_id": "p1", "sale_price": 59.9900016784668}',
    '{"id": 2, "order_id": 9007199254740993, "product_id": "p1", "sale_price": 0.005}',
  ];
  const { report, lake } = await run(dirs, { 'products/p.csv': PRODUCTS, 'orders/o.json': `[${orders.join(',')}]`, 'order_items/i.ndjson': items.join('\n') });
  assert.equal(report.reason_counts, {});
  const cleanedOrders = (await readGzLines(lake, cleanedKey('orders', 'b', '2025-03-08'))) as Array<Record<string, unknown>>;
  assert.equal(cleanedOrders.map((o) => [o.order_id, o.user_id, o.num_of_item]), [
    ['9007199254740992', '12345678901234567890123', 1],
    ['9007199254740993', '1', 1],
  ]);
  const cleanedItems = (await readGzLines(lake, cleanedKey('order_items', 'b', '2025-03-08'))) as Array<Record<string, unknown>>;
  assert.equal(cleanedItems.map((i) => [i.id, i.order_id, i.sale_price_cents]), [
    ['1', '9007199254740992', 5999],
    ['2', '9007199254740993', 1],
  ]);
});

for (const t of [1, 2])
withDirs(`${t} thread(s): quarantined rows of a JSON array carry their 0-based index; CSV and NDJSON rows their line`, async (dirs) => {
  threads = t;
  const bad = '{"order_id": "o1", "user_id": "u", "status": "lost", "created_at": "2025-03-08T10:00:00"}';
  const good = '{"order_id": "o2", "user_id": "u", "status": "Complete", "created_at": "2025-03-08T10:00:00"}';
  const { lake } = await run(dirs, {
    'products/p.csv': PRODUCTS,
    'orders/a.json': `[${good},\n${good.replace('o2', 'o3')},\n${bad}]`,
    'orders/b.ndjson': `${good.replace('o2', 'o4')}\n${bad.replace('o1', 'o5')}\n`,
    'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o2,p1,1']),
  });
  const rows = (await readGzLines(lake, quarantineRowsKey('b', 'orders'))) as Array<Record<string, unknown>>;
  assert.equal(rows.map((r) => [r.source_key, r.index, r.line]), [
    ['orders/a.json', 2, undefined],
    ['orders/b.ndjson', undefined, 2],
  ]);
});

const ORDERS = csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2025-03-08T10:00:00']);
const ITEMS = csv('id,order_id,product_id,sale_price', ['i1,o1,p1,1']);

for (const t of [1, 2])
withDirs(`${t} thread(s): a header naming a column the worker reads twice is FILE_MALFORMED; a repeated ignored column is fine`, async (dirs) => {
  threads = t;
  const { report } = await run(dirs, {
    'products/a.csv': csv('id,sku,cost,category,retail_price,note,note', ['p1,S1,1.00,Jeans,2.50,x,y']),
    'products/b.csv': csv('id,sku,cost,category,retail_price,category', ['p2,S2,1.00,Jeans,2.50,Tops']),
    'orders/o.csv': ORDERS,
    'order_items/i.csv': ITEMS,
  });
  const byKey = Object.fromEntries(report.files.map((f) => [f.key, f]));
  assert.is(byKey['products/a.csv']!.file_reason, undefined);
  assert.equal(byKey['products/b.csv']!.file_reason, { code: 'FILE_MALFORMED', message: 'ambiguous header: column(s) "category" named more than once' });
  assert.is(report.verdict, 'REJECTED');
});

for (const t of [1, 2])
withDirs(`${t} thread(s): a JSON object repeating a member the worker reads is FILE_MALFORMED; repeating another is fine`, async (dirs) => {
  threads = t;
  const order = (extra: string) => `{"order_id": "o1", "user_id": "u1", "status": "Complete", "created_at": "2025-03-08T10:00:00"${extra}}`;
  const ok = await run(dirs, { 'products/p.csv': PRODUCTS, 'orders/o.json': `[${order(', "note": 1, "note": 2')}]`, 'order_items/i.csv': ITEMS });
  assert.is(ok.report.verdict, 'ACCEPTED');
  const dirs2 = await tempDirs();
  try {
    const bad = await run(dirs2, { 'products/p.csv': PRODUCTS, 'orders/o.ndjson': `${order('')}\n${order(', "status": "Returned"')}\n`, 'order_items/i.csv': ITEMS });
    const file = bad.report.files.find((f) => f.key === 'orders/o.ndjson')!;
    assert.equal(file.file_reason, { code: 'FILE_MALFORMED', message: 'ambiguous object at line 2: member(s) "status" given more than once' });
    assert.is(file.rows_read, 1);
  } finally {
    await dirs2.cleanup();
  }
});

withDirs('a stray quote in a product name does not reject the batch or orphan its items', async (dirs) => {
  threads = 1;
  const { report, lake } = await run(dirs, {
    'products/p.csv': csv('id,sku,cost,category,retail_price,name', ['p1,S1,1.00,Monitors,2.50,27" Monitor', 'p2,S2,1.00,Maps,2.50,37°36\'37.8"N 121°2\'17.9"W']),
    'orders/o.csv': ORDERS,
    'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,1', 'i2,o1,p2,1']),
  });
  assert.is(report.verdict, 'ACCEPTED');
  assert.equal(report.reason_counts, {});
  const products = (await readGzLines(lake, cleanedKey('products', 'b'))) as Array<{ name: string }>;
  assert.equal(products.map((p) => p.name), ['27" Monitor', '37°36\'37.8"N 121°2\'17.9"W']);
});

withDirs('a legal quoted CSV field of 2 MiB is read', async (dirs) => {
  threads = 1;
  const name = `"${'a,"" '.repeat(2 << 18)}"`;
  const { report } = await run(dirs, {
    'products/p.csv': csv('id,sku,cost,category,retail_price,name', [`p1,S1,1.00,Jeans,2.50,${name}`]),
    'orders/o.csv': ORDERS,
    'order_items/i.csv': ITEMS,
  });
  assert.is(report.verdict, 'ACCEPTED');
});

test.run();
