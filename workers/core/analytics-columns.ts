// The analytics lake's tables (DESIGN §13) as columns: which columns each dataset has, of which
// SQL type, and how a cleaned record or KPI row fills them. Pure: the Parquet encoding lives in
// io/parquet-file.ts, the keys in lake-layout.ts. The partition column `order_date` is not in the
// files (it is the path, Hive style), so Glue, Athena and DuckDB all take it from there.
import { batchIdOfSeq } from './snapshot.js';
import type { CategoryKpiRow, OrderKpiRow } from './kpi-rows.js';
import type { CleanOrder, CleanOrderItem, CleanProduct } from './records.js';

/**
 * Column types, named as Glue/Athena spell them. Values: strings as strings, timestamps as epoch
 * milliseconds (UTC), DECIMAL(18,2) as integer cents, DECIMAL(9,4) as integer ten-thousandths,
 * int as a 32-bit integer; null when absent.
 */
export type ColumnType = 'string' | 'timestamp' | 'int' | 'decimal(18,2)' | 'decimal(9,4)';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** A string column with few distinct values per file (a status, a category, the batch): dictionary-encoded. */
  readonly dictionary?: true;
}

export type Cell = string | number | null;

export interface Columns {
  readonly defs: ReadonlyArray<ColumnDef>;
  /** One array per def, all of one length. */
  readonly values: ReadonlyArray<ReadonlyArray<Cell>>;
  readonly rows: number;
}

export type Dataset = 'orders' | 'order_items' | 'order_kpis' | 'category_kpis' | 'products';
export const DATED_DATASETS = ['orders', 'order_items', 'order_kpis', 'category_kpis'] as const;
export type DatedDataset = (typeof DATED_DATASETS)[number];

const col = (name: string, type: ColumnType): ColumnDef => ({ name, type });
const str = (name: string) => col(name, 'string');
const few = (name: string): ColumnDef => ({ name, type: 'string', dictionary: true });
const ts = (name: string) => col(name, 'timestamp');

export const DATASET_COLUMNS: Readonly<Record<Dataset, ReadonlyArray<ColumnDef>>> = {
  orders: [
    str('order_id'),
    str('user_id'),
    few('status'),
    ts('created_at'),
    ts('shipped_at'),
    ts('delivered_at'),
    ts('returned_at'),
    col('num_of_item', 'int'),
    few('gender'),
    few('batch_id'),
    // The version's batch order and first commit time: what a KPI row's batch_id/updated_at
    // are taken from (the latest batch among the key's orders), so SQL can reproduce them.
    few('batch_seq'),
    ts('batch_committed_at'),
  ],
  order_items: [
    str('id'),
    str('order_id'),
    str('product_id'),
    str('user_id'),
    few('status'),
    ts('created_at'),
    ts('shipped_at'),
    ts('delivered_at'),
    ts('returned_at'),
    str('inventory_item_id'),
    col('sale_price', 'decimal(18,2)'),
    few('category'),
    few('batch_id'),
  ],
  order_kpis: [
    col('total_orders', 'int'),
    col('total_revenue', 'decimal(18,2)'),
    col('total_items_sold', 'int'),
    col('return_rate', 'decimal(9,4)'),
    col('unique_customers', 'int'),
    col('returned_orders', 'int'),
    col('net_revenue', 'decimal(18,2)'),
    ts('updated_at'),
    few('batch_id'),
  ],
  category_kpis: [
    few('category'),
    col('daily_revenue', 'decimal(18,2)'),
    col('avg_order_value', 'decimal(18,2)'),
    col('avg_return_rate', 'decimal(9,4)'),
    col('order_count', 'int'),
    col('items_sold', 'int'),
    col('returned_orders', 'int'),
    col('net_revenue', 'decimal(18,2)'),
    ts('updated_at'),
    few('batch_id'),
  ],
  products: [
    str('id'),
    str('sku'),
    str('name'),
    few('brand'),
    few('category'),
    few('department'),
    col('cost', 'decimal(18,2)'),
    col('retail_price', 'decimal(18,2)'),
    few('distribution_center_id'),
    few('batch_id'),
  ],
};

const dateMillis = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${JSON.stringify(iso)}`);
  return ms;
};

/** Epoch milliseconds of a day (`YYYY-MM-DD`), by Date once per day: a shop's history has a few thousand. */
const dayStarts = new Map<string, number>();
let lastDay = '';
let lastDayStart = 0;
/** The start of the day `iso` begins with; timestamps come in runs of one day, so the last is checked first. */
const dayStartOf = (iso: string): number => {
  if (iso.startsWith(lastDay) && lastDay.length === 10) return lastDayStart;
  const day = iso.slice(0, 10);
  const ms = dayStart(day);
  lastDay = day;
  lastDayStart = ms;
  return ms;
};
const dayStart = (day: string): number => {
  let ms = dayStarts.get(day);
  if (ms === undefined) {
    ms = dateMillis(`${day}T00:00:00.000Z`);
    if (dayStarts.size < 100_000) dayStarts.set(day, ms);
  }
  return ms;
};
const digits = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};

/**
 * Cleaned timestamps are ISO 8601 UTC strings, `YYYY-MM-DDTHH:MM:SS.sssZ` as validation writes
 * them (core/timestamp.ts): read from their digits, the day through a cache; any other form by
 * Date. A value Date cannot read is a corrupt lake.
 */
export const isoMillis = (iso: string): number => {
  if (iso.length === 24 && iso.charCodeAt(10) === 84 && iso.charCodeAt(13) === 58 && iso.charCodeAt(16) === 58 && iso.charCodeAt(19) === 46 && iso.charCodeAt(23) === 90) {
    const h = digits(iso, 11, 2);
    const m = digits(iso, 14, 2);
    const sec = digits(iso, 17, 2);
    const frac = digits(iso, 20, 3);
    if (h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59 && frac >= 0)
      return dayStartOf(iso) + ((h * 60 + m) * 60 + sec) * 1000 + frac;
  }
  return dateMillis(iso);
};
export const millis = (iso: string | undefined): number | null => (iso === undefined ? null : isoMillis(iso));
const opt = (v: string | undefined): string | null => v ?? null;
/** KPI amounts are decimals of 2 (money) or 4 (rates) places as doubles: back to exact integers. */
const scaled = (places: number) => (x: number) => Math.round(x * 10 ** places);
const cents = scaled(2);
const tenThousandths = scaled(4);

/** A latest order version or one of its items, with its version's `seq` (batch.ts: `<first commit>#<batch id>`). */
export type VersionedOrder = CleanOrder & { readonly seq: string };
export type VersionedItem = CleanOrderItem & { readonly seq: string };
/** The batch's first commit time: what a KPI row's updated_at is (kpi-stamp.ts). */
export const firstCommitOfSeq = (seq: string): string => seq.slice(0, seq.indexOf('#'));
export type VersionedProduct = CleanProduct & { readonly batch_id: string };

const cellsOf = {
  orders: (o: VersionedOrder): Cell[] => [
    o.order_id,
    o.user_id,
    o.status,
    millis(o.created_at),
    millis(o.shipped_at),
    millis(o.delivered_at),
    millis(o.returned_at),
    o.num_of_item ?? null,
    opt(o.gender),
    batchIdOfSeq(o.seq),
    o.seq,
    millis(firstCommitOfSeq(o.seq)),
  ],
  order_items: (i: VersionedItem): Cell[] => [
    i.id,
    i.order_id,
    i.product_id,
    opt(i.user_id),
    opt(i.status),
    millis(i.created_at),
    millis(i.shipped_at),
    millis(i.delivered_at),
    millis(i.returned_at),
    opt(i.inventory_item_id),
    i.sale_price_cents,
    i.category,
    batchIdOfSeq(i.seq),
  ],
  order_kpis: (r: OrderKpiRow): Cell[] => [
    r.total_orders,
    cents(r.total_revenue),
    r.total_items_sold,
    tenThousandths(r.return_rate),
    r.unique_customers,
    r.returned_orders,
    cents(r.net_revenue),
    millis(r.updated_at),
    r.batch_id,
  ],
  category_kpis: (r: CategoryKpiRow): Cell[] => [
    r.category,
    cents(r.daily_revenue),
    cents(r.avg_order_value),
    tenThousandths(r.avg_return_rate),
    r.order_count,
    r.items_sold,
    r.returned_orders,
    cents(r.net_revenue),
    millis(r.updated_at),
    r.batch_id,
  ],
  products: (p: VersionedProduct): Cell[] => [
    p.id,
    p.sku,
    opt(p.name),
    opt(p.brand),
    p.category,
    opt(p.department),
    p.cost_cents,
    p.retail_price_cents,
    opt(p.distribution_center_id),
    p.batch_id,
  ],
};

export interface DatasetRow {
  orders: VersionedOrder;
  order_items: VersionedItem;
  order_kpis: OrderKpiRow;
  category_kpis: CategoryKpiRow;
  products: VersionedProduct;
}

/** Builds one dataset's columns a row at a time, so a caller never holds the rows themselves. */
export interface ColumnsBuilder<D extends Dataset> {
  add(row: DatasetRow[D]): void;
  readonly rows: number;
  build(): Columns;
}

export const columnsBuilder = <D extends Dataset>(dataset: D): ColumnsBuilder<D> => {
  const defs = DATASET_COLUMNS[dataset];
  const values: Cell[][] = defs.map(() => []);
  const cells = cellsOf[dataset] as (row: DatasetRow[D]) => Cell[];
  let rows = 0;
  return {
    add: (row) => {
      const c = cells(row);
      for (let i = 0; i < c.length; i++) values[i]!.push(c[i]!);
      rows++;
    },
    get rows() {
      return rows;
    },
    build: () => ({ defs, values, rows }),
  };
};

export const columnsOf = <D extends Dataset>(dataset: D, rows: Iterable<DatasetRow[D]>): Columns => {
  const b = columnsBuilder(dataset);
  for (const r of rows) b.add(r);
  return b.build();
};
