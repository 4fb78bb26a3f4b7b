// The commit protocol of the cleaned zone (README "Data contracts"): cleaned files first, then
// this batch's files removed from partitions it no longer writes, then the batch record LAST. A
// reader that sees no record sees nothing of the batch; a crash anywhere before the record leaves
// the previous state visible.
import { batchRecordKey, cleanedKey } from '../core/lake-layout.js';
import { crashPoint } from './crash-point.js';
import { batchSeq, type BatchRecord } from '../core/batch.js';
import type { Kind } from '../core/records.js';
import type { BlobStore } from './blob-store.js';
import type { SpilledPartition } from './spill.js';

// Thousands of date partitions (four years of orders) are mostly small: many at once, each small
// one in a single PUT from one buffer, so publishing stays seconds and memory stays
// CONCURRENCY × SMALL_PARTITION at most (large ones stream in 5 MB parts).
const CONCURRENCY = 16;
const SMALL_PARTITION = 4 * 1024 * 1024;

const inParallel = async <A>(items: ReadonlyArray<A>, limit: number, run: (a: A) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

export interface CleanedPartition {
  readonly kind: Kind;
  /** undefined for products. */
  readonly orderDate?: string;
  readonly data: SpilledPartition;
}

export const publishBatch = async (args: {
  readonly lake: BlobStore;
  readonly batchId: string;
  readonly partitions: ReadonlyArray<CleanedPartition>;
  readonly previous: BatchRecord | undefined;
  readonly sources: ReadonlyArray<string>;
  readonly now: Date;
}): Promise<BatchRecord> => {
  const { lake, batchId, partitions, previous } = args;
  const written = new Set(partitions.map((p) => cleanedKey(p.kind, batchId, p.orderDate)));
  await inParallel(partitions, CONCURRENCY, async (p) => {
    const key = cleanedKey(p.kind, batchId, p.orderDate);
    if (p.data.bytes <= SMALL_PARTITION) await lake.write(key, await p.data.read(), 'application/gzip');
    else await lake.writeStream(key, p.data.open(), 'application/gzip');
  });
  const orderDates = [...new Set(partitions.flatMap((p) => (p.orderDate === undefined ? [] : [p.orderDate])))].sort();
  const stale = [...new Set([...(previous?.order_dates ?? []), ...orderDates])]
    .flatMap((d) => [cleanedKey('orders', batchId, d), cleanedKey('order_items', batchId, d)])
    .concat(previous ? [cleanedKey('products', batchId)] : [])
    .filter((k) => !written.has(k));
  if (stale.length > 0) await lake.delete(stale);
  const committedAt = args.now.toISOString();
  const record: BatchRecord = {
    batch_id: batchId,
    seq: previous?.seq ?? batchSeq(committedAt, batchId),
    committed_at: committedAt,
    order_dates: orderDates,
    sources: [...args.sources],
  };
  crashPoint('validate:before-record');
  await lake.write(batchRecordKey(batchId), `${JSON.stringify(record, null, 2)}\n`, 'application/json');
  return record;
};
