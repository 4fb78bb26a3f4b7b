// A check thread: reads the files it is given, one at a time, through file-job.ts — its own rules
// and the spilling here, the batch's verdicts asked of the main thread chunk by chunk.
//
// The module is its own worker entry: loaded in a thread created by pool.ts with THREAD_ROLE in
// workerData, it starts serving. In a bundle (dist/validate.js, dist/run-local.js) the thread
// re-enters the bundle itself, whose CLI entry stays idle off the main thread.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openStore, type BlobStore } from '../../io/blob-store.js';
import { SpillWriters } from '../../io/spill.js';
import { spillFile, type Verdicts } from '../file-job.js';
import { THREAD_ROLE, type FromThread, type ThreadData, type ToThread } from './protocol.js';

const serve = (port: MessagePort, data: ThreadData): void => {
  const store: BlobStore = openStore(data.source);
  const writers = Promise.all([SpillWriters.at(`${data.spillPath}.cleaned`), SpillWriters.at(`${data.spillPath}.quarantine`)]);
  const queue: Array<Extract<ToThread, { type: 'file' }>> = [];
  /** The current file's chunks awaiting their verdicts, in order. */
  const waiting: Array<(v: Verdicts) => void> = [];
  let busy = false;
  const post = (m: FromThread) => port.postMessage(m);

  const readFile = async (file: number, key: string, kind: Extract<ToThread, { type: 'file' }>['kind']): Promise<void> => {
    const [cleaned, quarantine] = await writers;
    const done = await spillFile({
      key,
      kind,
      open: () => store.read(key),
      batchId: data.batchId,
      cleaned,
      quarantine,
      judge: (claims) =>
        new Promise<Verdicts>((resolve) => {
          waiting.push(resolve);
          post({ type: 'claims', file, ...claims });
        }),
    });
    post({ type: 'done', file, ...done });
  };

  const next = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      try {
        await readFile(job.file, job.key, job.kind);
      } catch (error) {
        post({ type: 'failed', file: job.file, message: (error as Error).message, stack: (error as Error).stack });
      }
    }
    busy = false;
  };

  port.on('message', (m: ToThread) => {
    if (m.type === 'file') {
      queue.push(m);
      void next();
      return;
    }
    waiting.shift()?.(m);
  });
};

if (!isMainThread && parentPort !== null && (workerData as ThreadData | undefined)?.role === THREAD_ROLE) serve(parentPort, workerData as ThreadData);

/** Marks this module as used, so that a bundle keeps it: the pool's thread entry. */
export const CHECK_THREAD_ENTRY = THREAD_ROLE;
