// Reading the cleaned zone for the transform: committed batches, their files per date, and the
// per-batch order index (lake-layout.ts `orderIndexKey`). Only batches with a commit marker exist.
import { PassThrough } from 'node:stream';
import { createGzip, constants } from 'node:zlib';
import { PathReporter } from 'io-ts/PathReporter';
import { BatchRecord } from '../core/batch.js';
import { kpiOrderOf, type KpiOrder } from '../core/kpi-input.js';
import { BATCH_RECORDS_PREFIX, cleanedDatePrefix, cleanedKey, orderIndexKey, parseCleanedKey } from '../core/lake-layout.js';
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

/** The committed batches' files of one kind and date, in seq order (then key). */
export const committedFiles = async (
  lake: BlobStore,
  kind: 'orders' | 'order_items',
  date: string,
  committed: Committed,
): Promise<ReadonlyArray<{ readonly key: string; readonly batch: BatchRecord }>> =>
  (await lake.list(cleanedDatePrefix(kind, date)))
    .flatMap((info) => {
      const parsed = parseCleanedKey(info.key);
      const batch = parsed ? committed.get(parsed.batchId) : undefined;
      return batch ? [{ key: info.key, batch }] : [];
    })
    .sort((a, b) => (a.batch.seq < b.batch.seq ? -1 : a.batch.seq > b.batch.seq ? 1 : 0));

/** Every order line of a batch's file of one date, checked to have the fields the KPIs need. */
export async function* readKpiOrders(lake: BlobStore, key: string): AsyncGenerator<ReadonlyArray<KpiOrder>> {
  let line = 0;
  for await (const lines of gzLineBatches(await lake.read(key))) {
    yield lines.map((text) => {
      line += 1;
      const order = kpiOrderOf(JSON.parse(text));
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

/**
 * Builds a batch's order index from its cleaned orders and stores it, calling `onOrder` for each
 * order on the way (the transform collects the batch's ids in the same pass).
 */
export const writeOrderIndex = async (
  lake: BlobStore,
  batch: BatchRecord,
  onOrder: (orderId: string, date: string) => void = () => undefined,
): Promise<void> => {
  const gzip = createGzip({ level: constants.Z_BEST_SPEED });
  const body = gzip.pipe(new PassThrough());
  const stored = lake.writeStream(orderIndexKey(batch.batch_id), body, 'text/plain');
  try {
    for (const date of [...batch.order_dates].sort()) {
      const key = cleanedKey('orders', batch.batch_id, date);
      if ((await lake.list(key)).length === 0) continue; // a date with items only cannot occur, but is harmless
      for await (const orders of readKpiOrders(lake, key)) {
        let text = '';
        for (const o of orders) {
          onOrder(o.order_id, date);
          text += `${indexLine(date, o.order_id)}\n`;
        }
        if (!gzip.write(text)) await new Promise((ok) => gzip.once('drain', ok));
      }
    }
    gzip.end();
  } catch (error) {
    gzip.destroy(error as Error);
    await stored.catch(() => undefined);
    throw error;
  }
  await stored;
};

export const hasOrderIndex = async (lake: BlobStore, batchId: string): Promise<boolean> =>
  (await lake.list(orderIndexKey(batchId))).some((b) => b.key === orderIndexKey(batchId));

/** A batch's (order id, date) pairs, a chunk at a time; builds the index when it is missing. */
export async function* readOrderIndex(lake: BlobStore, batch: BatchRecord): AsyncGenerator<ReadonlyArray<readonly [string, string]>> {
  const key = orderIndexKey(batch.batch_id);
  if (!(await hasOrderIndex(lake, batch.batch_id))) await writeOrderIndex(lake, batch);
  for await (const lines of gzLineBatches(await lake.read(key))) yield lines.map(parseIndexLine);
}
