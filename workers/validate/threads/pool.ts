// The main thread's side of the check threads: it starts them, hands out the batch's files in
// processing order (a thread takes the next file when it finishes one), and passes their
// messages on as they come (several files are read at once: accept-files.ts orders them).
import type { Worker } from 'node:worker_threads';
import { startThread, threadEntryOf } from '../../io/worker-thread.js';
import type { Kind } from '../../core/records.js';
import { join } from 'node:path';
import { CHECK_THREAD_ENTRY } from './check-thread.js';
import { THREAD_ROLE, type FromThread, type ThreadData, type ToThread } from './protocol.js';

/** This module's sibling from source, the bundle itself when bundled (esbuild sets import.meta.url to the bundle's file: scripts/build.mjs). */
const threadEntry = (): URL => {
  void CHECK_THREAD_ENTRY;
  return threadEntryOf(import.meta.url, './check-thread.ts');
};

/**
 * A check thread holds a few chunks of rows at a time. Its young generation: 8 MB cost 2.5 s of
 * scavenges per thread on the 1 M mixed shop, 48 MB half that; 32 MB is most of the gain.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 32 };

/**
 * Its old generation: left to V8, each thread's heap grew with garbage to ~100 MB more RSS than
 * it holds (peak 615 MB at 4 M items, 2 threads); capped, 540–580 MB. A thread that needs more (rows
 * near the 16 Mi-character record cap) dies with ERR_WORKER_OUT_OF_MEMORY, and the batch is read
 * again on the main thread (validate-batch.ts).
 */
export const THREAD_OLD_GENERATION_MB = 128;

/** A check thread ran out of its heap: the batch can still be read on the main thread. */
export const isThreadOutOfMemory = (e: unknown): boolean => (e as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';

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
  private readonly retired = new Set<Worker>();

  private constructor(
    private readonly workers: ReadonlyArray<Worker>,
    private readonly files: ReadonlyArray<PoolFile>,
    private readonly onMessage: (m: FromThread) => void,
  ) {
    this.failed.catch(() => undefined);
    for (const w of workers) {
      w.on('message', (m: FromThread) => this.receive(w, m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => code !== 0 && !this.retired.has(w) && this.fail(new Error(`a check thread exited with code ${code}`)));
      this.assign(w);
    }
  }

  /** Threads take the files in this order, the next when they finish one. */
  static start(
    threads: number,
    data: Omit<ThreadData, 'role' | 'spillPath'> & { readonly spillDir: string; readonly oldGenerationMb?: number },
    files: ReadonlyArray<PoolFile>,
    onMessage: (m: FromThread) => void,
  ): CheckPool {
    const entry = threadEntry();
    const workers = Array.from({ length: Math.min(threads, files.length) }, (_, i) =>
      startThread(entry, { role: THREAD_ROLE, source: data.source, batchId: data.batchId, spillPath: join(data.spillDir, `thread-${i}`) }, { ...THREAD_LIMITS, maxOldGenerationSizeMb: data.oldGenerationMb ?? THREAD_OLD_GENERATION_MB }),
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
    if (f === undefined) {
      // nothing left for it: its heap goes now, not when the last file ends (the batch's peak RSS
      // comes near the end, when the main thread's keys are largest)
      this.retired.add(w);
      void w.terminate();
      return;
    }
    this.owner.set(f.file, w);
    w.postMessage({ type: 'file', file: f.file, key: f.key, kind: f.kind } satisfies ToThread);
  }

  private receive(w: Worker, m: FromThread): void {
    if (m.type === 'failed') {
      // the thread's own stack, not this receiver's: where the row or file went wrong
      const error = new Error(m.message);
      if (m.stack !== undefined) error.stack = `${m.stack}\n    at (check thread)`;
      return this.fail(error);
    }
    this.onMessage(m);
    if (m.type === 'done') this.assign(w);
  }

  private fail(error: Error): void {
    if (!this.closing) this.rejectFailed(error);
  }
}
