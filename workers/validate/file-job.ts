// One file read, checked and spilled, on whichever thread runs it: each row's own rules here
// (core/rows/check), the batch's rules by a judge (the batch state, on the main thread) a chunk
// of rows at a time, then each row's line to this thread's cleaned spill (by partition) or its
// quarantine spill. The very same code runs inline and on a check thread, and a file's spilled
// bytes depend on its rows and their verdicts alone (SpillWriters.takeFile): so the output is
// byte-identical whatever the thread count. The heavy part — parsing, own rules, rendering,
// gzip — runs where the file is read; the judge sees only ids.
import type { Kind } from '../core/records.js';
import type { RowReason } from '../core/reasons.js';
import { datePartition, PRODUCTS_PARTITION } from '../core/rows/batch-state.js';
import { CHECKS, isRejected } from '../core/rows/check.js';
import { itemLine, type ItemOk } from '../core/rows/item.js';
import type { OrderOk } from '../core/rows/order.js';
import type { ProductOk } from '../core/rows/product.js';
import { nameChecks } from '../core/header.js';
import { quarantinedRowLine } from '../io/quarantine.js';
import { readRows, type FileFormat, type ReadOutcome } from '../io/readers/index.js';
import type { FileSpill, SpillWriters } from '../io/spill.js';
import type { Readable } from 'node:stream';
import { positionKindOf } from './positions.js';

const CHUNK_ROWS = 1024;
/** Chunks awaiting their verdicts (a thread ahead of the judge waits instead of buffering a file). */
const WINDOW = 8;

/** The own-rule outcomes of consecutive rows of one file: what the batch's rules need. */
export interface Claims {
  readonly seq: number;
  /** Per row: 1 when it passed its own rules, 0 when rejected. */
  readonly ok: Uint8Array;
  /**
   * Over the rows that passed, in row order, concatenated: id; then category (products), order
   * date (orders) or order id and product id (items). One string and its values' end offsets
   * (`ends`, two or three per row): a structured clone copies them whole, where an array of short
   * strings cost the thread a serialisation step per string.
   */
  readonly text: string;
  readonly ends: Uint32Array;
  /** Over the rejected rows, in row order: their reasons, and an item's references. */
  readonly rejected: Array<{ readonly reasons: ReadonlyArray<RowReason>; readonly orderId?: string; readonly productId?: string }>;
  /** Input bytes of the file read so far (after decompression). */
  readonly bytes: number;
}

/** The batch's verdicts over one chunk. */
export interface Verdicts {
  readonly seq: number;
  /** The chunk's rows (indexes) that go to quarantine, in order, with every reason. */
  readonly rows: ReadonlyArray<number>;
  readonly reasons: ReadonlyArray<ReadonlyArray<RowReason>>;
  /** The chunk's distinct order dates and categories (as JSON text) of its accepted items. */
  readonly dates: ReadonlyArray<string>;
  readonly categories: ReadonlyArray<string>;
  /** Over the accepted items, in order: the index of the order's date and of the category. */
  readonly itemDate: Uint16Array;
  readonly itemCategory: Uint16Array;
}

export type Judge = (claims: Claims) => Verdicts | Promise<Verdicts>;

export type Outcome = ReadOutcome & { format?: FileFormat };

export interface FileSpilled {
  readonly outcome: Outcome;
  readonly cleaned: FileSpill;
  readonly quarantine: FileSpill;
}

interface Pending {
  readonly claims: Claims;
  /** Over the rows that passed: the cleaned line (an item's up to the batch's parts). */
  readonly lines: string[];
  /** Orders: over the rows that passed, the order date. */
  readonly dates: string[];
  readonly values: unknown[];
  readonly positions: number[];
  verdicts?: Verdicts;
}

class Chunk {
  ok: number[] = [];
  parts: string[] = [];
  ends: number[] = [];
  private end = 0;
  /** Orders: the date of each that passed (where its line goes). */
  dates: string[] = [];
  lines: string[] = [];
  rejected: Claims['rejected'] = [];
  values: unknown[] = [];
  positions: number[] = [];

  add(kind: Kind, values: unknown, position: number): void {
    const check = CHECKS[kind](values);
    this.values.push(values);
    this.positions.push(position);
    if (isRejected(check)) {
      this.ok.push(0);
      this.rejected.push(check.refs ? { reasons: check.reasons, orderId: check.refs.orderId, productId: check.refs.productId } : { reasons: check.reasons });
      return;
    }
    this.ok.push(1);
    if (kind === 'order_items') {
      const i = check as ItemOk;
      this.lines.push(i.prefix), this.value(i.id), this.value(i.orderId), this.value(i.productId);
    } else if (kind === 'orders') {
      const o = check as OrderOk;
      this.lines.push(o.line), this.dates.push(o.date), this.value(o.id), this.value(o.date);
    } else {
      const p = check as ProductOk;
      this.lines.push(p.line), this.value(p.id), this.value(p.category);
    }
  }

  private value(v: string): void {
    this.parts.push(v);
    this.ends.push((this.end += v.length));
  }
}

export interface FileJob {
  readonly key: string;
  readonly kind: Kind;
  readonly open: () => Promise<Readable>;
  readonly batchId: string;
  readonly cleaned: SpillWriters;
  readonly quarantine: SpillWriters;
  readonly judge: Judge;
  /** Between input chunks (never per row). */
  readonly progress?: (rows: number, bytes: number) => void;
}

export const spillFile = async (job: FileJob): Promise<FileSpilled> => {
  const { key, kind, cleaned, quarantine, batchId } = job;
  const positionKind = positionKindOf(key);
  const partitions = new Map<string, string>();
  // An order's items come together: the last date first (dates that crossed from the main
  // thread are fresh strings, whose hash a Map lookup computes anew each time).
  let lastDate = '';
  let lastId = '';
  const partitionOf = (k: 'orders' | 'order_items', date: string): string => {
    if (date === lastDate) return lastId;
    let id = partitions.get(date);
    if (id === undefined) partitions.set(date, (id = datePartition(k, date)));
    lastDate = date;
    lastId = id;
    return id;
  };
  const pending: Pending[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;

  // Verdicts arrive in chunk order; the rows go out in that order too.
  const render = (p: Pending, v: Verdicts): void => {
    const { ok } = p.claims;
    // the verdicts answer this very chunk: anything else would file rows under another's verdicts
    if (v.seq !== p.claims.seq) throw new Error(`${key}: verdicts of chunk ${v.seq} arrived for chunk ${p.claims.seq}`);
    let next = 0;
    let passed = 0;
    let item = 0;
    // a partition per distinct date of the chunk, not a lookup per item
    const parts = kind === 'order_items' ? v.dates.map((d) => partitionOf(kind, d)) : [];
    for (let i = 0; i < ok.length; i++) {
      const j = ok[i] === 1 ? passed++ : -1;
      if (v.rows[next] === i) {
        quarantine.append(kind, quarantinedRowLine(batchId, key, positionKind, p.positions[i]!, v.reasons[next]!, p.values[i]));
        next++;
      } else if (j < 0) {
        throw new Error(`${key}: row ${p.positions[i]} failed its own rules but its verdict keeps it (chunk ${p.claims.seq})`);
      } else if (kind === 'order_items') {
        const d = v.itemDate[item]!;
        cleaned.append(parts[d]!, itemLine(p.lines[j]!, v.dates[d]!, v.categories[v.itemCategory[item]!]!));
        item++;
      } else if (kind === 'orders') cleaned.append(partitionOf(kind, p.dates[j]!), p.lines[j]!);
      else cleaned.append(PRODUCTS_PARTITION, p.lines[j]!);
    }
  };
  const settle = (): void => {
    while (pending[0]?.verdicts !== undefined) {
      const p = pending.shift()!;
      render(p, p.verdicts!);
    }
    const w = wake;
    wake = undefined;
    w?.();
  };

  /** settle, for a verdict that arrives later: what goes wrong there fails the file's read. */
  const settleOrFail = (): void => {
    try {
      settle();
    } catch (e) {
      failure ??= e as Error;
      const w = wake;
      wake = undefined;
      w?.();
    }
  };

  let seq = 0;
  let chunk = new Chunk();
  let bytes = 0;
  let rows = 0;
  const flush = (): void => {
    if (chunk.ok.length === 0) return;
    const claims: Claims = { seq: seq++, ok: Uint8Array.from(chunk.ok), text: chunk.parts.join(''), ends: Uint32Array.from(chunk.ends), rejected: chunk.rejected, bytes };
    const p: Pending = { claims, lines: chunk.lines, dates: chunk.dates, values: chunk.values, positions: chunk.positions };
    chunk = new Chunk();
    pending.push(p);
    const v = job.judge(claims);
    if (v instanceof Promise)
      v.then(
        (got) => ((p.verdicts = got), settleOrFail()),
        (e: Error) => ((failure ??= e), settleOrFail()),
      );
    else (p.verdicts = v), settle();
  };
  const waitFor = async (most: number): Promise<void> => {
    while (pending.length > most && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
  };

  const outcome = await readRows(key, job.open, {
    ...nameChecks(kind, positionKindOf(key)),
    row: (values, position) => {
      rows++;
      chunk.add(kind, values, position);
      if (chunk.ok.length >= CHUNK_ROWS) flush();
    },
    ready: (bytesRead) => {
      bytes = bytesRead;
      job.progress?.(rows, bytesRead);
      return pending.length >= WINDOW || failure ? waitFor(WINDOW - 1) : undefined;
    },
  });
  bytes = outcome.bytes;
  flush();
  await waitFor(0);
  return { outcome, cleaned: cleaned.takeFile(), quarantine: quarantine.takeFile() };
};
