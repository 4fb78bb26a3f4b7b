// Read → check → accept, file by file: each row's own rules where the file is read (file-job.ts:
// inline, or on a check thread), the batch's rules (BatchState) on the main thread, each file's
// cleaned and quarantined rows spilled where it was read and joined in file order.
//
// With threads, several files are read at once and judged as their chunks come; BatchState keeps
// each file's keys apart until the file is committed, in file order. A file judged on keys that
// an earlier file turned out to hold too (a duplicate across files, found only when the earlier
// file ended) is read again inline when its turn comes to commit, and its first spill dropped:
// every verdict that stands is the one file order gives, so the output is byte-identical for any
// thread count. Items are judged once every product and order is committed (their references).
import type { Kind } from '../core/records.js';
import { crashPoint } from '../io/crash-point.js';
import type { FileReport } from '../core/report.js';
import type { BatchState, FileKeys } from '../core/rows/batch-state.js';
import type { RowReason } from '../core/reasons.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Location } from '../io/location.js';
import type { Logger } from '../io/log.js';
import type { InputFile } from './batch-files.js';
import type { BatchSpills } from './batch-spills.js';
import { spillFile, type Claims, type FileSpilled, type Verdicts } from './file-job.js';
import { FileTally, unsupportedFile } from './file-tally.js';
import { CheckPool } from './threads/pool.js';
import type { FromThread } from './threads/protocol.js';

export interface Progress {
  readonly file: string;
  readonly rows: number;
  /** Input bytes read so far (after decompression). */
  readonly bytes: number;
}

export interface AcceptContext {
  readonly source: BlobStore;
  /** Where check threads reopen the source; without it, everything runs on the main thread. */
  readonly sourceLocation?: Location;
  /** Check threads; 1 = none (read and check on the main thread). */
  readonly threads: number;
  readonly state: BatchState;
  readonly spills: BatchSpills;
  readonly batchId: string;
  /** A check thread's old-generation cap (default THREAD_OLD_GENERATION_MB). */
  readonly threadHeapMb?: number;
  readonly onProgress?: (progress: Progress) => void;
  readonly log?: Logger;
}

/** The batch's verdicts over one chunk of a file, counted in the file's tally. */
const judge = (kind: Kind, keys: FileKeys, m: Claims, state: BatchState, tally: FileTally): Verdicts => {
  crashPoint('validate:mid-read');
  const rows: number[] = [];
  const reasons: Array<ReadonlyArray<RowReason>> = [];
  // each accepted item's date and category as an index into the chunk's distinct ones: a few
  // dozen strings cross the thread boundary per chunk, not two per item
  const dates: string[] = [];
  const categories: string[] = [];
  const dateAt = new Map<string, number>();
  const categoryAt = new Map<string, number>();
  const items = kind === 'order_items' ? m.ok.length : 0;
  const itemDate = new Uint16Array(items);
  const itemCategory = new Uint16Array(items);
  let accepted = 0;
  let rejected = 0;
  const { text, ends } = m;
  let at = 0;
  let e = 0;
  const value = (): string => text.slice(at, (at = ends[e++]!));
  for (let i = 0; i < m.ok.length; i++) {
    let result: true | ReadonlyArray<RowReason>;
    if (m.ok[i] === 1) {
      if (kind === 'order_items') {
        result = state.item(keys, value(), value(), value());
        if (result === true) {
          itemDate[accepted] = indexOf(dateAt, dates, state.date);
          itemCategory[accepted++] = indexOf(categoryAt, categories, state.category);
        }
      } else result = kind === 'orders' ? state.order(keys, value(), value()) : state.product(keys, value(), value());
    } else {
      const r = m.rejected[rejected++]!;
      result = state.rejected(kind, r.reasons, r.orderId, r.productId);
    }
    if (result === true) tally.cleaned++;
    else {
      tally.reject(result);
      rows.push(i);
      reasons.push(result);
    }
  }
  return { seq: m.seq, rows, reasons, dates, categories, itemDate: itemDate.subarray(0, accepted), itemCategory: itemCategory.subarray(0, accepted) };
};

/** The index of `s` among a chunk's distinct strings (added when new). */
const indexOf = (at: Map<string, number>, list: string[], s: string): number => {
  let i = at.get(s);
  if (i === undefined) at.set(s, (i = list.push(s) - 1));
  return i;
};

interface Readable_ {
  readonly file: number;
  readonly key: string;
  readonly kind: Kind;
}

/** One file's progress through judging and commit. */
class FileRun {
  tally = new FileTally();
  keys: FileKeys | undefined;
  spilled: FileSpilled | undefined;
  /** Judged on keys an earlier file also holds: to be read again before commit. */
  wrong = false;
  deferred: Claims[] = [];
  rows = 0;
  constructor(readonly f: Readable_) {}
  keysIn(state: BatchState): FileKeys {
    return (this.keys ??= state.begin(this.f.file, this.f.kind));
  }
}

export const acceptFiles = async (files: ReadonlyArray<InputFile>, ctx: AcceptContext): Promise<FileReport[]> => {
  const { state, log, spills } = ctx;
  const readable: Readable_[] = files.flatMap((f, file) => (f.kind === null ? [] : [{ file, key: f.key, kind: f.kind }]));
  const runs = new Map(readable.map((f) => [f.file, new FileRun(f)]));
  const threaded = ctx.threads > 1 && ctx.sourceLocation !== undefined && readable.length > 0;
  let rowsBefore = 0;
  let bytesBefore = 0;
  const progress = (key: string, rows: number, bytes: number) => ctx.onProgress?.({ file: key, rows: rowsBefore + rows, bytes: bytesBefore + bytes });

  /** A file read on the main thread, judged as it goes (its earlier files all committed). */
  const inline = async (run: FileRun): Promise<void> => {
    const { key, kind, file } = run.f;
    run.tally = new FileTally();
    run.keys = state.begin(file, kind);
    const keys = run.keys;
    run.spilled = await spillFile({
      key,
      kind,
      open: () => ctx.source.read(key),
      batchId: ctx.batchId,
      cleaned: spills.cleaned,
      quarantine: spills.quarantine,
      judge: (claims) => judge(kind, keys, claims, state, run.tally),
      progress: (rows, bytes) => progress(key, rows, bytes),
    });
  };

  const reports = new Map<number, FileReport>();
  const commit = (run: FileRun): void => {
    const { key, kind, file } = run.f;
    const { outcome, cleaned, quarantine } = run.spilled!;
    const failed = outcome.fileReason !== undefined;
    for (const w of state.commit(run.keysIn(state), failed)) runs.get(w)!.wrong = true;
    // the keys now live in the batch's maps: a second copy would double the orders' memory
    run.keys = undefined;
    spills.cleanedSet.add(cleaned);
    spills.quarantineSet.add(quarantine);
    log?.debug('file read', { key, rows: outcome.rows, bytes: outcome.bytes, partitions: cleaned.partitions.length });
    rowsBefore += outcome.rows;
    bytesBefore += outcome.bytes;
    // A file's last figures, so a listener's totals (the BytesRead metric) end exact.
    ctx.onProgress?.({ file: key, rows: rowsBefore, bytes: bytesBefore });
    if (failed) log?.warn('file quarantined', { key, ...outcome.fileReason });
    reports.set(file, run.tally.report(key, kind, outcome));
  };

  if (!threaded) {
    for (const f of readable) {
      const run = runs.get(f.file)!;
      await inline(run);
      commit(run);
    }
  } else await acceptThreaded(readable, runs, ctx, inline, commit, progress);

  return files.map((f, file) => reports.get(file) ?? unsupportedFile(f.key));
};

/** Files read on check threads, judged as their chunks come, committed in file order. */
const acceptThreaded = async (
  readable: ReadonlyArray<Readable_>,
  runs: ReadonlyMap<number, FileRun>,
  ctx: AcceptContext,
  inline: (run: FileRun) => Promise<void>,
  commit: (run: FileRun) => void,
  progress: (key: string, rows: number, bytes: number) => void,
): Promise<void> => {
  const { state } = ctx;
  // items wait for every product and order: their references must be final
  let refsToCommit = readable.filter((f) => f.kind !== 'order_items').length;
  let head = 0;
  let settled: (() => void) | undefined;
  let failure: ((e: Error) => void) | undefined;
  const finished = new Promise<void>((resolve, reject) => ((settled = resolve), (failure = reject)));

  const answer = (run: FileRun, m: Claims): void => {
    const keys = run.keysIn(state);
    const v = judge(run.f.kind, keys, m, state, run.tally);
    pool.send(run.f.file, { type: 'verdicts', file: run.f.file, ...v });
  };

  let pumping = false;
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      for (let run = runs.get(readable[head]?.file ?? -1); run?.spilled !== undefined; run = runs.get(readable[head]?.file ?? -1)) {
        if (run.wrong) {
          ctx.log?.debug('file judged again', { key: run.f.key });
          await inline(run);
        }
        commit(run);
        head++;
        if (run.f.kind !== 'order_items' && --refsToCommit === 0)
          for (const f of readable) {
            const r = runs.get(f.file)!;
            for (const m of r.deferred.splice(0)) answer(r, m);
          }
      }
      if (head === readable.length) settled!();
    } catch (e) {
      failure!(e as Error);
    } finally {
      pumping = false;
    }
  };

  const onMessage = (m: FromThread): void => {
    const run = runs.get(m.file);
    if (run === undefined) return;
    try {
      if (m.type === 'claims') {
        run.rows = m.ok.length + run.rows;
        if (readable[head]?.file === m.file) progress(run.f.key, run.rows, m.bytes);
        if (run.f.kind === 'order_items' && refsToCommit > 0) run.deferred.push(m);
        else answer(run, m);
      } else if (m.type === 'done') {
        run.spilled = { outcome: m.outcome, cleaned: m.cleaned, quarantine: m.quarantine };
        void pump();
      }
    } catch (e) {
      failure!(e as Error);
    }
  };

  const pool = CheckPool.start(ctx.threads, { source: ctx.sourceLocation!, batchId: ctx.batchId, spillDir: ctx.spills.dir, oldGenerationMb: ctx.threadHeapMb }, readable, onMessage);
  try {
    await Promise.race([finished, pool.failed]);
  } finally {
    await pool.close();
  }
};
