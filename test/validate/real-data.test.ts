// The real inputs of ../shared/data (see its README), asserted per DESIGN §3–§4.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { localStore } from '../../workers/io/local-store.js';
import { cleanedKey, quarantineRowsKey } from '../../workers/core/lake-layout.js';
import { KINDS } from '../../workers/core/records.js';
import { copyFiles, readGzLines, tempDirs } from '../support/lake.js';

const DATA = join(import.meta.dirname, '../../../shared/data');

test('course: 9,000 orders, 27,007 items, 10,000 products, every row cleaned, none quarantined', async () => {
  const dirs = await tempDirs();
  try {
    const lake = localStore(dirs.lake);
    const report = await validateBatch({ source: localStore(join(DATA, 'course')), lake, maxRejectRate: 0.05 });
    assert.is(report.verdict, 'ACCEPTED');
    assert.equal(
      KINDS.map((k) => [k, report.kinds[k].rows_read, report.kinds[k].rows_cleaned, report.kinds[k].rows_quarantined]),
      [['products', 10000, 10000, 0], ['orders', 9000, 9000, 0], ['order_items', 27007, 27007, 0]],
    );
    assert.is(report.files.length, 26);
    assert.equal(report.reason_counts, {});
    // every cleaned item sits in its order's partition (638 were created on another day)
    let items = 0;
    let orders = 0;
    const statuses = new Set<string>();
    for (const date of report.order_dates) {
      const os = (await readGzLines(lake, cleanedKey('orders', report.batch_id, date))) as Array<{ order_id: string; order_date: string; status: string; delivered_at?: string }>;
      orders += os.length;
      os.forEach((o) => statuses.add(o.status));
      const ids = new Set(os.map((o) => o.order_id));
      const is = (await readGzLines(lake, cleanedKey('order_items', report.batch_id, date)).catch(() => [])) as Array<{ order_id: string; order_date: string; created_at?: string }>;
      items += is.length;
      for (const i of is) {
        assert.is(i.order_date, date);
        assert.ok(ids.has(i.order_id), `item of order ${i.order_id} in ${date}`);
      }
    }
    assert.equal([orders, items], [9000, 27007]);
    assert.equal([...statuses].sort(), ['Delivered', 'Returned'], 'lowercase statuses stored capitalised');
  } finally {
    await dirs.cleanup();
  }
});

test('thelook-sample: orders and products clean; excerpt items do not join, so all are quarantined and the batch is rejected', async () => {
  const dirs = await tempDirs();
  try {
    const sample = join(DATA, 'thelook-sample');
    await copyFiles(dirs.landing, {
      'orders/orders.csv': join(sample, 'orders.csv'),
      'products/products.csv': join(sample, 'products.csv'),
      'order_items/order_items_excerpt.csv': join(sample, 'order_items_excerpt.csv'),
    });
    const lake = localStore(dirs.lake);
    const report = await validateBatch({ source: localStore(dirs.landing), lake, maxRejectRate: 0.05, batchId: 'b-thelook' });
    // `2024-01-16 18:54:22 UTC` timestamps, five statuses, float-noise prices: all valid
    assert.equal([report.kinds.orders.rows_read, report.kinds.orders.rows_cleaned], [2000, 2000]);
    assert.equal([report.kinds.products.rows_read, report.kinds.products.rows_cleaned], [2000, 2000]);
    // the excerpt's ids belong to another export: every item is UNKNOWN_ORDER, most UNKNOWN_PRODUCT
    assert.equal([report.kinds.order_items.rows_read, report.kinds.order_items.rows_quarantined], [32, 32]);
    assert.is(report.reason_counts.UNKNOWN_ORDER, 32);
    assert.ok((report.reason_counts.UNKNOWN_PRODUCT ?? 0) > 0);
    assert.equal(Object.keys(report.reason_counts).sort(), ['UNKNOWN_ORDER', 'UNKNOWN_PRODUCT']);
    assert.is(report.verdict, 'REJECTED');
    assert.is(report.published, false);
    const rows = (await readGzLines(lake, quarantineRowsKey('b-thelook', 'order_items'))) as Array<{ line: number; raw: { sale_price: string } }>;
    assert.equal(rows.map((r) => r.line), Array.from({ length: 32 }, (_, i) => i + 2));
    assert.is(rows[0]!.raw.sale_price, '0.0199999995529651');
  } finally {
    await dirs.cleanup();
  }
});

test('thelook-sample products: float-noise prices round half away from zero on their digits', async () => {
  const dirs = await tempDirs();
  try {
    await copyFiles(dirs.landing, { 'products/products.csv': join(DATA, 'thelook-sample', 'products.csv') });
    const lake = localStore(dirs.lake);
    const report = await validateBatch({ source: localStore(dirs.landing), lake, maxRejectRate: 0.05, batchId: 'b-p' });
    assert.is(report.verdict, 'ACCEPTED');
    const products = (await readGzLines(lake, cleanedKey('products', 'b-p'))) as Array<{ id: string; cost_cents: number; retail_price_cents: number }>;
    const first = products.find((p) => p.id === '13842')!; // cost 2.5187499908497561, retail 6.25
    assert.equal([first.cost_cents, first.retail_price_cents], [252, 625]);
    const second = products.find((p) => p.id === '13928')!; // cost 2.3383499148894105, retail 5.9499998092651367
    assert.equal([second.cost_cents, second.retail_price_cents], [234, 595]);
  } finally {
    await dirs.cleanup();
  }
});

test.run();
