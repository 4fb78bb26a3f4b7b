// Publishes the analytics lake (DESIGN §13): for a recomputed date, the
// latest version of each of its orders with that version's items, and the date's KPI rows, as
// one Parquet object per dataset at a fixed key (one PUT: a reader sees the old file or the new
// one). A dataset with no rows left on the date loses its file. The date's columns are built
// from the lines the transform's recompute hands its date sinks (transform/date-sink.ts), so
// memory is one date's latest rows as columns, never the history, and nothing is read twice.
import {
  columnsBuilder,
  DATED_DATASETS,
  type ColumnsBuilder,
  type Columns,
  type DatedDataset,
} from '../core/analytics-columns.js';
import { lineColumnsBuilder } from '../core/analytics-line-columns.js';
import type { KpiRows } from '../core/kpi-rows.js';
import { analyticsKey } from '../core/lake-layout.js';
import { batchIdOfSeq } from '../core/snapshot.js';
import type { CleanProduct } from '../core/records.js';
import type { BlobStore } from './blob-store.js';
import type { CurrentCatalog } from './catalog.js';
import { parquetBytes } from './parquet-file.js';

export interface DatePublished {
  readonly date: string;
  readonly written: Readonly<Record<DatedDataset, number>>;
  readonly bytes: number;
}

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

/**
 * A date's analytics files, fed by the transform with the date's latest order versions, their
 * items and the KPI rows (the shape of transform/date-sink.ts), written on close. The columns
 * grow as lines come; nothing is written before close, so an aborted recompute leaves the
 * date's previous files.
 */
export const analyticsDateSink = (lake: BlobStore, date: string, done: (published: DatePublished) => void) => {
  // transform lines: latin1-decoded UTF-8 JSON with their version's `seq` (transform/date-sink.ts)
  const orders = lineColumnsBuilder('orders');
  const items = lineColumnsBuilder('order_items');
  return {
    orders: async (lines: ReadonlyArray<string>) => {
      for (const line of lines) orders.addLine(line);
    },
    items: async (lines: ReadonlyArray<string>) => {
      for (const line of lines) items.addLine(line);
    },
    close: async (rows: KpiRows) => {
      const tables: Record<DatedDataset, Columns> = { orders: orders.build(), order_items: items.build(), ...kpiColumns(rows) };
      // the four objects at once: on S3 a date costs one round trip, not four
      const sizes = await Promise.all(DATED_DATASETS.map((dataset) => store(lake, analyticsKey(dataset, date), tables[dataset])));
      const bytes = sizes.reduce((a, b) => a + b, 0);
      const written = Object.fromEntries(DATED_DATASETS.map((d) => [d, tables[d].rows])) as Record<DatedDataset, number>;
      done({ date, written, bytes });
    },
    abort: async () => undefined,
  };
};

/**
 * The current catalog (io/catalog.ts currentCatalog: per product id the version of the latest
 * committed batch, the rule the validator's catalog follows), as one object, by product id.
 */
export const publishAnalyticsProducts = async (lake: BlobStore, catalog: CurrentCatalog): Promise<{ readonly rows: number; readonly bytes: number }> => {
  const products: ColumnsBuilder<'products'> = columnsBuilder('products');
  for (const id of [...catalog.entries.keys()].sort()) {
    const { line, seq } = catalog.entries.get(id)!;
    let p: CleanProduct;
    try {
      p = JSON.parse(line) as CleanProduct;
    } catch {
      throw new Error(`product ${id}: not a cleaned record`);
    }
    products.add({ ...p, batch_id: batchIdOfSeq(seq) });
  }
  return { rows: products.rows, bytes: await store(lake, analyticsKey('products'), products.build()) };
};
