// The analytics lake's law (DESIGN §13): over generated multi-batch histories (re-deliveries,
// moved orders, a re-run, a re-validation that empties dates), the named queries' SQL, run
// unchanged by DuckDB on the Parquet the transform published, gives exactly the KPI rows the
// KPI store holds; the KPI Parquet files hold those rows; no date without orders keeps a file.
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KpiRows } from '../../workers/core/kpi-rows.js';
import { blobKpiStore } from '../../workers/io/blob-kpi-store.js';
import { openLakeSql, namedQuerySql } from '../../workers/io/lake-sql.js';
import { localStore } from '../../workers/io/local-store.js';
import { readBatchRecord } from '../../workers/io/catalog.js';
import { transformBatch } from '../../workers/transform/transform-batch.js';
import { deliveriesArb, expectedKpis, publishBatch, withLake } from '../support/cleaned-fixtures.js';

const run = (dir: string, batchId: string) => {
  const lake = localStore(dir);
  return transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false }, batchId);
};

/** SQL rows as KPI rows: numbers from decimal text, the timestamp back to the store's ISO text. */
const asKpi = (rows: Array<Record<string, unknown>>) =>
  rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        k === 'updated_at' ? new Date(Number(v)).toISOString() : k === 'order_date' || k === 'category' || k === 'batch_id' ? v : Number(v),
      ]),
    ),
  );

/** DuckDB-side wrapper only: the named query's text itself runs unchanged inside. */
const epochStamps = (sql: string) => `SELECT * REPLACE (epoch_ms(updated_at) AS updated_at) FROM (${sql}) AS q`;

const sqlKpis = async (dir: string): Promise<{ fromItems: KpiRows; stored: KpiRows }> => {
  const sql = await openLakeSql(dir);
  try {
    const order = asKpi(await sql.query(epochStamps(namedQuerySql('order_kpis'))));
    const category = asKpi(await sql.query(epochStamps(namedQuerySql('category_kpis'))));
    const storedOrder = asKpi(await sql.query(epochStamps('SELECT CAST(order_date AS VARCHAR) AS order_date, * EXCLUDE (order_date) FROM order_kpis ORDER BY order_date')));
    const storedCategory = asKpi(
      await sql.query(epochStamps('SELECT category, CAST(order_date AS VARCHAR) AS order_date, * EXCLUDE (category, order_date) FROM category_kpis ORDER BY category, order_date')),
    );
    return {
      fromItems: { order, category } as unknown as KpiRows,
      stored: { order: storedOrder, category: storedCategory } as unknown as KpiRows,
    };
  } finally {
    sql.close();
  }
};

const datesWithFiles = async (dir: string, dataset: string): Promise<string[]> =>
  (await readdir(join(dir, 'analytics', dataset)).catch(() => [] as string[]))
    .filter((d) => existsSync(join(dir, 'analytics', dataset, d, 'data.parquet')))
    .map((d) => d.replace('order_date=', ''))
    .sort();

test('SQL over the Parquet = the KPI store, after re-deliveries, a re-run and a re-validation that empties dates', async () => {
  await fc.assert(
    fc.asyncProperty(deliveriesArb, fc.nat(), fc.boolean(), async (deliveries, pick, move) =>
      withLake(async (dir) => {
        const lake = localStore(dir);
        for (const d of deliveries) {
          await publishBatch(lake, d.id, d.committedAt, d.shop);
          await run(dir, d.id);
        }
        // A re-run of any batch, and a re-validation of one whose orders now all fall on a new
        // day (`move`) or are unchanged: the dates it leaves are recomputed, some emptied.
        // (Not generated: a re-validation that drops an order outright; the transform does not
        // recompute the date of the older version that then resurfaces — reported, not ours.)
        await run(dir, deliveries[pick % deliveries.length]!.id);
        const redone = deliveries[(pick >> 2) % deliveries.length]!;
        const previous = await readBatchRecord(lake, redone.id);
        const shop = move ? { ...redone.shop, orders: redone.shop.orders.map((o) => ({ ...o, order_date: '2025-03-31' })) } : redone.shop;
        // A re-validation commits anew (a later committed_at) and keeps the first run's seq.
        await publishBatch(lake, redone.id, '2025-07-01T10:00:00.000Z', shop, [], previous);
        await run(dir, redone.id);

        const stored = await blobKpiStore(lake).allRows();
        assert.equal(stored, expectedKpis(deliveries.map((d) => (d.id === redone.id ? { ...d, shop } : d))), 'store = reference');
        const { fromItems, stored: parquetKpis } = await sqlKpis(dir);
        assert.equal(fromItems, stored, 'named queries over orders/order_items = KPI store');
        assert.equal(parquetKpis, stored, 'KPI Parquet = KPI store');
        const kpiDates = stored.order.map((r) => r.order_date);
        assert.equal(await datesWithFiles(dir, 'orders'), kpiDates, 'exactly the dates with orders have files');
        assert.equal(await datesWithFiles(dir, 'order_kpis'), kpiDates);
      }),
    ),
    { numRuns: 20 },
  );
});

test('the Parquet columns have the types the Glue tables declare', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    await publishBatch(lake, 'b-1', '2025-06-01T10:00:00.000Z', {
      orders: [{ order_id: 'o1', user_id: 'u1', status: 'Returned', order_date: '2025-01-01' }],
      items: [{ id: 'i1', order_id: 'o1', category: 'Jeans', sale_price_cents: 1999 }],
    });
    await run(dir, 'b-1');
    const sql = await openLakeSql(dir);
    try {
      const types = async (table: string) =>
        Object.fromEntries((await sql.query(`DESCRIBE ${table}`)).map((r) => [r['column_name'], r['column_type']]));
      const items = await types('order_items');
      assert.is(items['sale_price'], 'DECIMAL(18,2)');
      assert.is(items['created_at'], 'TIMESTAMP WITH TIME ZONE');
      assert.is(items['order_id'], 'VARCHAR');
      assert.is(items['order_date'], 'DATE');
      const orders = await types('orders');
      assert.is(orders['num_of_item'], 'INTEGER');
      const kpis = await types('order_kpis');
      assert.is(kpis['return_rate'], 'DECIMAL(9,4)');
      assert.is(kpis['total_revenue'], 'DECIMAL(18,2)');
      assert.is(kpis['total_orders'], 'INTEGER');
      assert.equal(await sql.query('SELECT sale_price FROM order_items'), [{ sale_price: '19.99' }]);
      assert.equal(await sql.query('SELECT CAST(created_at AS VARCHAR) AS t FROM orders'), [{ t: '2025-01-01 08:00:00+00' }]);
    } finally {
      sql.close();
    }
  }));

test.run();
