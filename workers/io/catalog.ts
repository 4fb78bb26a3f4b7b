// What the lake already holds that validation needs: the committed batch records, and the product
// catalog they publish (the latest seq wins per product id), for UNKNOWN_PRODUCT and categories;
// the transform reads the same catalog for the analytics products table and compacts it.
import * as E from 'fp-ts/lib/Either.js';
import { BatchRecord, compareSeq } from '../core/batch.js';
import { constants, gzipSync } from 'node:zlib';
import { type CatalogEntry, CatalogRecord, catalogStands, offerProduct } from '../core/catalog-snapshot.js';
import { plainStringField } from '../core/flat-json-fields.js';
import {
  BATCH_RECORDS_PREFIX,
  batchRecordKey,
  CATALOG_RECORD_KEY,
  CATALOG_SNAPSHOT_PREFIX,
  catalogSnapshotKey,
  cleanedKey,
  cleanedKindPrefix,
} from '../core/lake-layout.js';
import { seqOfLine, withoutSeq, withSeq } from '../core/snapshot.js';
import type { BlobStore } from './blob-store.js';
import { gzObjectLines } from './gz-lines.js';
import { freshTag } from './snapshots.js';

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

/** What a run knows of the current catalog: every product's latest version, and where it came from. */
export interface CurrentCatalog {
  readonly entries: ReadonlyMap<string, CatalogEntry>;
  /** Committed batches, oldest seq first. */
  readonly batches: ReadonlyArray<BatchRecord>;
  /** The snapshot it started from, when one stood. */
  readonly snapshot: CatalogRecord | undefined;
  /** The batches whose products files were read (the snapshot did not cover them). */
  readonly read: ReadonlyArray<BatchRecord>;
}

const readCatalogRecord = async (lake: BlobStore): Promise<CatalogRecord | undefined> => {
  const body = await lake.readSmall(CATALOG_RECORD_KEY);
  if (body === undefined) return undefined;
  const decoded = CatalogRecord.decode(JSON.parse(body.toString('utf8')));
  if (E.isLeft(decoded)) throw new Error(`${CATALOG_RECORD_KEY} is not a catalog record`);
  return decoded.right;
};

const idOf = (key: string, n: number, line: string): string => {
  const id = plainStringField(line, 'id') ?? (JSON.parse(line) as { id?: unknown }).id;
  if (typeof id !== 'string') throw new Error(`${key}:${n}: not a cleaned product`);
  return id;
};

/**
 * The current catalog over the committed batches but `except` (a re-run must depend only on its
 * inputs and the others): the compacted snapshot where it stands, plus the products files of the
 * batches it does not cover; every file when it does not stand (core/catalog-snapshot.ts).
 */
export const currentCatalog = async (lake: BlobStore, except?: string): Promise<CurrentCatalog> => {
  const [batches, listed, record] = await Promise.all([committedBatches(lake), lake.list(cleanedKindPrefix('products')), readCatalogRecord(lake)]);
  const sizes = new Map(listed.map((b) => [b.key, b.size]));
  const committed = new Map(batches.map((b) => [b.batch_id, b]));
  const entries = new Map<string, CatalogEntry>();
  const snapshot = catalogStands(record, committed, except) ? record : undefined;
  if (snapshot) {
    const key = catalogSnapshotKey(snapshot.tag);
    let n = 0;
    for await (const lines of gzObjectLines(lake, key, sizes.get(key) ?? Infinity)) {
      for (const line of lines) {
        n++;
        const seq = seqOfLine(line);
        if (seq === undefined) throw new Error(`${key}:${n}: not a catalog line`);
        offerProduct(entries, idOf(key, n, line), { seq, line: withoutSeq(line) });
      }
    }
  }
  const read: BatchRecord[] = [];
  for (const batch of batches) {
    const key = cleanedKey('products', batch.batch_id);
    const size = sizes.get(key);
    if (batch.batch_id === except || size === undefined || snapshot?.covers[batch.batch_id] !== undefined) continue;
    read.push(batch);
    let n = 0;
    for await (const lines of gzObjectLines(lake, key, size)) for (const line of lines) offerProduct(entries, idOf(key, ++n, line), { seq: batch.seq, line });
  }
  return { entries, batches, snapshot, read };
};

/**
 * product id → category over the products of committed batches, later seq overriding earlier.
 * The batch being validated is left out: a re-run must depend only on its inputs and the others.
 */
export const loadCatalog = async (lake: BlobStore, exceptBatch: string): Promise<Map<string, string>> => {
  const catalog = new Map<string, string>();
  for (const [id, { line }] of (await currentCatalog(lake, exceptBatch)).entries) {
    const category = plainStringField(line, 'category') ?? (JSON.parse(line) as { category?: unknown }).category;
    if (typeof category === 'string') catalog.set(id, category);
  }
  return catalog;
};

/**
 * Publishes `current` as the compacted catalog when it read any products file (else the standing
 * snapshot already says it): data under a fresh tag, then the record, then older data removed.
 * Call under the pipeline's lock (the transform), with a catalog read without `except`.
 */
export const compactCatalog = async (lake: BlobStore, current: CurrentCatalog, writtenBy: string): Promise<boolean> => {
  if (current.snapshot && current.read.length === 0) return false;
  const tag = freshTag();
  const ids = [...current.entries.keys()].sort();
  let text = '';
  for (const id of ids) {
    const { line, seq } = current.entries.get(id)!;
    text += `${withSeq(line, seq)}\n`;
  }
  await lake.write(catalogSnapshotKey(tag), gzipSync(Buffer.from(text, 'utf8'), { level: constants.Z_BEST_SPEED }), 'application/gzip');
  const covers = Object.fromEntries(
    current.batches.filter((b) => current.snapshot?.covers[b.batch_id] !== undefined || current.read.includes(b)).map((b) => [b.batch_id, b.committed_at]),
  );
  const record: CatalogRecord = { tag, covers, products: ids.length, written_by: writtenBy };
  await lake.write(CATALOG_RECORD_KEY, `${JSON.stringify(record, null, 2)}\n`, 'application/json');
  const older = (await lake.list(CATALOG_SNAPSHOT_PREFIX)).map((b) => b.key).filter((k) => k !== catalogSnapshotKey(tag));
  if (older.length > 0) await lake.delete(older);
  return true;
};
