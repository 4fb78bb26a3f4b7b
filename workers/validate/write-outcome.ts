// What a verdict writes to the lake: the quarantined rows per kind, then either the cleaned
// partitions (publishBatch: files first, batch record last) or, for a rejected batch, every input
// file copied to quarantine with its reason. Whole files quarantined by an earlier run of this
// batch that this run does not quarantine (rejected before, accepted now) would only mislead.
import type { Verdict, FileReport } from '../core/report.js';
import type { BatchRecord } from '../core/batch.js';
import { quarantineFileKey, quarantineFileReasonKey, quarantineRowsKey } from '../core/lake-layout.js';
import { KINDS } from '../core/records.js';
import { PRODUCTS_PARTITION } from '../core/rows/batch-state.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Logger } from '../io/log.js';
import { publishBatch, type CleanedPartition } from '../io/publish.js';
import { quarantinedFileReason } from '../io/quarantine.js';
import type { SpilledPartition } from '../io/spill.js';
import { quarantinePartition } from './accept-files.js';

export const writeQuarantinedRows = async (lake: BlobStore, batchId: string, spilled: ReadonlyArray<SpilledPartition>): Promise<void> => {
  for (const kind of KINDS) {
    const part = spilled.find((p) => p.id === quarantinePartition(kind));
    if (part) await lake.writeStream(quarantineRowsKey(batchId, kind), part.open(), 'application/gzip');
    else await lake.delete([quarantineRowsKey(batchId, kind)]);
  }
};

export const removeStaleQuarantine = async (lake: BlobStore, batchId: string, verdict: Verdict, reports: ReadonlyArray<FileReport>): Promise<void> => {
  const now = new Set(
    verdict === 'ACCEPTED' ? [] : reports.flatMap((f) => [quarantineFileKey(batchId, f.key), quarantineFileReasonKey(batchId, f.key)]),
  );
  const stale = (await lake.list(quarantineFileKey(batchId, ''))).map((b) => b.key).filter((k) => !now.has(k));
  if (stale.length > 0) await lake.delete(stale);
};

/** The cleaned partitions of the spill: products, and orders and items per order date. */
export const cleanedPartitions = (spilled: ReadonlyArray<SpilledPartition>): CleanedPartition[] =>
  spilled.flatMap((data): CleanedPartition[] => {
    if (data.id === PRODUCTS_PARTITION) return [{ kind: 'products', data }];
    const [kind, date] = data.id.split('|') as [string, string];
    return kind === 'orders' || kind === 'order_items' ? [{ kind, orderDate: date, data }] : [];
  });

export const publishAccepted = async (args: {
  readonly lake: BlobStore;
  readonly batchId: string;
  readonly spilled: ReadonlyArray<SpilledPartition>;
  readonly previous: BatchRecord | undefined;
  readonly sources: ReadonlyArray<string>;
  readonly now: Date;
}): Promise<BatchRecord> => publishBatch({ ...args, partitions: cleanedPartitions(args.spilled) });

export const quarantineRejectedFiles = async (args: {
  readonly source: BlobStore;
  readonly lake: BlobStore;
  readonly batchId: string;
  readonly reports: ReadonlyArray<FileReport>;
  readonly reasons: ReadonlyArray<string>;
  readonly log?: Logger;
}): Promise<void> => {
  const { source, lake, batchId, log } = args;
  for (const f of args.reports) {
    await lake.copyFrom(source, f.key, quarantineFileKey(batchId, f.key)).catch((error: Error) =>
      log?.warn('could not copy file to quarantine', { key: f.key, error: error.message }),
    );
    await lake.write(quarantineFileReasonKey(batchId, f.key), quarantinedFileReason(batchId, f.key, f.file_reason, args.reasons), 'application/json');
  }
};
