// Recomputes the KPIs of every date a committed batch touches, from the cleaned zone across all
// committed batches, without writing any KPI (the caller writes only once this has finished), and
// compacts each recomputed date with more than one source into its snapshot (core/snapshot.ts).
//
// 1. The batch's order index is rebuilt from its cleaned orders (its order ids); it replaces the
//    previous one only once the KPIs are stored (`publishIndex`), so a re-run after a crash still
//    sees the dates the batch published before a re-validation moved its orders. A batch already
//    settled at its current commit (its transform finished; its files may be compacted away)
//    keeps its published index.
// 2. Touched dates = the batch's dates ∪ those of its previous index ∪ dates where other versions
//    of its orders, or of the orders of its previous index, live (one pass over the other
//    batches' order indexes): a dropped order's next-latest version counts again on its date.
// 3. The latest version of every order with a version on a touched date (one more index pass, in
//    seq order: an order met on a touched date, then its greatest-seq version anywhere after).
// 4. Per touched date: the surviving order versions of that date from its snapshot and from the
//    per-batch files the snapshot does not cover, then that date's items streamed into per-order
//    totals (only items of surviving versions, from the same source), then the fold. What
//    survives goes to the date's sinks (date-sink.ts): the new snapshot when anything changed and
//    there is something to compact (more than one batch's files, or an old snapshot plus files),
//    which also keeps the superseded versions in its other part (a later drop can make one the
//    latest again); that part is read only while a re-validation is pending, else carried unread.
// 5. `settle`, once the KPIs are stored: the batch is marked settled, then the files the dates'
//    snapshots made redundant are removed.
// Memory: the ids of the touched dates' orders, plus the orders of the dates in flight with their
// totals (and their lines, for the sinks); items are streamed and never held.
import { type BatchRecord, isRevalidation } from '../core/batch.js';
import { stampOf } from '../core/kpi-stamp.js';
import { itemLineReader, kpiOrderOfLine, type KpiOrder } from '../core/kpi-input.js';
import { addItemInPlace, kpiRowsOf, newOrderTotals, type OrderTotalsBuilder, type SettledOrder, type Stamp } from '../core/kpi-fold.js';
import { type KpiRows, sortRows } from '../core/kpi-rows.js';
import { snapshotDataKey } from '../core/lake-layout.js';
import { batchIdOfSeq, coversAfter, removableKeys, type SnapshotRecord, seqOfLine, standingCovers, supersededNeeded, withSeq } from '../core/snapshot.js';
import { recordVersion, type LatestBatchByOrder } from '../core/versions.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Logger } from '../io/log.js';
import {
  type Committed,
  type CommittedFile,
  hasOrderIndex,
  loadCommittedBatches,
  mapLimit,
  type OrderIndexWriter,
  orderIndexWriter,
  presentOrderIndexes,
  publishOrderIndex,
  readOrderIndex,
  writeOrderIndex,
} from '../io/cleaned-lake.js';
import { gzObjectLines } from '../io/gz-lines.js';
import { type DatePartition, listDatePartitions, loadSettled, markSettled, readSnapshotRecord, snapshotLines } from '../io/snapshots.js';
import { allSinks, type DateSink } from './date-sink.js';
import { snapshotSink, type SnapshotSink } from './snapshot-sink.js';

export interface KpiCounts {
  readonly committed_batches: number;
  readonly dates: number;
  readonly order_versions_read: number;
  readonly orders_counted: number;
  readonly order_versions_superseded: number;
  readonly items_read: number;
  readonly items_counted: number;
  readonly items_superseded: number;
  /** Per-batch files read (those no snapshot covers), both kinds. */
  readonly batch_files_read: number;
  /** Dates read from a snapshot. */
  readonly snapshots_read: number;
  readonly snapshots_written: number;
  /** Dates whose snapshot's superseded versions were read (a re-validation may have made one the latest again). */
  readonly superseded_read: number;
  /** Superseded order versions carried forward unread. */
  readonly superseded_carried: number;
}

export interface CompactionSummary {
  readonly snapshots_written: number;
  /** Per-batch files and old snapshot data removed once the KPIs were stored. */
  readonly objects_removed: number;
}

export interface KpiComputation {
  readonly batch: BatchRecord;
  /** Sorted; every KPI row of these dates is in `rows`, and rows of no other date. */
  readonly dates: ReadonlyArray<string>;
  readonly rows: KpiRows;
  readonly counts: KpiCounts;
  /** Call once the KPIs are stored: makes the batch's rebuilt order index current. */
  readonly publishIndex: () => Promise<void>;
  /** Call after publishIndex: marks the batch settled and removes what the snapshots made redundant. */
  readonly settle: () => Promise<CompactionSummary>;
}

export interface ComputeOptions {
  /** Whether to write a date's snapshot when its recompute changed anything (default: always). */
  readonly compact?: (date: string) => boolean;
  readonly log?: Logger;
  /** A further sink per recomputed date, fed whether or not the date changed (the analytics lake). */
  readonly sink?: (date: string) => DateSink;
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
  batch_files_read: number;
  snapshots_read: number;
  snapshots_written: number;
  superseded_read: number;
  superseded_carried: number;
}

/** Where a version was read: its batch's file (the batch record) or the date's snapshot. */
const SNAPSHOT = 'snapshot' as const;
type Source = BatchRecord | typeof SNAPSHOT;

/** A surviving order version while its items stream in; a SettledOrder once they have. */
interface Pending extends SettledOrder {
  readonly batch: BatchRecord;
  readonly source: Source;
  /** Its cleaned line (byte string); from a snapshot already carrying its seq. */
  readonly line: string;
  readonly totals: OrderTotalsBuilder;
}

const stamps = new WeakMap<BatchRecord, Stamp>();
const stampOfBatch = (batch: BatchRecord): Stamp => {
  let stamp = stamps.get(batch);
  if (!stamp) stamps.set(batch, (stamp = stampOf(batch)));
  return stamp;
};

const pending = (order: KpiOrder, date: string, batch: BatchRecord, source: Source, line: string): Pending => ({
  order_id: order.order_id,
  user_id: order.user_id,
  status: order.status,
  order_date: date,
  stamp: stampOfBatch(batch),
  batch,
  source,
  line,
  totals: newOrderTotals(),
});

/** How a date pass learns which versions count, and optionally indexes the batch's own orders. */
interface Resolution {
  readonly survives: (orderId: string, batchId: string) => boolean;
  readonly index?: { readonly batchId: string; readonly writer: OrderIndexWriter };
}

interface DateContext {
  readonly lake: BlobStore;
  readonly committed: Committed;
  readonly resolution: Resolution;
  readonly tally: DateTally;
  readonly compact: (date: string) => boolean;
  readonly batchId: string;
  readonly sink?: (date: string) => DateSink;
  /** A re-validated batch has not settled at its current commit (core/snapshot.ts supersededNeeded). */
  readonly revalidationPending: boolean;
}

/** What a date pass leaves for `settle`: the snapshot that now stands for the date, and what the listing showed. */
interface DateOutcome {
  readonly rows: KpiRows;
  readonly record: SnapshotRecord | undefined;
  readonly partition: DatePartition;
}

const EMPTY_PARTITION: DatePartition = { orders: [], items: [], snapshotData: [] };

/** The lines of a gzipped per-batch file, as byte strings. */
const objectLines = (lake: BlobStore, { key, size }: CommittedFile): AsyncGenerator<ReadonlyArray<string>> => gzObjectLines(lake, key, size, 'latin1');

/**
 * Whether a snapshot would stand for more than one source. With no snapshot yet and the files of
 * one batch only (its orders file, its items file), a snapshot would be the same lines again
 * re-gzipped with their seq, plus three objects, replacing two: nothing to compact. So a batch's
 * first load of its dates writes none; the next batch touching a date finds two sources and
 * compacts as before.
 */
export const hasSeveralSources = (
  previous: SnapshotRecord | undefined,
  orderFiles: ReadonlyArray<CommittedFile>,
  itemFiles: ReadonlyArray<CommittedFile>,
): boolean => {
  if (previous !== undefined || orderFiles.length > 1 || itemFiles.length > 1) return true;
  const batches = new Set([...orderFiles, ...itemFiles].map((f) => f.batch.batch_id));
  return batches.size > 1;
};

const settleDate = async (ctx: DateContext, date: string, partition: DatePartition): Promise<DateOutcome> => {
  const { lake, committed, resolution, tally } = ctx;
  const previous = await readSnapshotRecord(lake, date);
  const standing = standingCovers(previous, committed);
  const orderFiles = partition.orders.filter((f) => !standing.has(f.batch.batch_id));
  const itemFiles = partition.items.filter((f) => !standing.has(f.batch.batch_id));
  tally.batch_files_read += orderFiles.length + itemFiles.length;
  const orders = new Map<string, Pending>();
  // Superseded versions of committed batches (batch id + order id -> where read, and their lines
  // with seq): the snapshot keeps them, since a re-validation of the batch of a newer version that
  // drops the order makes one of them the latest again, and their per-batch files are removed.
  const kept = new Map<string, Source>();
  const keptIds = new Set<string>();
  const keptLines: string[] = [];
  // snapshot rows that no longer count (their batch re-committed)
  let stale = 0;
  // superseded versions that are the latest again (a re-validation dropped the newer one)
  let promoted = 0;
  const offer = async (chunk: ReadonlyArray<{ order: KpiOrder; line: string; batch: BatchRecord }>, source: Source) => {
    const own = resolution.index ? chunk.filter((c) => c.batch.batch_id === resolution.index!.batchId).map((c) => c.order.order_id) : [];
    if (own.length > 0) await resolution.index!.writer.add(date, own);
    for (const { order, line, batch } of chunk) {
      tally.order_versions_read++;
      if (resolution.survives(order.order_id, batch.batch_id)) orders.set(order.order_id, pending(order, date, batch, source, line));
      else {
        tally.order_versions_superseded++;
        kept.set(versionKey(batch.batch_id, order.order_id), source);
        keptIds.add(order.order_id);
        keptLines.push(source === SNAPSHOT ? line : withSeq(line, batch.seq));
      }
    }
  };

  // the snapshot's parts this recompute reads: its latest versions, and the superseded ones when
  // a re-validation may have made one the latest again (otherwise they are carried unread)
  const readSuperseded = previous !== undefined && supersededNeeded(previous, standing, ctx.revalidationPending);
  const snapshotTags = previous ? [previous.tag, ...(readSuperseded ? [previous.superseded!.tag] : [])] : [];
  if (previous) tally.snapshots_read++;
  if (readSuperseded) tally.superseded_read++;
  else if (previous?.superseded) tally.superseded_carried += previous.superseded.orders;
  for (const tag of snapshotTags) {
    const key = snapshotDataKey('orders', date, tag);
    const counted = orders.size;
    let n = 0;
    for await (const lines of snapshotLines(lake, 'orders', date, tag)) {
      const chunk: Array<{ order: KpiOrder; line: string; batch: BatchRecord }> = [];
      for (const line of lines) {
        n++;
        const order = kpiOrderOfLine(line);
        const seq = seqOfLine(line);
        if (!order || seq === undefined) throw new Error(`${key}:${n}: not a snapshot order`);
        const batch = committed.get(batchIdOfSeq(seq));
        if (!batch || batch.seq !== seq || !standing.has(batch.batch_id)) stale++;
        else chunk.push({ order, line, batch });
      }
      await offer(chunk, SNAPSHOT);
    }
    if (tag !== previous!.tag) promoted += orders.size - counted;
  }
  for (const file of orderFiles) {
    const { key, batch } = file;
    let n = 0;
    for await (const lines of objectLines(lake, file)) {
      await offer(
        lines.map((line) => {
          n++;
          const order = kpiOrderOfLine(line);
          if (!order) throw new Error(`${key}:${n}: not a cleaned order`);
          return { order, line, batch };
        }),
        batch,
      );
    }
  }

  const changed = previous === undefined
    ? orderFiles.length + itemFiles.length > 0
    : orderFiles.length + itemFiles.length > 0 || stale > 0 || promoted > 0 || standing.size !== Object.keys(previous.covers).length;
  let snapshot: SnapshotSink | undefined;
  // A promoted version must move to the latest part now, compaction wanted or not: the next
  // recompute, with no re-validation pending, no longer reads the superseded part.
  if (changed && hasSeveralSources(previous, orderFiles, itemFiles) && (promoted > 0 || ctx.compact(date))) {
    const covers = coversAfter(standing, [...orderFiles, ...itemFiles].map((f) => f.batch), committed);
    const carried = readSuperseded ? undefined : previous?.superseded;
    snapshot = snapshotSink(lake, date, { covers, writtenBy: ctx.batchId, ...(carried ? { carried } : {}) });
  }
  // Other sinks of the date's latest versions and KPI rows open here (DESIGN §13 analytics); they
  // see only the latest versions, the snapshot the superseded ones too (in its other part).
  const extra = ctx.sink?.(date);
  const latestSinks: DateSink[] = [...(snapshot ? [snapshot] : []), ...(extra ? [extra] : [])];
  const sink = allSinks(latestSinks);
  const feeding = latestSinks.length > 0;
  const feed = async (kind: 'orders' | 'items', latestLines: string[], keptOut: string[]) => {
    await Promise.all([
      latestLines.length > 0 || kind === 'orders' ? sink[kind](latestLines) : undefined,
      keptOut.length > 0 ? snapshot?.superseded(kind, keptOut) : undefined,
    ]);
  };
  try {
    if (feeding) {
      const lines: string[] = [];
      for (const p of orders.values()) lines.push(p.source === SNAPSHOT ? p.line : withSeq(p.line, p.batch.seq));
      await feed('orders', lines, snapshot ? keptLines : []);
    }
    const readItems = async (key: string, source: Source, lines: AsyncIterable<ReadonlyArray<string>>) => {
      let n = 0;
      const readItem = itemLineReader();
      const tag = source === SNAPSHOT ? undefined : source.seq;
      for await (const chunk of lines) {
        const out: string[] = [];
        const keptOut: string[] = [];
        for (const text of chunk) {
          n++;
          const item = readItem(text);
          if (!item) throw new Error(`${key}:${n}: not a cleaned order item`);
          tally.items_read++;
          const owner = orders.get(item.order_id);
          const fromOwner = owner !== undefined && owner.source === source;
          // a snapshot holds several versions of an order: its items name theirs by seq
          const ofBatch = source !== SNAPSHOT ? source.batch_id : fromOwner || keptIds.has(item.order_id) ? batchIdOfSeq(seqOfLine(text) ?? '') : '';
          if (fromOwner && owner.batch.batch_id === ofBatch) {
            addItemInPlace(owner.totals, item.category, item.sale_price_cents);
            tally.items_counted++;
            if (feeding) out.push(tag === undefined ? text : withSeq(text, tag));
          } else {
            tally.items_superseded++;
            if (snapshot && kept.get(versionKey(ofBatch, item.order_id)) === source) keptOut.push(tag === undefined ? text : withSeq(text, tag));
          }
        }
        if (out.length > 0 || keptOut.length > 0) await feed('items', out, keptOut);
      }
    };
    for (const tag of snapshotTags) await readItems(snapshotDataKey('order_items', date, tag), SNAPSHOT, snapshotLines(lake, 'order_items', date, tag));
    for (const file of itemFiles) await readItems(file.key, file.batch, objectLines(lake, file));
    const rows = kpiRowsOf(orders.values());
    await sink.close(rows);
    tally.orders_counted += orders.size;
    if (snapshot) tally.snapshots_written++;
    return { rows, record: snapshot?.published() ?? previous, partition };
  } catch (error) {
    await sink.abort(error as Error);
    throw error;
  }
};

const versionKey = (batchId: string, orderId: string): string => `${batchId}\n${orderId}`;

/** Every (order id, date) of the batches, a chunk at a time. */
const eachIndexed = async (
  lake: BlobStore,
  batches: ReadonlyArray<BatchRecord>,
  f: (orderId: string, date: string, batch: BatchRecord) => void,
  present?: Set<string>,
): Promise<void> => {
  for (const batch of batches)
    for await (const chunk of readOrderIndex(lake, batch, present)) for (const [id, date] of chunk) f(id, date, batch);
};

export const computeKpis = async (lake: BlobStore, batchId: string, options: ComputeOptions = {}): Promise<KpiComputation> => {
  const { log } = options;
  const t0 = Date.now();
  const committed = await loadCommittedBatches(lake);
  const batch = committed.get(batchId);
  if (!batch) throw new BatchNotCommitted(`batch ${batchId} has no commit record in ${lake.root}: nothing was validated and published for it`);
  const seqOf = (id: string) => committed.get(id)!.seq;
  // Settled at this very commit: a re-run of a finished transform, whose files may be gone.
  const settled = await loadSettled(lake);
  const settledNow = settled(batchId, batch.committed_at);

  // A re-validated batch may have left dates it published before: its previous index names them.
  const touched = new Set(batch.order_dates);
  // ...and the ids it published: one it no longer has makes its next-latest version count again,
  // on that version's date, so the dates of their other versions are touched too.
  const published = new Set<string>();
  if (await hasOrderIndex(lake, batchId))
    await eachIndexed(lake, [batch], (id, date) => {
      touched.add(date);
      published.add(id);
    });
  const others = [...committed.values()].filter((b) => b.batch_id !== batchId).sort((a, b) => (a.seq < b.seq ? -1 : 1));
  const partitions = await listDatePartitions(lake, committed);
  // one listing of the indexes for the two passes over the other batches' indexes
  const indexes = await presentOrderIndexes(lake);

  let resolution: Resolution;
  if (others.length === 0) {
    // Alone in the lake: every version is this batch's, so nothing needs resolving and the
    // batch's order index is written during the date passes (one read of its orders, not two).
    resolution = settledNow
      ? { survives: () => true }
      : { survives: () => true, index: { batchId, writer: orderIndexWriter(lake, batchId, { pending: true }) } };
  } else {
    // `latest` starts as the batch's own orders (all their versions so far are this batch's).
    const latest: LatestBatchByOrder = new Map();
    if (settledNow) await eachIndexed(lake, [batch], (orderId) => latest.set(orderId, batchId));
    else {
      const ownOrderFiles = new Set([...partitions.values()].flatMap((p) => p.orders.filter((f) => f.batch === batch).map((f) => f.key)));
      await writeOrderIndex(lake, batch, { pending: true, onOrder: (orderId) => latest.set(orderId, batchId), present: ownOrderFiles });
    }
    await eachIndexed(lake, others, (id, date) => {
      if (latest.has(id) || published.has(id)) touched.add(date);
    }, indexes);
    // One pass finds the orders with a version on a touched date and their latest version: the
    // batches come in seq order, so when an order is first met on a touched date every version
    // before it is older, and every later one is met after it.
    const record = recordVersion(latest, seqOf);
    await eachIndexed(lake, others, (id, date, b) => {
      if (latest.has(id)) record(id, b.batch_id);
      else if (touched.has(date)) latest.set(id, b.batch_id);
    }, indexes);
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
    batch_files_read: 0,
    snapshots_read: 0,
    snapshots_written: 0,
    superseded_read: 0,
    superseded_carried: 0,
  };
  const revalidationPending = [...committed.values()].some((b) => isRevalidation(b) && !settled(b.batch_id, b.committed_at));
  const ctx: DateContext = {
    lake,
    committed,
    resolution,
    tally,
    compact: options.compact ?? (() => true),
    batchId,
    revalidationPending,
    ...(options.sink ? { sink: options.sink } : {}),
  };
  // A few dates in flight, so reading and gunzipping the next files overlaps folding this one's.
  let outcomes: DateOutcome[];
  try {
    outcomes = await mapLimit(dates, DATES_IN_FLIGHT, (date) => settleDate(ctx, date, partitions.get(date) ?? EMPTY_PARTITION));
  } catch (error) {
    await resolution.index?.writer.abort(error as Error);
    throw error;
  }
  await resolution.index?.writer.close();
  log?.debug('dates settled', { ms: Date.now() - t0 });
  return {
    batch,
    dates,
    rows: sortRows({ order: outcomes.flatMap((o) => o.rows.order), category: outcomes.flatMap((o) => o.rows.category) }),
    counts: { committed_batches: committed.size, dates: dates.length, ...tally },
    publishIndex: () => (settledNow ? Promise.resolve() : publishOrderIndex(lake, batchId)),
    settle: async () => {
      if (!settledNow) await markSettled(lake, batch);
      const settledAfter = await loadSettled(lake);
      const removable = outcomes.flatMap(({ record, partition }) =>
        record ? removableKeys({ record, files: [...partition.orders, ...partition.items], snapshotData: partition.snapshotData, settled: settledAfter }) : [],
      );
      for (let i = 0; i < removable.length; i += 1000) await lake.delete(removable.slice(i, i + 1000));
      return { snapshots_written: tally.snapshots_written, objects_removed: removable.length };
    },
  };
};
