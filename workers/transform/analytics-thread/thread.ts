// The analytics thread: builds, encodes and writes each date's Parquet (io/analytics-lake.ts's
// date sink, the same code the inline path runs) from the lines the main thread posts.
//
// The module is its own worker entry, as validate's check threads are (validate/threads/): loaded
// in a thread started by client.ts with THREAD_ROLE in workerData, it starts serving; in a bundle
// (dist/transform.js) the thread re-enters the bundle itself, whose CLI entry stays idle off the
// main thread (io/cli.ts).
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { analyticsDateSink, type DatePublished } from '../../io/analytics-lake.js';
import { openStore } from '../../io/blob-store.js';
import { THREAD_ROLE, type FromThread, type ThreadData, type ToThread } from './protocol.js';

interface OpenDate {
  readonly sink: ReturnType<typeof analyticsDateSink>;
  published?: DatePublished;
  ms: number;
}

const serve = (port: MessagePort, data: ThreadData): void => {
  const lake = openStore(data.lake);
  const open = new Map<string, OpenDate>();
  const post = (m: FromThread) => port.postMessage(m);
  const dateOf = (date: string): OpenDate => {
    let d = open.get(date);
    if (!d) {
      const created: OpenDate = { sink: analyticsDateSink(lake, date, (p) => (created.published = p)), ms: 0 };
      open.set(date, (d = created));
    }
    return d;
  };
  const handle = async (m: ToThread): Promise<void> => {
    if (m.type === 'abort') {
      open.delete(m.date);
      return;
    }
    const d = dateOf(m.date);
    const t0 = performance.now();
    if (m.type === 'close') {
      await d.sink.close(m.rows);
      open.delete(m.date);
      d.ms += performance.now() - t0;
      post({ type: 'done', published: d.published!, ms: d.ms });
      return;
    }
    await d.sink[m.type](m.lines.split('\n'));
    d.ms += performance.now() - t0;
  };
  port.on('message', (m: ToThread) => {
    handle(m).catch((error: Error) => {
      open.delete(m.date);
      post({ type: 'failed', date: m.date, message: error.message });
    });
  });
};

if (!isMainThread && parentPort !== null && (workerData as ThreadData | undefined)?.role === THREAD_ROLE) serve(parentPort, workerData as ThreadData);

/** Marks this module as used, so that a bundle keeps it: the client's thread entry. */
export const ANALYTICS_THREAD_ENTRY = THREAD_ROLE;
