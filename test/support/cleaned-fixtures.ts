// Writes cleaned-zone batches the way the validate worker publishes them (records.ts lines under
// lake-layout.ts keys, the commit record last), so the transform is tested without validate.
import { batchSeq, type BatchRecord } from '../../workers/core/batch.js';
import { batchRecordKey, cleanedKey } from '../../workers/core/lake-layout.js';
import type { CleanOrder, CleanOrderItem } from '../../workers/core/records.js';
import type { BlobStore } from '../../workers/io/blob-store.js';
import { ndjsonGzWriter } from '../../workers/io/ndjson-gz.js';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KpiRows } from '../../workers/core/kpi-rows.js';
import { referenceKpis } from './kpi-reference.js';
import { shopArb, type Shop, type ShopItem, type ShopOrder } from './shop.js';

const writeLines = async (lake: BlobStore, key: string, records: ReadonlyArray<unknown>) => {
  const w = ndjsonGzWriter();
  const stored = lake.writeStream(key, w.output);
  for (const r of records) await w.write(r);
  w.end();
  await stored;
};

export const committedAtOf = (n: number): string => `2025-06-${String(n).padStart(2, '0')}T10:00:00.000Z`;

/** Publishes `shop` as batch `batchId`, committed at `committedAt`; returns its record. */
export const publishBatch = async (
  lake: BlobStore,
  batchId: string,
  committedAt: string,
  shop: Shop,
  sources: ReadonlyArray<string> = [],
  /** A re-run keeps the first run's record seq and drops its files of dates it no longer has, as validate does. */
  previous?: BatchRecord,
): Promise<BatchRecord> => {
  const dates = [...new Set(shop.orders.map((o) => o.order_date))].sort();
  const dateOf = new Map(shop.orders.map((o) => [o.order_id, o.order_date]));
  for (const date of dates) {
    const orders: CleanOrder[] = shop.orders
      .filter((o) => o.order_date === date)
      .map((o) => ({ ...o, created_at: `${o.order_date}T08:00:00.000Z`, num_of_item: 1 }));
    const items: CleanOrderItem[] = shop.items
      .filter((i) => dateOf.get(i.order_id) === date)
      .map((i) => ({ ...i, product_id: `p-${i.category}`, order_date: date, status: 'Complete' }));
    await writeLines(lake, cleanedKey('orders', batchId, date), orders);
    // as validate does: a re-run's date without items keeps no items file of the earlier run
    if (items.length > 0) await writeLines(lake, cleanedKey('order_items', batchId, date), items);
    else await lake.delete([cleanedKey('order_items', batchId, date)]);
  }
  const gone = (previous?.order_dates ?? []).filter((d) => !dates.includes(d));
  await lake.delete(gone.flatMap((d) => [cleanedKey('orders', batchId, d), cleanedKey('order_items', batchId, d)]));
  const record: BatchRecord = {
    batch_id: batchId,
    seq: previous?.seq ?? batchSeq(committedAt, batchId),
    committed_at: committedAt,
    order_dates: dates,
    sources,
  };
  await lake.write(batchRecordKey(batchId), JSON.stringify(record));
  return record;
};

export interface Delivery {
  readonly id: string;
  readonly committedAt: string;
  readonly shop: Shop;
}

/** A fresh temporary lake directory for `f`, removed afterwards. */
export const withLake = async <A>(f: (dir: string) => Promise<A>): Promise<A> => {
  const dir = await mkdtemp(join(tmpdir(), 'transform-'));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** Latest version of every order across deliveries, with that delivery's items, as the reference sees it. */
export const expectedKpis = (deliveries: ReadonlyArray<Delivery>): KpiRows => {
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

/** 1–4 deliveries sharing a small pool of order ids, so orders are re-delivered, moved, changed. */
export const deliveriesArb: fc.Arbitrary<Delivery[]> = fc
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

