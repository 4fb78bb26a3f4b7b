// Recomputes the KPIs of every date a committed batch touches, from the cleaned zone across all
// committed batches, without writing any KPI (the caller writes only once this has finished).
//
// 1. The batch's order index is rebuilt from its cleaned orders (its order ids); it replaces the
//    previous one only once the KPIs are stored (`publishIndex`), so a re-run after a crash still
//    sees the dates the batch published before a re-validation moved its orders.
// 2. Touched dates = the batch's dates ∪ dates where other versions of its orders live (one pass
//    over the other batches' order indexes).
// 3. The latest version of every order with a version on a touched date (two more index passes:
//    collect those ids, then find their greatest-seq version anywhere, other dates included).
// 4. Per touched date: the surviving order versions of that date, then that date's items streamed
//    into per-order totals (only items of surviving (order, batch) versions), then the fold.
// Memory: the ids of the touched dates' orders, plus the orders of the dates in flight with their
// totals; items are streamed and never held.
import type { BatchRecord } from '../core/batch.js';
import { stampOf } from '../core/kpi-stamp.js';
import { itemLineReader, type KpiOrder } from '../core/kpi-input.js';
import { addItemInPlace, kpiRowsOf, newOrderTotals, type OrderTotalsBuilder, type SettledOrder, type Stamp } from '../core/kpi-fold.js';
import { type KpiRows, sortRows } from '../core/kpi-rows.js';
import { recordVersion, type LatestBatchByOrder } from '../core/versions.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Logger } from '../io/log.js';
import type { DateVersions } from '../io/analytics-lake.js';
import {
  type CommittedFile,
  committedFilesByDate,
  hasOrderIndex,
  loadCommittedBatches,
  mapLimit,
  type OrderIndexWriter,
  orderIndexWriter,
  publishOrderIndex,
  readKpiOrders,
  readOrderIndex,
  writeOrderIndex,
} from '../io/cleaned-lake.js';
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
  /** Call once the KPIs are stored: makes the batch's rebuilt order index current. */
  readonly publishIndex: () => Promise<void>;
}

/** Memory: this many dates' orders at once; enough to keep the disk or S3 and zlib busy. */
const DATES_IN_FLIGHT = 4;

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

/** A surviving order version while its items stream in; a SettledOrder once they have. */
interface Pending extends SettledOrder {
  readonly batch: BatchRecord;
  readonly totals: OrderTotalsBuilder;
}

const stamps = new WeakMap<BatchRecord, Stamp>();
const stampOfBatch = (batch: BatchRecord): Stamp => {
  let stamp = stamps.get(batch);
  if (!stamp) stamps.set(batch, (stamp = stampOf(batch)));
  return stamp;
};

const pending = (order: KpiOrder, date: string, batch: BatchRecord): Pending => ({
  order_id: order.order_id,
  user_id: order.user_id,
  status: order.status,
  order_date: date,
  stamp: stampOfBatch(batch),
  batch,
  totals: newOrderTotals(),
});

/** How a date pass learns which versions count, and optionally indexes the batch's own orders. */
interface Resolution {
  readonly survives: (orderId: string, batchId: string) => boolean;
  readonly index?: { readonly batchId: string; readonly writer: OrderIndexWriter };
}

const settleDate = async (
  lake: BlobStore,
  date: string,
  files: { readonly orders: ReadonlyArray<CommittedFile>; readonly items: ReadonlyArray<CommittedFile> },
  resolution: Resolution,
  tally: DateTally,
  onDate?: OnDate,
): Promise<KpiRows> => {
  const orders = new Map<string, Pending>();
  for (const { key, batch } of files.orders) {
    for await (const chunk of readKpiOrders(lake, key)) {
      if (resolution.index?.batchId === batch.batch_id) await resolution.index.writer.add(date, chunk.map((o) => o.order_id));
      for (const order of chunk) {
        tally.order_versions_read++;
        if (resolution.survives(order.order_id, batch.batch_id)) orders.set(order.order_id, pending(order, date, batch));
        else tally.order_versions_superseded++;
      }
    }
  }
  for (const { key, batch } of files.items) {
    let line = 0;
    const readItem = itemLineReader();
    for await (const lines of gzLineBatches(await lake.read(key), 'latin1')) {
      for (const text of lines) {
        line++;
        const item = readItem(text);
        if (!item) throw new Error(`${key}:${line}: not a cleaned order item`);
        tally.items_read++;
        const owner = orders.get(item.order_id);
        if (owner !== undefined && owner.batch === batch) {
          addItemInPlace(owner.totals, item.category, item.sale_price_cents);
          tally.items_counted++;
        } else tally.items_superseded++;
      }
    }
  }
  tally.orders_counted += orders.size;
  const rows = kpiRowsOf(orders.values());
  await onDate?.({ date, ...files, survives: resolution.survives }, rows);
  return rows;
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

/** Called once per recomputed date with its resolved versions and KPI rows (the analytics lake). */
export type OnDate = (versions: DateVersions, rows: KpiRows) => Promise<void>;

export const computeKpis = async (lake: BlobStore, batchId: string, log?: Logger, onDate?: OnDate): Promise<KpiComputation> => {
  const t0 = Date.now();
  const committed = await loadCommittedBatches(lake);
  const batch = committed.get(batchId);
  if (!batch) throw new BatchNotCommitted(`batch ${batchId} has no commit record in ${lake.root}: nothing was validated and published for it`);
  const seqOf = (id: string) => committed.get(id)!.seq;

  // A re-validated batch may have left dates it published before: its previous index names them.
  const touched = new Set(batch.order_dates);
  if (await hasOrderIndex(lake, batchId)) await eachIndexed(lake, [batch], (_id, date) => touched.add(date));
  const others = [...committed.values()].filter((b) => b.batch_id !== batchId).sort((a, b) => (a.seq < b.seq ? -1 : 1));
  const orderFiles = await committedFilesByDate(lake, 'orders', committed);
  const itemFiles = await committedFilesByDate(lake, 'order_items', committed);

  let resolution: Resolution;
  if (others.length === 0) {
    // Alone in the lake: every version is this batch's, so nothing needs resolving and the
    // batch's order index is written during the date passes (one read of its orders, not two).
    resolution = { survives: () => true, index: { batchId, writer: orderIndexWriter(lake, batchId, { pending: true }) } };
  } else {
    // `latest` starts as the batch's own orders (all their versions so far are this batch's).
    const latest: LatestBatchByOrder = new Map();
    const ownOrderFiles = new Set([...orderFiles.values()].flatMap((fs) => fs.filter((f) => f.batch === batch).map((f) => f.key)));
    await writeOrderIndex(lake, batch, { pending: true, onOrder: (orderId) => latest.set(orderId, batchId), present: ownOrderFiles });
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
    resolution = { survives: (orderId, fromBatch) => latest.get(orderId) === fromBatch };
  }

  const dates = [...touched].sort();
  log?.debug('versions resolved', { dates: dates.length, other_batches: others.length, ms: Date.now() - t0 });
  const tally: DateTally = {
    order_versions_read: 0,
    orders_counted: 0,
    order_versions_superseded: 0,
    items_read: 0,
    items_counted: 0,
    items_superseded: 0,
  };
  // A few dates in flight, so reading and gunzipping the next files overlaps folding this one's.
  let perDate: KpiRows[];
  try {
    perDate = await mapLimit(dates, DATES_IN_FLIGHT, (date) =>
      settleDate(lake, date, { orders: orderFiles.get(date) ?? [], items: itemFiles.get(date) ?? [] }, resolution, tally, onDate),
    );
  } catch (error) {
    await resolution.index?.writer.abort(error as Error);
    throw error;
  }
  await resolution.index?.writer.close();
  log?.debug('dates settled', { ms: Date.now() - t0 });
  return {
    batch,
    dates,
    rows: sortRows({ order: perDate.flatMap((r) => r.order), category: perDate.flatMap((r) => r.category) }),
    counts: { committed_batches: committed.size, dates: dates.length, ...tally },
    publishIndex: () => publishOrderIndex(lake, batchId),
  };
};
