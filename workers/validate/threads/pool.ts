// The main thread's side of the check threads: it starts them, hands out the batch's files in
// processing order (a thread takes the next file when it finishes one), and passes their
// messages on as they come (several files are read at once: accept-files.ts orders them).
import { Worker } from 'node:worker_threads';
import type { Kind } from '../../core/records.js';
import { join } from 'node:path';
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
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 48 };

export interface PoolFile {
  readonly file: number;
  readonly key: string;
  readonly kind: Kind;
}

export class CheckPool {
  private readonly owner = new Map<number, Worker>();
  private next = 0;
  private rejectFailed: (e: Error) => void = () => undefined;
  /** Rejects when a thread fails: the main thread may be waiting on any file. */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => (this.rejectFailed = reject));
  private closing = false;

  private constructor(
    private readonly workers: ReadonlyArray<Worker>,
    private readonly files: ReadonlyArray<PoolFile>,
    private readonly onMessage: (m: FromThread) => void,
  ) {
    this.failed.catch(() => undefined);
    for (const w of workers) {
      w.on('message', (m: FromThread) => this.receive(w, m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`a check thread exited with code ${code}`)));
      this.assign(w);
    }
  }

  /** Threads take the files in this order, the next when they finish one. */
  static start(
    threads: number,
    data: Omit<ThreadData, 'role' | 'spillPath'> & { readonly spillDir: string },
    files: ReadonlyArray<PoolFile>,
    onMessage: (m: FromThread) => void,
  ): CheckPool {
    const entry = threadEntry();
    const workers = Array.from({ length: Math.min(threads, files.length) }, (_, i) =>
      startThread(entry, { role: THREAD_ROLE, source: data.source, batchId: data.batchId, spillPath: join(data.spillDir, `thread-${i}`) }),
    );
    return new CheckPool(workers, files, onMessage);
  }

  send(file: number, m: ToThread): void {
    this.owner.get(file)?.postMessage(m);
  }

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
    if (m.type === 'failed') return this.fail(new Error(m.message));
    this.onMessage(m);
    if (m.type === 'done') this.assign(w);
  }

  private fail(error: Error): void {
    if (!this.closing) this.rejectFailed(error);
  }
}
