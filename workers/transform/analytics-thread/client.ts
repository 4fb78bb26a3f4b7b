// The main thread's side of the analytics thread (thread.ts): a DateSink per recomputed date
// whose lines are posted to the thread as they come, so the column building, Parquet encoding and
// the four object writes of each date run on the second vCPU while this thread reads and folds.
import { startThread, threadEntryOf } from '../../io/worker-thread.js';
import type { DatePublished } from '../../io/analytics-lake.js';
import type { Location } from '../../io/location.js';
import type { DateSink } from '../date-sink.js';
import { ANALYTICS_THREAD_ENTRY } from './thread.js';
import { THREAD_ROLE, type FromThread, type ThreadData, type ToThread } from './protocol.js';

/**
 * Dates closed but not yet written by the thread, at most: a sink's close waits beyond that, so
 * the thread's memory stays a few dates' columns however far it falls behind (the main thread
 * has its own few dates in flight besides, compute-kpis.ts).
 */
export const MAX_QUEUED_DATES = 4;

/** thread.ts from source, the bundle itself when bundled (as validate/threads/pool.ts). */
const threadEntry = (): URL => {
  void ANALYTICS_THREAD_ENTRY;
  return threadEntryOf(import.meta.url, './thread.ts');
};

export interface AnalyticsThread {
  /** The sink of one recomputed date; `published` is called once the thread has written it. */
  readonly sink: (date: string, published: (p: DatePublished, ms: number) => void) => DateSink;
  /** Dates closed and not yet written by the thread: how far behind it is. */
  readonly backlog: () => number;
  /** Resolves once every closed date is written; rejects if the thread failed (then no date may count as published). */
  readonly finish: () => Promise<void>;
  /** Stops the thread (after finish, or after a failure). */
  readonly close: () => Promise<void>;
}

export const startAnalyticsThread = (lake: Location): AnalyticsThread => {
  const worker = startThread(threadEntry(), { role: THREAD_ROLE, lake });
  let failure: Error | undefined;
  let rejectFailed: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined);
  let closing = false;
  const fail = (error: Error) => {
    if (failure !== undefined || closing) return;
    failure = error;
    rejectFailed(error);
  };
  /** Closed dates awaiting the thread's word, with what to call then. */
  const queued = new Map<string, { readonly published: (p: DatePublished, ms: number) => void; readonly done: () => void }>();
  const allDone: Array<Promise<void>> = [];
  let roomWaiters: Array<() => void> = [];

  worker.on('message', (m: FromThread) => {
    if (m.type === 'failed') return fail(new Error(`analytics thread, date ${m.date}: ${m.message}`));
    const entry = queued.get(m.published.date);
    if (!entry) return;
    queued.delete(m.published.date);
    entry.published(m.published, m.ms);
    entry.done();
    const waiters = roomWaiters;
    roomWaiters = [];
    for (const w of waiters) w();
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(`the analytics thread exited with code ${code}`)));

  const post = (m: ToThread) => {
    if (failure) throw failure;
    worker.postMessage(m);
  };
  const room = async () => {
    while (queued.size > MAX_QUEUED_DATES) await Promise.race([new Promise<void>((resolve) => roomWaiters.push(resolve)), failed]);
  };

  return {
    sink: (date, published) => ({
      orders: async (lines) => {
        if (lines.length > 0) post({ type: 'orders', date, lines: lines.join('\n') });
      },
      items: async (lines) => {
        if (lines.length > 0) post({ type: 'items', date, lines: lines.join('\n') });
      },
      close: async (rows) => {
        post({ type: 'close', date, rows });
        allDone.push(new Promise<void>((done) => queued.set(date, { published, done })));
        await room();
      },
      abort: async () => {
        if (!failure) worker.postMessage({ type: 'abort', date } satisfies ToThread);
      },
    }),
    backlog: () => queued.size,
    finish: async () => {
      await Promise.race([Promise.all(allDone), failed]);
    },
    close: async () => {
      closing = true;
      await worker.terminate();
    },
  };
};
