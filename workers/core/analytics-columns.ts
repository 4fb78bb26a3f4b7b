// The analytics lake's tables (DESIGN §13) as columns: which columns each dataset has, of which
// SQL type, and how a cleaned record or KPI row fills them. Pure: the Parquet encoding lives in
// io/parquet-file.ts, the keys in lake-layout.ts. The partition column `order_date` is not in the
// files (it is the path, Hive style), so Glue, Athena and DuckDB all take it from there.
import { utf8OfBytes } from './kpi-input.js';
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
const millis = (iso: string | undefined): number | null => (iso === undefined ? null : isoMillis(iso));
const opt = (v: string | undefined): string | null => v ?? null;
/** KPI amounts are decimals of 2 (money) or 4 (rates) places as doubles: back to exact integers. */
const scaled = (places: number) => (x: number) => Math.round(x * 10 ** places);
const cents = scaled(2);
const tenThousandths = scaled(4);

/** A latest order version or one of its items, with its version's `seq` (batch.ts: `<first commit>#<batch id>`). */
export type VersionedOrder = CleanOrder & { readonly seq: string };
export type VersionedItem = CleanOrderItem & { readonly seq: string };
/** The batch's first commit time: what a KPI row's updated_at is (kpi-stamp.ts). */
const firstCommitOfSeq = (seq: string): string => seq.slice(0, seq.indexOf('#'));
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

// ---- straight from cleaned lines ----------------------------------------------------------------
// The transform hands its date sinks cleaned lines as byte strings with their version's seq
// (transform/date-sink.ts). JSON.parse of every one (and Date.parse of every timestamp) was the
// largest cost of publishing them; lines written by JSON.stringify with no escape sequence are
// read here by scanning, straight into the cells, the same cells `cellsOf` makes of the parsed
// record (a property test holds the two together). Anything else takes the parsed path.

/** How a line's field fills its cell: text, a timestamp, a number, or the version's seq. */
type FieldKind = 'string' | 'timestamp' | 'number' | 'seq';
interface LineField {
  readonly key: string;
  readonly kind: FieldKind;
  readonly column: number;
}
const lineField = (key: string, kind: FieldKind, column: number): LineField => ({ key, kind, column });

/** The fields of each line dataset in the order validation writes them (a guess only: any order reads). */
const LINE_FIELDS: Readonly<Record<'orders' | 'order_items', ReadonlyArray<LineField>>> = {
  orders: [
    lineField('order_id', 'string', 0),
    lineField('user_id', 'string', 1),
    lineField('status', 'string', 2),
    lineField('created_at', 'timestamp', 3),
    lineField('shipped_at', 'timestamp', 4),
    lineField('delivered_at', 'timestamp', 5),
    lineField('returned_at', 'timestamp', 6),
    lineField('num_of_item', 'number', 7),
    lineField('gender', 'string', 8),
    lineField('seq', 'seq', 9),
  ],
  order_items: [
    lineField('id', 'string', 0),
    lineField('order_id', 'string', 1),
    lineField('product_id', 'string', 2),
    lineField('sale_price_cents', 'number', 10),
    lineField('user_id', 'string', 3),
    lineField('status', 'string', 4),
    lineField('created_at', 'timestamp', 5),
    lineField('shipped_at', 'timestamp', 6),
    lineField('delivered_at', 'timestamp', 7),
    lineField('returned_at', 'timestamp', 8),
    lineField('inventory_item_id', 'string', 9),
    lineField('category', 'string', 11),
    lineField('seq', 'seq', 12),
  ],
};

/** The seq's cells: orders carry batch_id, batch_seq and batch_committed_at, items batch_id. */
const seqCells = (dataset: 'orders' | 'order_items') => {
  let last = '';
  let cells: Cell[] = [];
  return (seq: string): Cell[] => {
    if (seq !== last) {
      last = seq;
      cells = dataset === 'orders' ? [batchIdOfSeq(seq), seq, millis(firstCommitOfSeq(seq))] : [batchIdOfSeq(seq)];
    }
    return cells;
  };
};

const NON_ASCII = /[^\x00-\x7f]/;
const asIs = (s: string): string => s;
const QUOTE = 34;
const COMMA = 44;
const BRACE_CLOSE = 125;

/**
 * The cells of one plain line into `row` (nulls where a field is absent): false when the line is
 * not plain (an escape, a nested value, a literal other than a number or null, a value of the
 * wrong kind), and the caller parses it instead.
 */
const scanLine = (fields: ReadonlyArray<LineField>, seqOf: (seq: string) => Cell[], line: string, row: Cell[]): boolean => {
  if (line.indexOf('\\') >= 0 || line.charCodeAt(0) !== 123 || line.charCodeAt(line.length - 1) !== BRACE_CLOSE) return false;
  const text = NON_ASCII.test(line) ? utf8OfBytes : asIs;
  row.fill(null);
  let next = 0; // the field expected next, in the writer's order
  let i = 1;
  const end = line.length - 1;
  if (i === end) return true;
  for (;;) {
    if (line.charCodeAt(i) !== QUOTE) return false;
    const keyEnd = line.indexOf('"', i + 1);
    if (keyEnd < 0 || line.charCodeAt(keyEnd + 1) !== 58) return false;
    const keyLength = keyEnd - i - 1;
    let field: LineField | undefined;
    const guess = fields[next];
    if (guess && guess.key.length === keyLength && line.startsWith(guess.key, i + 1)) field = guess;
    else
      for (let k = 0; k < fields.length; k++)
        if (fields[k]!.key.length === keyLength && line.startsWith(fields[k]!.key, i + 1)) {
          field = fields[k];
          next = k;
          break;
        }
    if (field) next++;
    let v = keyEnd + 2;
    let valueEnd: number;
    if (line.charCodeAt(v) === QUOTE) {
      const close = line.indexOf('"', v + 1);
      if (close < 0) return false;
      valueEnd = close + 1;
      if (field) {
        const raw = line.slice(v + 1, close);
        switch (field.kind) {
          case 'string':
            row[field.column] = text(raw);
            break;
          case 'timestamp':
            row[field.column] = isoMillis(raw);
            break;
          case 'seq': {
            const cells = seqOf(text(raw));
            for (let c = 0; c < cells.length; c++) row[field.column + c] = cells[c]!;
            break;
          }
          case 'number':
            return false;
        }
      }
    } else {
      let j = v;
      while (j < end) {
        const c = line.charCodeAt(j);
        if (c === COMMA) break;
        if (c === 123 || c === 91 || c === QUOTE) return false; // '{' '[' '"': not a flat literal
        j++;
      }
      valueEnd = j;
      const literal = line.slice(v, j);
      if (literal === 'null') {
        if (field && field.kind !== 'number') return false; // the parsed path decides what a null text means
      } else {
        // JSON numbers start with a minus or a digit (Number alone would take hex, Infinity, spaces)
        const first = literal.charCodeAt(0);
        if (first !== 45 && (first < 48 || first > 57)) return false;
        const n = Number(literal);
        if (Number.isNaN(n)) return false;
        if (field) {
          if (field.kind !== 'number') return false;
          row[field.column] = n;
        }
      }
    }
    if (valueEnd === end) return true;
    if (line.charCodeAt(valueEnd) !== COMMA) return false;
    i = valueEnd + 1;
  }
};

/**
 * Builds the columns of the orders or items of a date from cleaned lines (byte strings, each with
 * its version's `seq`), reading plain lines in place and parsing the rest.
 */
export const lineColumnsBuilder = (dataset: 'orders' | 'order_items') => {
  const defs = DATASET_COLUMNS[dataset];
  const values: Cell[][] = defs.map(() => []);
  const fields = LINE_FIELDS[dataset];
  const seqOf = seqCells(dataset);
  const row: Cell[] = new Array(defs.length).fill(null);
  let rows = 0;
  return {
    addLine: (line: string): void => {
      if (scanLine(fields, seqOf, line, row)) for (let c = 0; c < row.length; c++) values[c]!.push(row[c]!);
      else {
        const parsed = columnsOf(dataset, [JSON.parse(utf8OfBytes(line)) as DatasetRow[typeof dataset]]);
        for (let c = 0; c < defs.length; c++) values[c]!.push(parsed.values[c]![0]!);
      }
      rows++;
    },
    get rows() {
      return rows;
    },
    build: (): Columns => ({ defs, values, rows }),
  };
};

export const columnsOf = <D extends Dataset>(dataset: D, rows: Iterable<DatasetRow[D]>): Columns => {
  const b = columnsBuilder(dataset);
  for (const r of rows) b.add(r);
  return b.build();
};
