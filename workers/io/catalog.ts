// What the lake already holds that validation needs: the committed batch records, and the product
// catalog they publish (the latest seq wins per product id), for UNKNOWN_PRODUCT and categories.
import * as E from 'fp-ts/lib/Either.js';
import { BatchRecord, compareSeq } from '../core/batch.js';
import { BATCH_RECORDS_PREFIX, batchRecordKey, cleanedKey, cleanedKindPrefix } from '../core/lake-layout.js';
import type { BlobStore } from './blob-store.js';
import { readNdjsonGz } from './ndjson-gz.js';

export const readBatchRecord = async (lake: BlobStore, batchId: string): Promise<BatchRecord | undefined> => {
  const bytes = await lake.readSmall(batchRecordKey(batchId));
  if (bytes === undefined) return undefined;
  const decoded = BatchRecord.decode(JSON.parse(bytes.toString('utf8')));
  if (E.isLeft(decoded)) throw new Error(`${batchRecordKey(batchId)} is not a batch record`);
  return decoded.right;
};

/** Every committed batch record, oldest seq first. */
export const committedBatches = async (lake: BlobStore): Promise<ReadonlyArray<BatchRecord>> => {
  const keys = (await lake.list(BATCH_RECORDS_PREFIX)).map((b) => b.key).filter((k) => k.endsWith('.json'));
  const records = await Promise.all(keys.map((k) => readBatchRecord(lake, k.slice(BATCH_RECORDS_PREFIX.length, -'.json'.length))));
  return records.filter((r): r is BatchRecord => r !== undefined).sort((a, b) => compareSeq(a.seq, b.seq));
};

/**
 * product id → category over the products of committed batches, later seq overriding earlier.
 * The batch being validated is left out: a re-run must depend only on its inputs and the others.
 */
export const loadCatalog = async (lake: BlobStore, exceptBatch: string): Promise<Map<string, string>> => {
  const catalog = new Map<string, string>();
  const present = new Set((await lake.list(cleanedKindPrefix('products'))).map((b) => b.key));
  for (const record of await committedBatches(lake)) {
    const key = cleanedKey('products', record.batch_id);
    if (record.batch_id === exceptBatch || !present.has(key)) continue;
    for await (const row of readNdjsonGz(await lake.read(key))) {
      const p = row as { id?: unknown; category?: unknown };
      if (typeof p.id === 'string' && typeof p.category === 'string') catalog.set(p.id, p.category);
    }
  }
  return catalog;
};
