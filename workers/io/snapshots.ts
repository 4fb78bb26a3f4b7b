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
import { SnapshotRecord, type SupersededPart } from '../core/snapshot.js';
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

/** The lines of a published snapshot's data of one kind and part, as byte strings (see core/kpi-input.ts). */
export async function* snapshotLines(lake: BlobStore, kind: 'orders' | 'order_items', date: string, tag: string): AsyncGenerator<ReadonlyArray<string>> {
  yield* gzLineBatches(await lake.read(snapshotDataKey(kind, date, tag)), 'latin1');
}

/**
 * A gzip stream of byte-string lines, stored under `key` as it is written; `tail`, when given, is
 * an existing gzip object whose bytes follow the new member unchanged (concatenated gzip members
 * are one gzip file, RFC 1952): the superseded part is carried forward without being decoded.
 */
const lineUpload = (lake: BlobStore, key: string, tail?: () => Promise<Readable>) => {
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  gzip.on('error', () => undefined); // surfaces through `stored`
  const body = new PassThrough().on('error', () => undefined);
  gzip.pipe(body, { end: tail === undefined });
  // the carried object's stream, closed when the upload fails or is aborted (pipe() leaves it open)
  let carried: Readable | undefined;
  if (tail)
    gzip.once('end', () => {
      tail().then(
        (old) => {
          carried = old;
          old.on('error', (e) => body.destroy(e)).pipe(body);
        },
        (e: Error) => body.destroy(e),
      );
    });
  const stored = lake.writeStream(key, body as Readable, 'application/gzip');
  stored.catch(() => carried?.destroy());
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
      carried?.destroy();
      await stored.catch(() => undefined);
    },
  };
};

type SnapshotKind = 'orders' | 'order_items';

export interface SnapshotWriter {
  /** Latest versions. */
  orders(lines: ReadonlyArray<string>): Promise<void>;
  items(lines: ReadonlyArray<string>): Promise<void>;
  /** Versions superseded by now, read in this recompute (the carried part is not among them). */
  superseded(kind: SnapshotKind, lines: ReadonlyArray<string>): Promise<void>;
  /** Finishes the data objects, then publishes the record; returns it. */
  publish(fields: Omit<SnapshotRecord, 'order_date' | 'tag' | 'superseded'>): Promise<SnapshotRecord>;
  abort(error: Error): Promise<void>;
}

/** A fresh name for data written before the record that names it (a snapshot's parts, the compacted catalog). */
export const freshTag = (): string => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/**
 * `carried`: the previous snapshot's superseded part, not read by this recompute; it stays as it
 * is when nothing new is superseded, or becomes the tail of the new part's objects.
 */
export const snapshotWriter = (lake: BlobStore, date: string, carried?: SupersededPart): SnapshotWriter => {
  const tag = freshTag();
  const orders = lineUpload(lake, snapshotDataKey('orders', date, tag));
  const items = lineUpload(lake, snapshotDataKey('order_items', date, tag));
  // the superseded part opens at its first line (most recomputes supersede nothing new)
  let side: { readonly tag: string; readonly uploads: Record<SnapshotKind, ReturnType<typeof lineUpload>>; readonly counts: Record<SnapshotKind, number> } | undefined;
  const openSide = () => {
    if (side) return side;
    const sideTag = freshTag();
    const upload = (kind: SnapshotKind) =>
      lineUpload(lake, snapshotDataKey(kind, date, sideTag), carried ? () => lake.read(snapshotDataKey(kind, date, carried.tag)) : undefined);
    return (side = { tag: sideTag, uploads: { orders: upload('orders'), order_items: upload('order_items') }, counts: { orders: 0, order_items: 0 } });
  };
  return {
    orders: orders.write,
    items: items.write,
    superseded: async (kind, lines) => {
      if (lines.length === 0) return;
      const s = openSide();
      s.counts[kind] += lines.length;
      await s.uploads[kind].write(lines);
    },
    publish: async (fields) => {
      await Promise.all([orders.end(), items.end(), side?.uploads.orders.end(), side?.uploads.order_items.end()]);
      const superseded: SupersededPart | undefined = side
        ? { tag: side.tag, orders: side.counts.orders + (carried?.orders ?? 0), items: side.counts.order_items + (carried?.items ?? 0) }
        : carried;
      const record: SnapshotRecord = { order_date: date, tag, ...fields, ...(superseded ? { superseded } : {}) };
      await lake.write(snapshotRecordKey(date), `${JSON.stringify(record, null, 2)}\n`, 'application/json');
      return record;
    },
    abort: async (error) => {
      await Promise.all([orders.abort(error), items.abort(error), side?.uploads.orders.abort(error), side?.uploads.order_items.abort(error)]);
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
