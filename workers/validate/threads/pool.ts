// The main thread's side of the check threads: it starts them, hands out the batch's files in
// processing order (a thread takes the next file when it finishes one), and gives each file's
// messages back in order, whichever thread read it. The main thread consumes files strictly in
// processing order; threads ahead of it wait on their window of held chunks (check-thread.ts).
import { Worker } from 'node:worker_threads';
import type { Kind } from '../../core/records.js';
import type { Location } from '../../io/location.js';
import { CHECK_THREAD_ENTRY } from './check-thread.js';
import { THREAD_ROLE, type FromThread, type ThreadData, type ToThread } from './protocol.js';

/**
 * The thread entry: this module's sibling when running from source (tsx), the bundle itself when
 * bundled (esbuild sets import.meta.url to the bundle's file: scripts/build.mjs).
 */
const threadEntry = (): URL => {
  void CHECK_THREAD_ENTRY;
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./check-thread.ts', here) : new URL(here);
};

/**
 * From source (tests, tsx), the thread first registers the TypeScript loader the main thread runs
 * under: Node 20 does not carry a main thread's module hooks into its workers (the bare
 * specifier resolves from the working directory, the repository's root in tests).
 */
const startThread = (entry: URL, workerData: ThreadData): Worker =>
  entry.pathname.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`,
        { eval: true, workerData, resourceLimits: THREAD_LIMITS },
      )
    : new Worker(entry, { workerData, resourceLimits: THREAD_LIMITS });

/**
 * A check thread holds a few chunks of rows at a time: a small young generation keeps its heap
 * (and the process's RSS) small; V8's default semi-spaces cost ~30 MB per thread for nothing.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

class Feed {
  private readonly queue: FromThread[] = [];
  private waiter: { resolve: (m: FromThread) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  push(m: FromThread): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w.resolve(m);
    else this.queue.push(m);
  }

  fail(error: Error): void {
    this.failure ??= error;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(error);
  }

  next(): Promise<FromThread> {
    const m = this.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }
}

export interface PoolFile {
  readonly file: number;
  readonly key: string;
  readonly kind: Kind;
}

export class CheckPool {
  private readonly feeds = new Map<number, Feed>();
  private readonly owner = new Map<number, Worker>();
  private next = 0;
  /** Where rendered quarantine lines go (they answer the main thread, not a file's feed). */
  onQuarantined: (m: Extract<FromThread, { type: 'quarantined' }>) => void = () => undefined;
  private rejectFailed: (e: Error) => void = () => undefined;
  /** Rejects when a thread fails outside any file (the main thread may be waiting on none). */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => (this.rejectFailed = reject));

  private constructor(
    private readonly workers: ReadonlyArray<Worker>,
    private readonly files: ReadonlyArray<PoolFile>,
  ) {
    for (const f of files) this.feeds.set(f.file, new Feed());
    for (const w of workers) {
      w.on('message', (m: FromThread) => this.receive(w, m));
      w.on('error', (e) => this.failAll(e));
      w.on('exit', (code) => code !== 0 && this.failAll(new Error(`a check thread exited with code ${code}`)));
      this.assign(w);
    }
  }

  static start(threads: number, source: Location, batchId: string, files: ReadonlyArray<PoolFile>): CheckPool {
    const data: ThreadData = { role: THREAD_ROLE, source, batchId };
    const entry = threadEntry();
    const workers = Array.from({ length: Math.min(threads, files.length) }, () => startThread(entry, data));
    return new CheckPool(workers, files);
  }

  /** The next message of a file: chunks in order, then done (or failed). */
  message(file: number): Promise<Exclude<FromThread, { type: 'quarantined' }>> {
    return this.feeds.get(file)!.next() as Promise<Exclude<FromThread, { type: 'quarantined' }>>;
  }

  send(file: number, m: ToThread): void {
    this.owner.get(file)?.postMessage(m);
  }

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private assign(w: Worker): void {
    const f = this.files[this.next++];
    if (f === undefined) return;
    this.owner.set(f.file, w);
    w.postMessage({ type: 'file', file: f.file, key: f.key, kind: f.kind } satisfies ToThread);
  }

  private receive(w: Worker, m: FromThread): void {
    if (m.type === 'quarantined') return this.onQuarantined(m);
    this.feeds.get(m.file)?.push(m);
    if (m.type === 'done' || m.type === 'failed') this.assign(w);
  }

  private failAll(error: Error): void {
    if (this.closing) return;
    this.failed.catch(() => undefined);
    this.rejectFailed(error);
    for (const f of this.feeds.values()) f.fail(error);
  }
}
