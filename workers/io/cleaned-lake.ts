// Reading the cleaned zone for the transform: committed batches, their files per date, and the
// per-batch order index (lake-layout.ts `orderIndexKey`). Only batches with a commit marker exist.
import { PassThrough } from 'node:stream';
import { createGzip, constants } from 'node:zlib';
import { PathReporter } from 'io-ts/PathReporter';
import { BatchRecord } from '../core/batch.js';
import { kpiOrderOfLine, type KpiOrder } from '../core/kpi-input.js';
import { BATCH_RECORDS_PREFIX, cleanedKey, cleanedKindPrefix, orderIndexKey, parseCleanedKey } from '../core/lake-layout.js';
import type { BlobStore } from './blob-store.js';
import { gzLineBatches } from './gz-lines.js';

export type Committed = ReadonlyMap<string, BatchRecord>;

/** Runs `f` over `xs` with at most `limit` calls in flight, results in input order. */
export const mapLimit = async <A, B>(xs: ReadonlyArray<A>, limit: number, f: (a: A) => Promise<B>): Promise<B[]> => {
  const out = new Array<B>(xs.length);
  let next = 0;
  const worker = async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await f(xs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, worker));
  return out;
};

export const loadCommittedBatches = async (lake: BlobStore): Promise<Committed> => {
  const keys = (await lake.list(BATCH_RECORDS_PREFIX)).map((b) => b.key).filter((k) => k.endsWith('.json'));
  const records = await mapLimit(keys, 16, async (key) => {
    const body = await lake.readSmall(key);
    if (body === undefined) throw new Error(`batch record ${key} vanished while listing`);
    const decoded = BatchRecord.decode(JSON.parse(body.toString('utf8')));
    if (decoded._tag === 'Left') throw new Error(`bad batch record ${key}: ${PathReporter.report(decoded).join('; ')}`);
    return decoded.right;
  });
  return new Map(records.map((r) => [r.batch_id, r]));
};

export interface CommittedFile {
  readonly key: string;
  readonly batch: BatchRecord;
  /** Its size in bytes as listed: small files are read whole (io/gz-lines.ts). */
  readonly size: number;
}

/**
 * The committed batches' files of one kind, by date, each date's in seq order. One listing of the
 * kind (a few pages on S3) instead of one per date.
 */
export const committedFilesByDate = async (
  lake: BlobStore,
  kind: 'orders' | 'order_items',
  committed: Committed,
): Promise<ReadonlyMap<string, ReadonlyArray<CommittedFile>>> => {
  const byDate = new Map<string, CommittedFile[]>();
  for (const info of await lake.list(cleanedKindPrefix(kind))) {
    const parsed = parseCleanedKey(info.key);
    const batch = parsed?.orderDate !== undefined ? committed.get(parsed.batchId) : undefined;
    if (!batch || parsed?.orderDate === undefined) continue;
    const files = byDate.get(parsed.orderDate);
    const file = { key: info.key, batch, size: info.size };
    if (files) files.push(file);
    else byDate.set(parsed.orderDate, [file]);
  }
  for (const files of byDate.values()) files.sort((a, b) => (a.batch.seq < b.batch.seq ? -1 : a.batch.seq > b.batch.seq ? 1 : 0));
  return byDate;
};

/** Every order line of a batch's file of one date, checked to have the fields the KPIs need. */
export async function* readKpiOrders(lake: BlobStore, key: string): AsyncGenerator<ReadonlyArray<KpiOrder>> {
  let line = 0;
  for await (const lines of gzLineBatches(await lake.read(key), 'latin1')) {
    yield lines.map((text) => {
      line += 1;
      const order = kpiOrderOfLine(text);
      if (!order) throw new Error(`${key}:${line}: not a cleaned order`);
      return order;
    });
  }
}

// ---- the order index --------------------------------------------------------------------------

const indexLine = (date: string, orderId: string): string => `${date}${JSON.stringify(orderId)}`;
const parseIndexLine = (line: string): readonly [id: string, date: string] => {
  const date = line.slice(0, 10);
  const quoted = line.slice(10);
  return [quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1), date];
};

export interface OrderIndexWriter {
  /** Appends orders of one date. */
  add(date: string, orderIds: ReadonlyArray<string>): Promise<void>;
  /** Stores the index; it becomes visible only now (atomic rename locally, one upload in S3). */
  close(): Promise<void>;
  /** Drops a partial index after a failure. */
  abort(error: Error): Promise<void>;
}

/**
 * Where a transform writes a batch's new index until its KPIs are stored: the previous index stays
 * in place meanwhile, so a crash before the KPI writes leaves the re-run knowing every date the
 * batch ever published (see computeKpis).
 */
const pendingOrderIndexKey = (batchId: string): string => `${orderIndexKey(batchId)}.pending`;

/** Makes the index written by `orderIndexWriter(lake, batchId, { pending: true })` the batch's index. */
export const publishOrderIndex = async (lake: BlobStore, batchId: string): Promise<void> => {
  await lake.copyFrom(lake, pendingOrderIndexKey(batchId), orderIndexKey(batchId));
  await lake.delete([pendingOrderIndexKey(batchId)]);
};

export const orderIndexWriter = (lake: BlobStore, batchId: string, options: { readonly pending: boolean }): OrderIndexWriter => {
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  gzip.on('error', () => undefined); // abort's own error; surfaces through `stored`
  const key = options.pending ? pendingOrderIndexKey(batchId) : orderIndexKey(batchId);
  const body = gzip.pipe(new PassThrough()).on('error', () => undefined);
  const stored = lake.writeStream(key, body, 'text/plain');
  stored.catch(() => undefined); // observed by close/abort
  // A failed upload stops consuming: a writer waiting for 'drain' must hear of it.
  const failed = stored.then(() => new Promise<never>(() => undefined));
  failed.catch(() => undefined);
  return {
    add: async (date, orderIds) => {
      let text = '';
      for (const id of orderIds) text += `${indexLine(date, id)}\n`;
      if (!gzip.write(text)) await Promise.race([new Promise((ok) => gzip.once('drain', ok)), failed]);
    },
    close: async () => {
      gzip.end();
      await stored;
    },
    abort: async (error) => {
      // pipe() does not pass a destroy on: the store's reader must see the error itself
      gzip.destroy(error);
      body.destroy(error);
      await stored.catch(() => undefined);
    },
  };
};

/**
 * Builds a batch's order index from its cleaned orders and stores it (as pending: see
 * publishOrderIndex), calling `onOrder` for each order on the way (the transform collects the
 * batch's ids in the same pass).
 */
export const writeOrderIndex = async (
  lake: BlobStore,
  batch: BatchRecord,
  options: {
    readonly pending: boolean;
    readonly onOrder?: (orderId: string, date: string) => void;
    /** The lake's cleaned order keys, when the caller has listed them already. */
    readonly present?: ReadonlySet<string>;
  },
): Promise<void> => {
  const keys = options.present ?? new Set((await lake.list(cleanedKindPrefix('orders'))).map((b) => b.key));
  const onOrder = options.onOrder ?? (() => undefined);
  const index = orderIndexWriter(lake, batch.batch_id, { pending: options.pending });
  try {
    for (const date of [...batch.order_dates].sort()) {
      const key = cleanedKey('orders', batch.batch_id, date);
      if (!keys.has(key)) continue; // a date with items only cannot occur, but is harmless
      for await (const orders of readKpiOrders(lake, key)) {
        for (const o of orders) onOrder(o.order_id, date);
        await index.add(date, orders.map((o) => o.order_id));
      }
    }
  } catch (error) {
    await index.abort(error as Error);
    throw error;
  }
  await index.close();
};

export const hasOrderIndex = async (lake: BlobStore, batchId: string): Promise<boolean> =>
  (await lake.list(orderIndexKey(batchId))).some((b) => b.key === orderIndexKey(batchId));

/** The order index keys present: one listing, for callers reading many batches' indexes. */
export const presentOrderIndexes = async (lake: BlobStore): Promise<Set<string>> =>
  new Set((await lake.list(orderIndexKey('').slice(0, orderIndexKey('').lastIndexOf('/') + 1))).map((b) => b.key));

/**
 * A batch's (order id, date) pairs, a chunk at a time; builds the index when it is missing.
 * `present` (from presentOrderIndexes) saves a listing per call, and learns the built index.
 */
export async function* readOrderIndex(lake: BlobStore, batch: BatchRecord, present?: Set<string>): AsyncGenerator<ReadonlyArray<readonly [string, string]>> {
  const key = orderIndexKey(batch.batch_id);
  const exists = present ? present.has(key) : await hasOrderIndex(lake, batch.batch_id);
  if (!exists) {
    await writeOrderIndex(lake, batch, { pending: false });
    present?.add(key);
  }
  for await (const lines of gzLineBatches(await lake.read(key))) yield lines.map(parseIndexLine);
}
