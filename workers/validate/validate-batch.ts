// The validate worker as a function, a shell over the core: list the batch's files → read and
// accept their rows (core/rows, through the batch state) → spill cleaned and quarantined rows →
// publish (accepted) or quarantine the inputs (rejected) → write reports/<batch>/validation.json.
// Importable without side effects: main.ts wraps it as a CLI, run-local calls it in-process.
//
// Memory: the batch state keeps product and order keys (growing with products and orders) and a
// 63-bit fingerprint per item id; rows go through bounded gzip spill files.
import { batchIdOf, type BatchManifest } from '../core/manifest.js';
import { validationReportKey } from '../core/lake-layout.js';
import { summariseKinds, totalReasonCounts, verdictOf, type ValidationReport } from '../core/report.js';
import { availableParallelism } from 'node:os';
import { BatchState } from '../core/rows/batch-state.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Location } from '../io/location.js';
import { loadCatalog, readBatchRecord } from '../io/catalog.js';
import type { Logger } from '../io/log.js';
import { acceptFiles, type Progress } from './accept-files.js';
import { batchFiles } from './batch-files.js';
import { BatchSpills } from './batch-spills.js';
import { isThreadOutOfMemory } from './threads/pool.js';
import { quarantineInputs, type QuarantinedInputs } from './quarantine-inputs.js';
import { publishAccepted, removeStaleQuarantine, writeQuarantinedRows } from './write-outcome.js';

export type { Progress } from './accept-files.js';

export interface ValidateBatchOptions {
  /** The landing store: keys `orders/…`, `order_items/…`, `products/…`. */
  readonly source: BlobStore;
  /** The lake store: cleaned/, quarantine/, reports/. */
  readonly lake: BlobStore;
  /** The exact files of the batch; without it, everything under the three prefixes. */
  readonly manifest?: BatchManifest;
  /** Overrides the manifest's id; default batchIdOf(files). */
  readonly batchId?: string;
  readonly maxRejectRate: number;
  readonly now?: () => Date;
  /** Called between input chunks (never per row). */
  readonly onProgress?: (progress: Progress) => void;
  readonly log?: Logger;
  /**
   * Delete a rejected batch's inputs from `source` once they are in quarantine and the report is
   * written, so the next upload does not join them. For a landing bucket; a local input
   * directory is never modified.
   */
  readonly moveRejectedInputs?: boolean;
  /** Where check threads reopen `source` (the same store); without it no threads are used. */
  readonly sourceLocation?: Location;
  /** Threads reading and checking files; 1 = all on the main thread. Default: one per core. */
  readonly threads?: number;
  /** A check thread's old-generation cap in MB (tests); default THREAD_OLD_GENERATION_MB. */
  readonly threadHeapMb?: number;
}

export const validateBatch = async (options: ValidateBatchOptions): Promise<ValidationReport> => {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { source, lake, log } = options;
  const plan = await batchFiles(source, options.manifest);
  const { listed, files } = plan;
  if (files.length + plan.refused.length === 0) throw new Error(`no input files under ${source.root} (orders/, order_items/, products/)`);
  const batchId = options.batchId ?? options.manifest?.batch_id ?? batchIdOf(listed);
  log?.info('validating batch', { batch_id: batchId, files: files.length, source: source.root, lake: lake.root });

  const [catalog, previous] = await Promise.all([loadCatalog(lake, batchId), readBatchRecord(lake, batchId)]);
  let spills = await BatchSpills.create();
  try {
    let state = new BatchState(catalog);
    const threads = options.threads ?? availableParallelism();
    const { sourceLocation, onProgress, threadHeapMb } = options;
    const accept = (n: number) => acceptFiles(files, { source, sourceLocation, threads: n, state, spills, batchId, onProgress, log, threadHeapMb });
    const accepted = await accept(threads).catch(async (e: unknown) => {
      if (!isThreadOutOfMemory(e)) throw e;
      // the very output, later: the inline path writes the same bytes
      log?.warn('a check thread ran out of memory: reading the batch again on the main thread', { threads });
      await spills.dispose();
      spills = await BatchSpills.create();
      state = new BatchState(catalog);
      return accept(1);
    });
    const reports = [...accepted, ...plan.refused];
    const insideRoot = reports.filter((f) => plan.insideRoot.has(f.key));

    const mem = process.memoryUsage();
    log?.debug('rows read', { rss: mem.rss, heap_used: mem.heapUsed, external: mem.external, array_buffers: mem.arrayBuffers });
    const finishing = Date.now();
    const spilled = spills.cleanedSet.finish();
    const quarantinedRows = spills.quarantineSet.finish();
    log?.debug('spill finished', { partitions: spilled.length, ms: Date.now() - finishing });
    const kinds = summariseKinds(reports);
    const { verdict, reasons } = verdictOf(reports, kinds, options.maxRejectRate);

    await writeQuarantinedRows(lake, batchId, quarantinedRows);
    await removeStaleQuarantine(lake, batchId, verdict, reports);
    let orderDates: ReadonlyArray<string> = [];
    let quarantined: QuarantinedInputs | undefined;
    if (verdict === 'ACCEPTED') {
      const sources = files.map((f) => f.key);
      orderDates = (await publishAccepted({ lake, batchId, spilled, previous, sources, now: now() })).order_dates;
      log?.debug('published', { partitions: spilled.length, ms: Date.now() - finishing });
    } else {
      quarantined = await quarantineInputs({ source, lake, batchId, files: insideRoot, reasons, log });
    }

    const report: ValidationReport = {
      batch_id: batchId,
      verdict,
      reasons,
      max_reject_rate: options.maxRejectRate,
      kinds,
      files: reports,
      reason_counts: totalReasonCounts(reports),
      order_dates: orderDates,
      ...(plan.ignored.length > 0 ? { ignored: plan.ignored } : {}),
      published: verdict === 'ACCEPTED',
      started_at: startedAt,
      finished_at: now().toISOString(),
    };
    await lake.write(validationReportKey(batchId), `${JSON.stringify(report, null, 2)}\n`, 'application/json');
    // Only inputs whose quarantine copy is confirmed leave landing.
    if (quarantined && options.moveRejectedInputs) await source.delete(quarantined.copied);
    log?.info('validated batch', { batch_id: batchId, verdict, item_ids: state.itemCount, fingerprint_bytes: state.itemFingerprintBytes });
    return report;
  } finally {
    await spills.dispose();
  }
};
