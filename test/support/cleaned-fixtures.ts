// Writes cleaned-zone batches the way the validate worker publishes them (records.ts lines under
// lake-layout.ts keys, the commit record last), so the transform is tested without validate.
import { batchSeq, type BatchRecord } from '../../workers/core/batch.js';
import { batchRecordKey, cleanedKey } from '../../workers/core/lake-layout.js';
import type { CleanOrder, CleanOrderItem } from '../../workers/core/records.js';
import type { BlobStore } from '../../workers/io/blob-store.js';
import { ndjsonGzWriter } from '../../workers/io/ndjson-gz.js';
import type { Shop } from './shop.js';

const writeLines = async (lake: BlobStore, key: string, records: ReadonlyArray<unknown>) => {
  const w = ndjsonGzWriter();
  const stored = lake.writeStream(key, w.output);
  for (const r of records) await w.write(r);
  w.end();
  await stored;
};

export const committedAtOf = (n: number): string => `2025-06-${String(n).padStart(2, '0')}T10:00:00.000Z`;

/** Publishes `shop` as batch `batchId`, committed at `committedAt`; returns its record. */
export const publishBatch = async (
  lake: BlobStore,
  batchId: string,
  committedAt: string,
  shop: Shop,
  sources: ReadonlyArray<string> = [],
): Promise<BatchRecord> => {
  const dates = [...new Set(shop.orders.map((o) => o.order_date))].sort();
  const dateOf = new Map(shop.orders.map((o) => [o.order_id, o.order_date]));
  for (const date of dates) {
    const orders: CleanOrder[] = shop.orders
      .filter((o) => o.order_date === date)
      .map((o) => ({ ...o, created_at: `${o.order_date}T08:00:00.000Z`, num_of_item: 1 }));
    const items: CleanOrderItem[] = shop.items
      .filter((i) => dateOf.get(i.order_id) === date)
      .map((i) => ({ ...i, product_id: `p-${i.category}`, order_date: date, status: 'Complete' }));
    await writeLines(lake, cleanedKey('orders', batchId, date), orders);
    if (items.length > 0) await writeLines(lake, cleanedKey('order_items', batchId, date), items);
  }
  const record: BatchRecord = {
    batch_id: batchId,
    seq: batchSeq(committedAt, batchId),
    committed_at: committedAt,
    order_dates: dates,
    sources,
  };
  await lake.write(batchRecordKey(batchId), JSON.stringify(record));
  return record;
};
