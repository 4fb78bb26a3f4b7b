// Messages between the validate worker's main thread and its check threads (check-thread.ts).
// A check thread reads one file at a time and checks each row's own rules (core/rows/check.ts);
// it sends the outcomes in chunks of rows, as columns (arrays of strings clone far faster than
// arrays of objects). The main thread applies the batch's rules in file order and asks back for
// the quarantine lines of the rows it rejects: only the check thread still holds their raw values.
import type { Kind } from '../../core/records.js';
import type { RowReason } from '../../core/reasons.js';
import type { Location } from '../../io/location.js';
import type { FileFormat, ReadOutcome } from '../../io/readers/index.js';

export const THREAD_ROLE = 'validate-check-rows';

export interface ThreadData {
  readonly role: typeof THREAD_ROLE;
  readonly source: Location;
  readonly batchId: string;
}

/** Main → thread. */
export type ToThread =
  | { readonly type: 'file'; readonly file: number; readonly key: string; readonly kind: Kind }
  /** Chunk `seq` of `file` is applied and none of its rows is quarantined. */
  | { readonly type: 'release'; readonly file: number; readonly seq: number }
  /** Chunk `seq` is applied: render these rows (indexes in the chunk) with these reasons. */
  | { readonly type: 'quarantine'; readonly file: number; readonly seq: number; readonly rows: ReadonlyArray<number>; readonly reasons: ReadonlyArray<ReadonlyArray<RowReason>> };

/** The own-rule outcomes of consecutive rows of one file. */
export interface Chunk {
  readonly type: 'chunk';
  readonly file: number;
  readonly seq: number;
  /** Per row: 1 when it passed its own rules, 0 when rejected. */
  readonly ok: Uint8Array;
  /**
   * Columns over the rows that passed, in row order. products: line, id, category;
   * orders: line, id, date; items: prefix, id, order id, product id (d).
   */
  readonly a: string[];
  readonly b: string[];
  readonly c: string[];
  readonly d: string[];
  /** Over the rejected rows, in row order: their reasons, and an item's references. */
  readonly rejected: Array<{ readonly reasons: ReadonlyArray<RowReason>; readonly orderId?: string; readonly productId?: string }>;
  /** Input bytes of the file read so far (after decompression). */
  readonly bytes: number;
}

/** Thread → main. */
export type FromThread =
  | Chunk
  | { readonly type: 'quarantined'; readonly file: number; readonly seq: number; readonly lines: ReadonlyArray<string> }
  | { readonly type: 'done'; readonly file: number; readonly outcome: ReadOutcome & { format?: FileFormat } }
  | { readonly type: 'failed'; readonly file: number; readonly message: string };
