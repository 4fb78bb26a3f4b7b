// The transform's exactly-once laws over generated batches on a local lake with the lake KPI
// store: final KPIs = the naive reference over the latest version of every order; re-running
// changes nothing; order of transforms and batch boundaries do not matter.
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchSeq } from '../../workers/core/batch.js';
import type { KpiRows } from '../../workers/core/kpi-rows.js';
import { blobKpiStore } from '../../workers/io/blob-kpi-store.js';
import { localStore } from '../../workers/io/local-store.js';
import { transformBatch } from '../../workers/transform/transform-batch.js';
import { committedAtOf, publishBatch } from '../support/cleaned-fixtures.js';
import { referenceKpis } from '../support/kpi-reference.js';
import { shopArb, type Shop, type ShopItem, type ShopOrder } from '../support/shop.js';

interface Delivery {
  readonly id: string;
  readonly committedAt: string;
  readonly shop: Shop;
}

const withLake = async <A>(f: (dir: string) => Promise<A>): Promise<A> => {
  const dir = await mkdtemp(join(tmpdir(), 'transform-'));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** Latest version of every order across deliveries, with that delivery's items, as the reference sees it. */
const expectedKpis = (deliveries: ReadonlyArray<Delivery>): KpiRows => {
  const seqOf = (d: Delivery) => batchSeq(d.committedAt, d.id);
  const latest = new Map<string, { order: ShopOrder; d: Delivery }>();
  for (const d of deliveries)
    for (const o of d.shop.orders) {
      const seen = latest.get(o.order_id);
      if (!seen || seqOf(d) > seqOf(seen.d)) latest.set(o.order_id, { order: o, d });
    }
  const orders = [...latest.values()].map((v) => v.order);
  const items: ShopItem[] = [...latest.values()].flatMap((v) => v.d.shop.items.filter((i) => i.order_id === v.order.order_id));
  const deliveryOf = new Map([...latest.values()].map((v) => [v.order, v.d]));
  return referenceKpis(orders, items, (o) => {
    const d = deliveryOf.get(o)!;
    return { seq: seqOf(d), batch_id: d.id, updated_at: d.committedAt };
  });
};

const run = async (dir: string, batchId: string) => {
  const lake = localStore(dir);
  return transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false }, batchId);
};
const state = async (dir: string) => JSON.stringify(await blobKpiStore(localStore(dir)).allRows());

/** 1–4 deliveries sharing a small pool of order ids, so orders are re-delivered, moved, changed. */
const deliveriesArb: fc.Arbitrary<Delivery[]> = fc
  .array(shopArb(fc.integer({ min: 1, max: 12 }).map((n) => `o${n}`)), { minLength: 1, maxLength: 4 })
  .chain((shops) =>
    fc.shuffledSubarray(shops.map((_, i) => i + 1), { minLength: shops.length, maxLength: shops.length }).map((days) =>
      shops.map((shop, i) => ({
        id: `b-${i}`,
        committedAt: committedAtOf(days[i]!),
        // items of different deliveries need distinct ids only for readability
        shop: { ...shop, items: shop.items.map((it) => ({ ...it, id: `${i}-${it.id}` })) },
      })),
    ),
  );

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

test('an uncommitted batch is refused and writes nothing', async () =>
  withLake(async (dir) => {
    const error = await run(dir, 'b-nope').then(() => undefined, (e: Error) => e);
    assert.match(error?.message ?? '', /no commit record/);
    assert.is(await state(dir), JSON.stringify({ order: [], category: [] }));
  }));

test.run();
