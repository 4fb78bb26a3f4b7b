// The transform hands its date sinks cleaned lines as byte strings with their version's seq
// (transform/date-sink.ts). JSON.parse of every one (and Date.parse of every timestamp) was the
// largest cost of publishing them; lines written by JSON.stringify with no escape sequence are
// read here by scanning, straight into the cells, the same cells `cellsOf` makes of the parsed
// record (a property test holds the two together). Anything else takes the parsed path.
import { columnsOf, DATASET_COLUMNS, firstCommitOfSeq, isoMillis, millis, type Cell, type Columns, type DatasetRow } from './analytics-columns.js';
import { utf8OfBytes } from './kpi-input.js';
import { batchIdOfSeq } from './snapshot.js';


/** How a line's field fills its cell: text, a timestamp, a number, or the version's seq. */
type FieldKind = 'string' | 'timestamp' | 'number' | 'seq';
interface LineField {
  readonly key: string;
  readonly kind: FieldKind;
  /** Where its cell is in the dataset's columns (the seq's cells start there). */
  readonly column: number;
}

/**
 * A line field and the column it fills, found by name in DATASET_COLUMNS so the two lists cannot
 * drift apart: the same name, except money (cents in the line, the decimal column) and the seq
 * (which fills batch_id and, for orders, the columns after it).
 */
const lineField = (dataset: 'orders' | 'order_items', key: string, kind: FieldKind): LineField => {
  const name = kind === 'seq' ? 'batch_id' : key.endsWith('_cents') ? key.slice(0, -'_cents'.length) : key;
  const column = DATASET_COLUMNS[dataset].findIndex((c) => c.name === name);
  if (column < 0) throw new Error(`analytics ${dataset}: no column ${name} for the line field ${key}`);
  return { key, kind, column };
};

/** The fields of each line dataset in the order validation writes them (a guess only: any order reads). */
const LINE_FIELDS: Readonly<Record<'orders' | 'order_items', ReadonlyArray<LineField>>> = {
  orders: (
    [
      ['order_id', 'string'],
      ['user_id', 'string'],
      ['status', 'string'],
      ['created_at', 'timestamp'],
      ['shipped_at', 'timestamp'],
      ['delivered_at', 'timestamp'],
      ['returned_at', 'timestamp'],
      ['num_of_item', 'number'],
      ['gender', 'string'],
      ['seq', 'seq'],
    ] as const
  ).map(([key, kind]) => lineField('orders', key, kind)),
  order_items: (
    [
      ['id', 'string'],
      ['order_id', 'string'],
      ['product_id', 'string'],
      ['sale_price_cents', 'number'],
      ['user_id', 'string'],
      ['status', 'string'],
      ['created_at', 'timestamp'],
      ['shipped_at', 'timestamp'],
      ['delivered_at', 'timestamp'],
      ['returned_at', 'timestamp'],
      ['inventory_item_id', 'string'],
      ['category', 'string'],
      ['seq', 'seq'],
    ] as const
  ).map(([key, kind]) => lineField('order_items', key, kind)),
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
