// Messages between the transform's main thread and its analytics thread (thread.ts). The main
// thread reads, folds and writes snapshots and KPIs; the thread turns each recomputed date's
// latest lines into Parquet columns, encodes them and writes the date's four objects
// (io/analytics-lake.ts). A date's lines cross as one string per chunk, joined with "\n" (cleaned
// lines hold no newline): one structured clone of a flat string instead of thousands of small ones.
import type { KpiRows } from '../../core/kpi-rows.js';
import type { DatePublished } from '../../io/analytics-lake.js';
import type { Location } from '../../io/location.js';

export const THREAD_ROLE = 'transform-analytics';

export interface ThreadData {
  readonly role: typeof THREAD_ROLE;
  /** The lake the main thread transforms: the thread opens its own store on it. */
  readonly lake: Location;
}

/** Main → thread; a date's `orders` and `items` come before its `close` or `abort`. */
export type ToThread =
  | { readonly type: 'orders' | 'items'; readonly date: string; readonly lines: string }
  | { readonly type: 'close'; readonly date: string; readonly rows: KpiRows }
  | { readonly type: 'abort'; readonly date: string };

/** Thread → main, once per closed date. */
export type FromThread =
  | { readonly type: 'done'; readonly published: DatePublished; readonly ms: number }
  | { readonly type: 'failed'; readonly date: string; readonly message: string };
