// The transform's exactly-once laws over generated batches on a local lake with the lake KPI
// store: final KPIs = the naive reference over the latest version of every order; re-running
// changes nothing; order of transforms and batch boundaries do not matter.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KpiRows } from '../../workers/core/kpi-rows.js';
import { blobKpiStore } from '../../workers/io/blob-kpi-store.js';
import { localStore } from '../../workers/io/local-store.js';
import { transformBatch } from '../../workers/transform/transform-batch.js';
import { committedAtOf, deliveriesArb, expectedKpis, publishBatch, withLake } from '../support/cleaned-fixtures.js';
import { shopArb, type Shop } from '../support/shop.js';

const run = async (dir: string, batchId: string) => {
  const lake = localStore(dir);
  return transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false }, batchId);
};
const state = async (dir: string) => JSON.stringify(await blobKpiStore(localStore(dir)).allRows());

const SLOW = { numRuns: 25 };

test('commit and transform one batch after another: KPIs = reference over the latest versions', async () => {
  await fc.assert(
    fc.asyncProperty(deliveriesArb, async (deliveries) =>
      withLake(async (dir) => {
        const lake = localStore(dir);
        for (const d of deliveries) {
          await publishBatch(lake, d.id, d.committedAt, d.shop);
          await run(dir, d.id);
        }
        assert.equal(await blobKpiStore(lake).allRows(), expectedKpis(deliveries));
      }),
    ),
    SLOW,
  );
});

test('re-running any batch changes nothing, byte for byte; transform order does not matter', async () => {
  await fc.assert(
    fc.asyncProperty(deliveriesArb, fc.nat(), async (deliveries, pick) =>
      withLake(async (dir) => {
        const lake = localStore(dir);
        for (const d of deliveries) {
          await publishBatch(lake, d.id, d.committedAt, d.shop);
          await run(dir, d.id);
        }
        const before = await state(dir);
        await run(dir, deliveries[pick % deliveries.length]!.id);
        assert.is(await state(dir), before);
        // all committed up front, transformed in reverse: same state
        await withLake(async (other) => {
          for (const d of deliveries) await publishBatch(localStore(other), d.id, d.committedAt, d.shop);
          for (const d of [...deliveries].reverse()) await run(other, d.id);
          assert.is(await state(other), before);
        });
      }),
    ),
    SLOW,
  );
});

const withoutStamps = (rows: KpiRows) => ({
  order: rows.order.map(({ updated_at: _u, batch_id: _b, ...r }) => r),
  category: rows.category.map(({ updated_at: _u, batch_id: _b, ...r }) => r),
});

test('two independent batches one after another = one batch holding both, in either order', async () => {
  const twoShops = fc
    .tuple(shopArb(fc.integer({ min: 1, max: 15 }).map((n) => `a${n}`), 'ia'), shopArb(fc.integer({ min: 1, max: 15 }).map((n) => `b${n}`), 'ib'));
  await fc.assert(
    fc.asyncProperty(twoShops, async ([s1, s2]) => {
      const both: Shop = { orders: [...s1.orders, ...s2.orders], items: [...s1.items, ...s2.items] };
      const oneAfterOther = async (first: Shop, second: Shop) =>
        withLake(async (dir) => {
          const lake = localStore(dir);
          await publishBatch(lake, 'b-x', committedAtOf(1), first);
          await run(dir, 'b-x');
          await publishBatch(lake, 'b-y', committedAtOf(2), second);
          await run(dir, 'b-y');
          return withoutStamps(await blobKpiStore(lake).allRows());
        });
      const single = await withLake(async (dir) => {
        await publishBatch(localStore(dir), 'b-z', committedAtOf(3), both);
        await run(dir, 'b-z');
        return withoutStamps(await blobKpiStore(localStore(dir)).allRows());
      });
      assert.equal(await oneAfterOther(s1, s2), single);
      assert.equal(await oneAfterOther(s2, s1), single);
    }),
    SLOW,
  );
});

test('a re-delivered order replaces its earlier version: now Returned, an item fewer, on another day', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    const first: Shop = {
      orders: [
        { order_id: 'o1', user_id: 'u1', status: 'Complete', order_date: '2025-01-01' },
        { order_id: 'o2', user_id: 'u2', status: 'Complete', order_date: '2025-01-01' },
        { order_id: 'o3', user_id: 'u3', status: 'Shipped', order_date: '2025-01-02' },
      ],
      items: [
        { id: 'i1', order_id: 'o1', category: 'Jeans', sale_price_cents: 1000 },
        { id: 'i2', order_id: 'o1', category: 'Jeans', sale_price_cents: 500 },
        { id: 'i3', order_id: 'o2', category: 'Tops', sale_price_cents: 250 },
        { id: 'i4', order_id: 'o3', category: 'Coats', sale_price_cents: 7000 },
      ],
    };
    await publishBatch(lake, 'b-1', committedAtOf(1), first);
    const r1 = await run(dir, 'b-1');
    assert.equal(r1.dates_recomputed, ['2025-01-01', '2025-01-02']);
    const second: Shop = {
      orders: [
        { order_id: 'o1', user_id: 'u1', status: 'Returned', order_date: '2025-01-01' }, // now returned, one item fewer
        { order_id: 'o3', user_id: 'u3', status: 'Shipped', order_date: '2025-01-05' }, // moved to another day
      ],
      items: [
        { id: 'i1', order_id: 'o1', category: 'Jeans', sale_price_cents: 1000 },
        { id: 'i4', order_id: 'o3', category: 'Coats', sale_price_cents: 7000 },
      ],
    };
    await publishBatch(lake, 'b-2', committedAtOf(2), second);
    const r2 = await run(dir, 'b-2');
    assert.equal(r2.dates_recomputed, ['2025-01-01', '2025-01-02', '2025-01-05']);
    assert.equal(r2.rows.order.deleted, 1); // 2025-01-02 lost its only order
    assert.equal(r2.rows.category.deleted, 1); // (Coats, 2025-01-02)
    const rows = await blobKpiStore(lake).allRows();
    assert.equal(rows.order.map((r) => [r.order_date, r.total_orders, r.total_revenue, r.total_items_sold, r.return_rate, r.net_revenue, r.batch_id]), [
      ['2025-01-01', 2, 12.5, 2, 0.5, 2.5, 'b-2'],
      ['2025-01-05', 1, 70, 1, 0, 70, 'b-2'],
    ]);
    assert.equal(rows.category.map((r) => [r.category, r.order_date, r.daily_revenue, r.items_sold, r.avg_return_rate, r.batch_id]), [
      ['Coats', '2025-01-05', 70, 1, 0, 'b-2'],
      ['Jeans', '2025-01-01', 10, 1, 1, 'b-2'],
      ['Tops', '2025-01-01', 2.5, 1, 0, 'b-1'],
    ]);
  }));

/** One order with one item, placed on `day`: re-published on another day, it moves. */
const oneOrderOn = (day: string): Shop => ({
  orders: [{ order_id: 'o1', user_id: 'u1', status: 'Complete', order_date: day }],
  items: [{ id: 'i1', order_id: 'o1', category: 'Jeans', sale_price_cents: 100 }],
});

test('a batch re-validated with an order on another day: the day it left is recomputed; rows keep their stamp', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    const first = await publishBatch(lake, 'b-1', committedAtOf(1), oneOrderOn('2025-01-01'));
    await run(dir, 'b-1');
    await publishBatch(lake, 'b-1', committedAtOf(9), oneOrderOn('2025-01-02'), [], first);
    const report = await run(dir, 'b-1');
    assert.equal(report.dates_recomputed, ['2025-01-01', '2025-01-02']);
    const rows = await blobKpiStore(lake).allRows();
    assert.equal(rows.order.map((r) => [r.order_date, r.updated_at]), [['2025-01-02', committedAtOf(1)]]);
    assert.equal(rows.category.map((r) => r.order_date), ['2025-01-02']);
  }));

test('a crash before the KPI writes, after a re-validation moved an order: the re-run still recomputes the day it left', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    const first = await publishBatch(lake, 'b-1', committedAtOf(1), oneOrderOn('2025-01-01'));
    await run(dir, 'b-1');
    await publishBatch(lake, 'b-1', committedAtOf(9), oneOrderOn('2025-01-02'), [], first);
    const store = blobKpiStore(lake);
    const crashing = { ...store, apply: () => Promise.reject(new Error('killed')) };
    const crashed = await transformBatch({ lake, store: crashing, removeFromLanding: false }, 'b-1').then(() => 'done', (e: Error) => e.message);
    assert.is(crashed, 'killed');
    assert.equal((await store.allRows()).order.map((r) => r.order_date), ['2025-01-01'], 'nothing written by the crashed run');
    const report = await run(dir, 'b-1');
    assert.equal(report.dates_recomputed, ['2025-01-01', '2025-01-02']);
    assert.equal((await store.allRows()).order.map((r) => r.order_date), ['2025-01-02']);
  }));

test('an uncommitted batch is refused and writes nothing', async () =>
  withLake(async (dir) => {
    const error = await run(dir, 'b-nope').then(() => undefined, (e: Error) => e);
    assert.match(error?.message ?? '', /no commit record/);
    assert.is(await state(dir), JSON.stringify({ order: [], category: [] }));
  }));

test.run();
