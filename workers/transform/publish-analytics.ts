// The transform's side of the analytics lake: every date the KPI recompute settles is published
// as Parquet (io/analytics-lake.ts) as soon as it is settled, then the catalog once per run.
// Either here on the main thread, or, given the lake's location, on an analytics thread
// (analytics-thread/): the same date sink there, fed the same lines, so the same bytes.
import type { DatedDataset } from '../core/analytics-columns.js';
import { analyticsDateSink, type DatePublished, publishAnalyticsProducts } from '../io/analytics-lake.js';
import type { BlobStore } from '../io/blob-store.js';
import type { CurrentCatalog } from '../io/catalog.js';
import type { Location } from '../io/location.js';
import { startAnalyticsThread } from './analytics-thread/client.js';
import type { DateSink } from './date-sink.js';

export interface AnalyticsSummary {
  readonly dates_published: number;
  /** Dates whose files were all removed: every order version on them moved or vanished. */
  readonly dates_emptied: number;
  readonly rows: Readonly<Record<DatedDataset | 'products', number>>;
  readonly bytes: number;
  /** Milliseconds spent publishing, summed over dates (a few run at once, so it can exceed wall time). */
  readonly ms: number;
}

/**
 * Where a date's Parquet is built when there is a thread, from the thread's backlog (dates closed
 * and not yet written) when the date opens. The same sink runs either way, so the same bytes.
 */
export type Placement = (backlog: number) => 'thread' | 'inline';

/**
 * The thread's share exceeds the main thread's (it encodes what the main thread only folds): on
 * the 1 M four-year shop the main thread sat idle 7 of 16 s waiting for room in the thread's
 * queue. So once the thread is THREAD_BACKLOG closed dates behind, the next date is built inline,
 * up to a quarter of the dates opened so far: the main thread also feeds the thread, and lending
 * more starved it (all when behind 14.3 s; at most a tenth 14.5, a fifth 13.7, a quarter 12.9,
 * a third 13.4; never 14.4).
 */
export const THREAD_BACKLOG = 2;
export const LENT_SHARE = 0.25;
export const lendWhenBehind = (): Placement => {
  let opened = 0;
  let lent = 0;
  return (backlog) => {
    opened++;
    if (backlog < THREAD_BACKLOG || lent + 1 > opened * LENT_SHARE) return 'thread';
    lent++;
    return 'inline';
  };
};

/** `thread`: the lake's location, for an analytics thread to open; without it the Parquet is built inline. */
export const analyticsPublisher = (lake: BlobStore, thread?: Location, placement: Placement = lendWhenBehind()) => {
  const rows = { orders: 0, order_items: 0, order_kpis: 0, category_kpis: 0, products: 0 };
  let dates = 0;
  let emptied = 0;
  let bytes = 0;
  let ms = 0;
  const timed = async <A>(f: () => Promise<A>): Promise<A> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      ms += performance.now() - t0;
    }
  };
  const count = (published: DatePublished) => {
    dates++;
    if (published.written.orders === 0) emptied++;
    for (const [k, n] of Object.entries(published.written)) rows[k as DatedDataset] += n;
    bytes += published.bytes;
  };
  const worker = thread ? startAnalyticsThread(thread) : undefined;
  /** The sink of one recomputed date, timed: parsing its lines into columns, encoding, the PUTs. */
  const sink = (date: string): DateSink => {
    if (worker && placement(worker.backlog()) === 'thread')
      return worker.sink(date, (published, spent) => {
        count(published);
        ms += spent;
      });
    const inner = analyticsDateSink(lake, date, count);
    return {
      orders: (lines) => timed(() => inner.orders(lines)),
      items: (lines) => timed(() => inner.items(lines)),
      close: (kpiRows) => timed(() => inner.close(kpiRows)),
      abort: inner.abort,
    };
  };
  return {
    sink,
    /** Every date's files written (at once when inline); rejects when the analytics thread failed. */
    finish: async () => worker?.finish(),
    /** Stops the analytics thread, if any; call whatever happened. */
    close: async () => worker?.close(),
    publishProducts: async (catalog: CurrentCatalog) => {
      const published = await timed(async () => publishAnalyticsProducts(lake, catalog));
      rows.products = published.rows;
      bytes += published.bytes;
    },
    summary: (): AnalyticsSummary => ({ dates_published: dates, dates_emptied: emptied, rows: { ...rows }, bytes, ms: Math.round(ms) }),
  };
};
