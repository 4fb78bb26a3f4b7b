// Reading and writing the cleaned zone's per-date snapshots (core/snapshot.ts) and the settled
// markers. A snapshot is published like a batch: its two data objects first, under a fresh tag,
// then its record; a reader that sees no (new) record sees the previous state whole.
import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';
import { PathReporter } from 'io-ts/PathReporter';
import type { BatchRecord } from '../core/batch.js';
import {
  cleanedKindPrefix,
  parseCleanedKey,
  parseSettledKey,
  parseSnapshotDataKey,
  SETTLED_PREFIX,
  settledKey,
  snapshotDataKey,
  snapshotRecordKey,
} from '../core/lake-layout.js';
import { SnapshotRecord } from '../core/snapshot.js';
import type { BlobStore } from './blob-store.js';
import type { Committed, CommittedFile } from './cleaned-lake.js';
import { gzLineBatches } from './gz-lines.js';

/** What one listing of the cleaned zone shows of a date. */
export interface DatePartition {
  /** Committed batches' files, each kind in seq order. */
  readonly orders: CommittedFile[];
  readonly items: CommittedFile[];
  /** Snapshot data objects present (published or not). */
  readonly snapshotData: Array<{ readonly key: string; readonly tag: string }>;
}

/** One listing per kind: every date's per-batch files and snapshot data. */
export const listDatePartitions = async (lake: BlobStore, committed: Committed): Promise<ReadonlyMap<string, DatePartition>> => {
  const byDate = new Map<string, DatePartition>();
  const partitionOf = (date: string) => {
    let p = byDate.get(date);
    if (!p) byDate.set(date, (p = { orders: [], items: [], snapshotData: [] }));
    return p;
  };
  for (const kind of ['orders', 'order_items'] as const) {
    for (const info of await lake.list(cleanedKindPrefix(kind))) {
      const snapshot = parseSnapshotDataKey(info.key);
      if (snapshot) {
        partitionOf(snapshot.orderDate).snapshotData.push({ key: info.key, tag: snapshot.tag });
        continue;
      }
      const parsed = parseCleanedKey(info.key);
      const batch = parsed?.orderDate !== undefined ? committed.get(parsed.batchId) : undefined;
      if (!batch || parsed?.orderDate === undefined) continue;
      const p = partitionOf(parsed.orderDate);
      (kind === 'orders' ? p.orders : p.items).push({ key: info.key, batch, size: info.size });
    }
  }
  const bySeq = (a: CommittedFile, b: CommittedFile) => (a.batch.seq < b.batch.seq ? -1 : a.batch.seq > b.batch.seq ? 1 : 0);
  for (const p of byDate.values()) {
    p.orders.sort(bySeq);
    p.items.sort(bySeq);
  }
  return byDate;
};

export const readSnapshotRecord = async (lake: BlobStore, date: string): Promise<SnapshotRecord | undefined> => {
  const body = await lake.readSmall(snapshotRecordKey(date));
  if (body === undefined) return undefined;
  const decoded = SnapshotRecord.decode(JSON.parse(body.toString('utf8')));
  if (decoded._tag === 'Left') throw new Error(`bad snapshot record ${snapshotRecordKey(date)}: ${PathReporter.report(decoded).join('; ')}`);
  return decoded.right;
};

/** The lines of a published snapshot's data of one kind, as byte strings (see core/kpi-input.ts). */
export async function* snapshotLines(lake: BlobStore, kind: 'orders' | 'order_items', record: SnapshotRecord): AsyncGenerator<ReadonlyArray<string>> {
  yield* gzLineBatches(await lake.read(snapshotDataKey(kind, record.order_date, record.tag)), 'latin1');
}

/** A gzip stream of byte-string lines, stored under `key` as it is written. */
const lineUpload = (lake: BlobStore, key: string) => {
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  gzip.on('error', () => undefined); // surfaces through `stored`
  const body = gzip.pipe(new PassThrough()).on('error', () => undefined);
  const stored = lake.writeStream(key, body as Readable, 'application/gzip');
  // A failed upload stops consuming: writers waiting for 'drain' must hear of it.
  const failed = stored.then(
    () => new Promise<never>(() => undefined),
    (error: Error) => Promise.reject(error),
  );
  failed.catch(() => undefined);
  return {
    write: async (lines: ReadonlyArray<string>) => {
      if (lines.length === 0) return;
      let text = '';
      for (const line of lines) text += `${line}\n`;
      if (!gzip.write(Buffer.from(text, 'latin1'))) await Promise.race([new Promise((ok) => gzip.once('drain', ok)), failed]);
    },
    end: async () => {
      gzip.end();
      await stored;
    },
    abort: async (error: Error) => {
      // pipe() does not pass a destroy on: the store's reader must see the error itself
      gzip.destroy(error);
      body.destroy(error);
      await stored.catch(() => undefined);
    },
  };
};

export interface SnapshotWriter {
  orders(lines: ReadonlyArray<string>): Promise<void>;
  items(lines: ReadonlyArray<string>): Promise<void>;
  /** Finishes both data objects, then publishes the record; returns it. */
  publish(fields: Omit<SnapshotRecord, 'order_date' | 'tag'>): Promise<SnapshotRecord>;
  abort(error: Error): Promise<void>;
}

export const snapshotWriter = (lake: BlobStore, date: string): SnapshotWriter => {
  const tag = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const orders = lineUpload(lake, snapshotDataKey('orders', date, tag));
  const items = lineUpload(lake, snapshotDataKey('order_items', date, tag));
  return {
    orders: orders.write,
    items: items.write,
    publish: async (fields) => {
      await Promise.all([orders.end(), items.end()]);
      const record: SnapshotRecord = { order_date: date, tag, ...fields };
      await lake.write(snapshotRecordKey(date), `${JSON.stringify(record, null, 2)}\n`, 'application/json');
      return record;
    },
    abort: async (error) => {
      await Promise.all([orders.abort(error), items.abort(error)]);
    },
  };
};

// ---- settled markers --------------------------------------------------------------------------

export type Settled = (batchId: string, committedAt: string) => boolean;

/** Which (batch, commit) pairs have settled: one listing. */
export const loadSettled = async (lake: BlobStore): Promise<Settled> => {
  const pairs = new Set<string>();
  for (const info of await lake.list(SETTLED_PREFIX)) {
    const parsed = parseSettledKey(info.key);
    if (parsed) pairs.add(`${parsed.batchId}\n${parsed.committedAt}`);
  }
  return (batchId, committedAt) => pairs.has(`${batchId}\n${committedAt}`);
};

/** Marks the batch settled at its current commit and drops its markers of earlier commits. */
export const markSettled = async (lake: BlobStore, batch: BatchRecord): Promise<void> => {
  const key = settledKey(batch.batch_id, batch.committed_at);
  await lake.write(key, `${JSON.stringify({ batch_id: batch.batch_id, committed_at: batch.committed_at })}\n`, 'application/json');
  const older = (await lake.list(`${SETTLED_PREFIX}${batch.batch_id}/`)).map((b) => b.key).filter((k) => k !== key);
  if (older.length > 0) await lake.delete(older);
};
