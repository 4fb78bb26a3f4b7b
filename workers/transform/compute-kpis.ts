// Recomputes the KPIs of every date a committed batch touches, from the cleaned zone across all
// committed batches, without writing any KPI (the caller writes only once this has finished).
//
// 1. The batch's order index is (re)built from its cleaned orders: its order ids.
// 2. Touched dates = the batch's dates ∪ dates where other versions of its orders live (one pass
//    over the other batches' order indexes).
// 3. The latest version of every order with a version on a touched date (two more index passes:
//    collect those ids, then find their greatest-seq version anywhere, other dates included).
// 4. Per touched date: the surviving order versions of that date, then that date's items streamed
//    into per-order totals (only items of surviving (order, batch) versions), then the fold.
// Memory: the ids of the touched dates' orders, plus one date's orders with their totals; items
// are streamed and never held.
import type { BatchRecord } from '../core/batch.js';
import { stampOf } from '../core/kpi-stamp.js';
import { kpiItemOf, type KpiOrder } from '../core/kpi-input.js';
import { addItemInPlace, kpiRowsOf, newOrderTotals, type OrderTotalsBuilder, type SettledOrder } from '../core/kpi-fold.js';
import { type CategoryKpiRow, type KpiRows, type OrderKpiRow, sortRows } from '../core/kpi-rows.js';
import { recordVersion, type LatestBatchByOrder } from '../core/versions.js';
import type { BlobStore } from '../io/blob-store.js';
import { committedFiles, hasOrderIndex, loadCommittedBatches, readKpiOrders, readOrderIndex, writeOrderIndex, type Committed } from '../io/cleaned-lake.js';
import { gzLineBatches } from '../io/gz-lines.js';

export interface KpiCounts {
  readonly committed_batches: number;
  readonly dates: number;
  readonly order_versions_read: number;
  readonly orders_counted: number;
  readonly order_versions_superseded: number;
  readonly items_read: number;
  readonly items_counted: number;
  readonly items_superseded: number;
}

export interface KpiComputation {
  readonly batch: BatchRecord;
  /** Sorted; every KPI row of these dates is in `rows`, and rows of no other date. */
  readonly dates: ReadonlyArray<string>;
  readonly rows: KpiRows;
  readonly counts: KpiCounts;
}

export class BatchNotCommitted extends Error {
  override readonly name = 'BatchNotCommitted';
}

interface DateTally {
  order_versions_read: number;
  orders_counted: number;
  order_versions_superseded: number;
  items_read: number;
  items_counted: number;
  items_superseded: number;
}

interface Pending {
  readonly order: KpiOrder;
  readonly batch: BatchRecord;
  readonly totals: OrderTotalsBuilder;
}

const settleDate = async (
  lake: BlobStore,
  date: string,
  committed: Committed,
  latest: LatestBatchByOrder,
  tally: DateTally,
): Promise<KpiRows> => {
  const orders = new Map<string, Pending>();
  for (const { key, batch } of await committedFiles(lake, 'orders', date, committed)) {
    for await (const chunk of readKpiOrders(lake, key)) {
      for (const order of chunk) {
        tally.order_versions_read++;
        if (latest.get(order.order_id) === batch.batch_id) orders.set(order.order_id, { order, batch, totals: newOrderTotals() });
        else tally.order_versions_superseded++;
      }
    }
  }
  for (const { key, batch } of await committedFiles(lake, 'order_items', date, committed)) {
    let line = 0;
    for await (const lines of gzLineBatches(await lake.read(key))) {
      for (const text of lines) {
        line++;
        const item = kpiItemOf(JSON.parse(text));
        if (!item) throw new Error(`${key}:${line}: not a cleaned order item`);
        tally.items_read++;
        const pending = orders.get(item.order_id);
        if (pending !== undefined && pending.batch === batch) {
          addItemInPlace(pending.totals, item.category, item.sale_price_cents);
          tally.items_counted++;
        } else tally.items_superseded++;
      }
    }
  }
  tally.orders_counted += orders.size;
  const settled: SettledOrder[] = [];
  for (const { order, batch, totals } of orders.values()) {
    settled.push({
      ...order,
      order_date: date,
      stamp: stampOf(batch),
      totals,
    });
  }
  return kpiRowsOf(settled);
};

/** Every (order id, date) of the batches, a chunk at a time. */
const eachIndexed = async (
  lake: BlobStore,
  batches: ReadonlyArray<BatchRecord>,
  f: (orderId: string, date: string, batch: BatchRecord) => void,
): Promise<void> => {
  for (const batch of batches)
    for await (const chunk of readOrderIndex(lake, batch)) for (const [id, date] of chunk) f(id, date, batch);
};

export const computeKpis = async (lake: BlobStore, batchId: string): Promise<KpiComputation> => {
  const committed = await loadCommittedBatches(lake);
  const batch = committed.get(batchId);
  if (!batch) throw new BatchNotCommitted(`batch ${batchId} has no commit record in ${lake.root}: nothing was validated and published for it`);
  const seqOf = (id: string) => committed.get(id)!.seq;

  // A re-validated batch may have left dates it published before: its previous index names them.
  const touched = new Set(batch.order_dates);
  if (await hasOrderIndex(lake, batchId)) await eachIndexed(lake, [batch], (_id, date) => touched.add(date));
  // `latest` starts as the batch's own orders (all their versions so far are this batch's).
  const latest: LatestBatchByOrder = new Map();
  await writeOrderIndex(lake, batch, (orderId) => latest.set(orderId, batchId));
  const others = [...committed.values()].filter((b) => b.batch_id !== batchId).sort((a, b) => (a.seq < b.seq ? -1 : 1));

  await eachIndexed(lake, others, (id, date) => {
    if (latest.has(id)) touched.add(date);
  });
  await eachIndexed(lake, others, (id, date, b) => {
    if (touched.has(date) && !latest.has(id)) latest.set(id, b.batch_id);
  });
  const record = recordVersion(latest, seqOf);
  await eachIndexed(lake, others, (id, _date, b) => {
    if (latest.has(id)) record(id, b.batch_id);
  });

  const dates = [...touched].sort();
  const tally: DateTally = {
    order_versions_read: 0,
    orders_counted: 0,
    order_versions_superseded: 0,
    items_read: 0,
    items_counted: 0,
    items_superseded: 0,
  };
  const order: OrderKpiRow[] = [];
  const category: CategoryKpiRow[] = [];
  for (const date of dates) {
    const rows = await settleDate(lake, date, committed, latest, tally);
    order.push(...rows.order);
    category.push(...rows.category);
  }
  return {
    batch,
    dates,
    rows: sortRows({ order, category }),
    counts: { committed_batches: committed.size, dates: dates.length, ...tally },
  };
};
