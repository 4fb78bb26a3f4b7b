// What a verdict writes to the lake: the quarantined rows per kind, then the cleaned partitions
// of an accepted batch (publishBatch: files first, batch record last); a rejected batch's inputs go
// through quarantine-inputs.ts. Whole files quarantined by an earlier run of this
// batch that this run does not quarantine (rejected before, accepted now) would only mislead.
import type { Verdict, FileReport } from '../core/report.js';
import type { BatchRecord } from '../core/batch.js';
import { quarantineFileKey, quarantineFileReasonKey, quarantineRowsKey } from '../core/lake-layout.js';
import { KINDS } from '../core/records.js';
import { PRODUCTS_PARTITION } from '../core/rows/batch-state.js';
import type { BlobStore } from '../io/blob-store.js';
import { publishBatch, type CleanedPartition } from '../io/publish.js';
import type { SpilledPartition } from '../io/spill.js';

/** The quarantine spill has one partition per kind. */
export const writeQuarantinedRows = async (lake: BlobStore, batchId: string, spilled: ReadonlyArray<SpilledPartition>): Promise<void> => {
  for (const kind of KINDS) {
    const part = spilled.find((p) => p.id === kind);
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
const cleanedPartitions = (spilled: ReadonlyArray<SpilledPartition>): CleanedPartition[] =>
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
