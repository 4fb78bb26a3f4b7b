// Publishes the analytics lake (DESIGN §13) from the cleaned zone: for a recomputed date, the
// latest version of each of its orders with that version's items, and the date's KPI rows, as
// one Parquet object per dataset at a fixed key (one PUT: a reader sees the old file or the new
// one). A dataset with no rows left on the date loses its file. The date's columns are built
// while its files stream, so memory is one date's latest rows, never the history.
import { columnsBuilder, DATED_DATASETS, type ColumnsBuilder, type Columns, type DatedDataset, type VersionedOrder } from '../core/analytics-columns.js';
import type { BatchRecord } from '../core/batch.js';
import type { KpiRows } from '../core/kpi-rows.js';
import { analyticsKey, cleanedKey, cleanedKindPrefix } from '../core/lake-layout.js';
import type { CleanOrder, CleanOrderItem, CleanProduct } from '../core/records.js';
import type { BlobStore } from './blob-store.js';
import type { CommittedFile } from './cleaned-lake.js';
import { gzLineBatches } from './gz-lines.js';
import { parquetBytes } from './parquet-file.js';

/** What the transform knows of a date once its versions are resolved. */
export interface DateVersions {
  readonly date: string;
  /** The date's cleaned files, each tagged with its committed batch. */
  readonly orders: ReadonlyArray<CommittedFile>;
  readonly items: ReadonlyArray<CommittedFile>;
  /** True when the order's version in this batch is its latest (the transform's resolution). */
  readonly survives: (orderId: string, batchId: string) => boolean;
}

export interface DatePublished {
  readonly date: string;
  readonly written: Readonly<Record<DatedDataset, number>>;
  readonly bytes: number;
}

async function* records<T>(lake: BlobStore, key: string): AsyncGenerator<T> {
  let line = 0;
  for await (const lines of gzLineBatches(await lake.read(key))) {
    for (const text of lines) {
      line++;
      try {
        yield JSON.parse(text) as T;
      } catch {
        throw new Error(`${key}:${line}: not a cleaned record`);
      }
    }
  }
}

/**
 * The same rule as the KPI fold: an order counts in the batch of its latest version, an item
 * only when its order's counted version is in the item's batch.
 */
const latestColumns = async (lake: BlobStore, v: DateVersions): Promise<{ orders: Columns; order_items: Columns }> => {
  const orders = columnsBuilder('orders');
  const counted = new Map<string, BatchRecord>();
  for (const { key, batch } of v.orders) {
    for await (const order of records<CleanOrder>(lake, key)) {
      if (!v.survives(order.order_id, batch.batch_id)) continue;
      counted.set(order.order_id, batch);
      orders.add({ ...order, batch } satisfies VersionedOrder);
    }
  }
  const items = columnsBuilder('order_items');
  for (const { key, batch } of v.items) {
    for await (const item of records<CleanOrderItem>(lake, key)) {
      if (counted.get(item.order_id) === batch) items.add({ ...item, batch_id: batch.batch_id });
    }
  }
  return { orders: orders.build(), order_items: items.build() };
};

const kpiColumns = (rows: KpiRows): { order_kpis: Columns; category_kpis: Columns } => {
  const order = columnsBuilder('order_kpis');
  rows.order.forEach(order.add);
  const category = columnsBuilder('category_kpis');
  rows.category.forEach(category.add);
  return { order_kpis: order.build(), category_kpis: category.build() };
};

/** Writes (or, when empty, deletes) one dataset's object; returns the bytes written. */
const store = async (lake: BlobStore, key: string, columns: Columns): Promise<number> => {
  if (columns.rows === 0) {
    await lake.delete([key]);
    return 0;
  }
  const bytes = parquetBytes(columns);
  await lake.write(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'application/vnd.apache.parquet');
  return bytes.byteLength;
};

/** `rows`: the date's KPI rows exactly as the KPI store gets them. */
export const publishAnalyticsDate = async (lake: BlobStore, versions: DateVersions, rows: KpiRows): Promise<DatePublished> => {
  const tables: Record<DatedDataset, Columns> = { ...(await latestColumns(lake, versions)), ...kpiColumns(rows) };
  let bytes = 0;
  for (const dataset of DATED_DATASETS) bytes += await store(lake, analyticsKey(dataset, versions.date), tables[dataset]);
  const written = Object.fromEntries(DATED_DATASETS.map((d) => [d, tables[d].rows])) as Record<DatedDataset, number>;
  return { date: versions.date, written, bytes };
};

/**
 * The current catalog: per product id the version of the latest committed batch (the rule the
 * validator's catalog follows), as one object. `batches` oldest seq first.
 */
export const publishAnalyticsProducts = async (
  lake: BlobStore,
  batches: ReadonlyArray<BatchRecord>,
): Promise<{ readonly rows: number; readonly bytes: number }> => {
  const present = new Set((await lake.list(cleanedKindPrefix('products'))).map((b) => b.key));
  const latest = new Map<string, CleanProduct & { batch_id: string }>();
  for (const batch of batches) {
    const key = cleanedKey('products', batch.batch_id);
    if (!present.has(key)) continue;
    for await (const p of records<CleanProduct>(lake, key)) latest.set(p.id, { ...p, batch_id: batch.batch_id });
  }
  const products: ColumnsBuilder<'products'> = columnsBuilder('products');
  for (const p of [...latest.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) products.add(p);
  return { rows: products.rows, bytes: await store(lake, analyticsKey('products'), products.build()) };
};
