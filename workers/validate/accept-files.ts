// Read → check → accept, file by file in processing order: each row's own rules (core/rows/check),
// then the batch's (BatchState) on the main thread in file order; accepted lines to their spill
// partition, rejected rows to the quarantine spill in file order. With threads, the reading and
// the own-rule checks run on check threads (threads/), the main thread applying their outcomes
// in the same order: the cleaned and quarantine spills see the very same sequence of lines either
// way, so the output is byte-identical whatever the thread count.
import type { Kind } from '../core/records.js';
import { crashPoint } from '../io/crash-point.js';
import type { RowReason } from '../core/reasons.js';
import type { FileReport } from '../core/report.js';
import type { BatchState } from '../core/rows/batch-state.js';
import { CHECKS } from '../core/rows/check.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Location } from '../io/location.js';
import type { Logger } from '../io/log.js';
import { quarantinedRowLine } from '../io/quarantine.js';
import { readRows, type FileFormat, type ReadOutcome } from '../io/readers/index.js';
import type { SpillWriters } from '../io/spill.js';
import type { InputFile } from './batch-files.js';
import { FileTally, unsupportedFile } from './file-tally.js';
import { nameChecks } from '../core/header.js';
import { positionKindOf } from './positions.js';
import { CheckPool } from './threads/pool.js';
import type { Chunk } from './threads/protocol.js';
import { QuarantineQueue } from './quarantine-queue.js';

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
  /** Cleaned rows, partitioned by BatchState.partition. */
  readonly spill: SpillWriters;
  /** Quarantined rows, one partition per kind. */
  readonly quarantine: SpillWriters;
  readonly batchId: string;
  readonly onProgress?: (progress: Progress) => void;
  readonly log?: Logger;
}

type Outcome = ReadOutcome & { format?: FileFormat };

/** One file on the main thread: read, check, accept row by row. */
const acceptInline = async (key: string, kind: Kind, tally: FileTally, ctx: AcceptContext, progress: (rows: number, bytes: number) => void): Promise<Outcome> => {
  const { state, spill, quarantine, batchId } = ctx;
  const check = CHECKS[kind];
  const positionKind = positionKindOf(key);
  let rows = 0;
  return readRows(key, () => ctx.source.read(key), {
    ...nameChecks(kind, positionKind),
    row: (values, position) => {
      rows++;
      const result = state.accept(kind, check(values));
      if (typeof result === 'string') {
        spill.append(state.partition, result);
        tally.cleaned++;
      } else {
        tally.reject(result);
        quarantine.append(kind, quarantinedRowLine(batchId, key, positionKind, position, result, values));
      }
    },
    ready: (bytesRead) => {
      crashPoint('validate:mid-read');
      progress(rows, bytesRead);
      return spill.ready() ?? quarantine.ready();
    },
  });
};

/** One chunk of a check thread's outcomes through the batch state; the rows it rejects. */
const applyChunk = (kind: Kind, m: Chunk, state: BatchState, spill: SpillWriters, tally: FileTally) => {
  const rows: number[] = [];
  const reasons: Array<ReadonlyArray<RowReason>> = [];
  let ok = 0;
  let rejected = 0;
  const { a, b, c, d } = m;
  for (let i = 0; i < m.ok.length; i++) {
    let result: string | ReadonlyArray<RowReason>;
    if (m.ok[i] === 1) {
      const j = ok++;
      result =
        kind === 'order_items' ? state.item(a[j]!, b[j]!, c[j]!, d[j]!) : kind === 'orders' ? state.order(a[j]!, b[j]!, c[j]!) : state.product(a[j]!, b[j]!, c[j]!);
    } else {
      const r = m.rejected[rejected++]!;
      result = state.rejected(kind, r.reasons, r.orderId, r.productId);
    }
    if (typeof result === 'string') {
      spill.append(state.partition, result);
      tally.cleaned++;
    } else {
      tally.reject(result);
      rows.push(i);
      reasons.push(result);
    }
  }
  return { rows, reasons };
};

/** One file read and checked by a check thread, accepted here in its row order. */
const acceptThreaded = async (
  file: number,
  kind: Kind,
  tally: FileTally,
  ctx: AcceptContext,
  pool: CheckPool,
  queue: QuarantineQueue,
  progress: (rows: number, bytes: number) => void,
): Promise<Outcome> => {
  let rows = 0;
  for (;;) {
    const m = await pool.message(file);
    if (m.type === 'failed') throw new Error(m.message);
    if (m.type === 'done') return m.outcome;
    const rejected = applyChunk(kind, m, ctx.state, ctx.spill, tally);
    if (rejected.rows.length === 0) pool.send(file, { type: 'release', file, seq: m.seq });
    else {
      queue.expect(file, m.seq, kind);
      pool.send(file, { type: 'quarantine', file, seq: m.seq, rows: rejected.rows, reasons: rejected.reasons });
    }
    rows += m.ok.length;
    crashPoint('validate:mid-read');
    progress(rows, m.bytes);
    await (ctx.spill.ready() ?? queue.ready());
  }
};

export const acceptFiles = async (files: ReadonlyArray<InputFile>, ctx: AcceptContext): Promise<FileReport[]> => {
  const { state, log } = ctx;
  const threaded = ctx.threads > 1 && ctx.sourceLocation !== undefined && files.some((f) => f.kind !== null);
  const readable = files.flatMap((f, file) => (f.kind === null ? [] : [{ file, key: f.key, kind: f.kind }]));
  const pool = threaded ? CheckPool.start(ctx.threads, ctx.sourceLocation!, ctx.batchId, readable) : undefined;
  const queue = new QuarantineQueue(ctx.quarantine);
  if (pool) pool.onQuarantined = (m) => queue.fill(m.file, m.seq, m.lines);
  try {
    const reports: FileReport[] = [];
    let rowsBefore = 0;
    let bytesBefore = 0;
    for (const [file, { key, kind }] of files.entries()) {
      if (kind === null) {
        reports.push(unsupportedFile(key));
        continue;
      }
      const tally = new FileTally();
      const started = Date.now();
      const progress = (rows: number, bytes: number) => ctx.onProgress?.({ file: key, rows: rowsBefore + rows, bytes: bytesBefore + bytes });
      state.fileStarted();
      const outcome = pool ? await acceptThreaded(file, kind, tally, ctx, pool, queue, progress) : await acceptInline(key, kind, tally, ctx, progress);
      log?.debug('file read', { key, rows: outcome.rows, bytes: outcome.bytes, ms: Date.now() - started });
      rowsBefore += outcome.rows;
      bytesBefore += outcome.bytes;
      // A file's last figures, so a listener's totals (the BytesRead metric) end exact.
      ctx.onProgress?.({ file: key, rows: rowsBefore, bytes: bytesBefore });
      if (outcome.fileReason !== undefined) {
        state.fileFailed(kind);
        log?.warn('file quarantined', { key, ...outcome.fileReason });
      }
      reports.push(tally.report(key, kind, outcome));
    }
    await (pool ? Promise.race([queue.drained(), pool.failed]) : queue.drained());
    return reports;
  } finally {
    await pool?.close();
  }
};
