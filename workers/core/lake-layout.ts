// Where everything lives in the lake (DESIGN §6). Keys are relative to the lake root, which is a
// local directory or `s3://bucket/prefix`; adapters join them. One place, so the validate worker,
// the transform worker, the demo and the tests can never disagree about a path.
import type { Kind } from './records.js';

const partition = (date: string) => `order_date=${date}`;

/**
 * Cleaned rows of one batch. Orders and items are partitioned by the order's UTC date; products
 * form the catalog. One file per (kind, date, batch), named by batch id, so re-running a batch
 * overwrites its own files and nothing else.
 */
export const cleanedKey = (kind: Kind, batchId: string, orderDate?: string): string =>
  kind === 'products'
    ? `cleaned/products/${batchId}.ndjson.gz`
    : `cleaned/${kind}/${partition(orderDate ?? '')}/${batchId}.ndjson.gz`;

export const cleanedKindPrefix = (kind: Kind): string => `cleaned/${kind}/`;
export const cleanedDatePrefix = (kind: Exclude<Kind, 'products'>, date: string): string =>
  `cleaned/${kind}/${partition(date)}/`;

/** Parses `cleaned/<kind>/order_date=YYYY-MM-DD/<batch>.ndjson.gz` back into its parts. */
export const parseCleanedKey = (
  key: string,
): { kind: Kind; orderDate?: string; batchId: string } | undefined => {
  const dated = /^cleaned\/(orders|order_items)\/order_date=(\d{4}-\d{2}-\d{2})\/([^/]+)\.ndjson\.gz$/.exec(key);
  if (dated) return { kind: dated[1] as Kind, orderDate: dated[2]!, batchId: dated[3]! };
  const catalog = /^cleaned\/products\/([^/]+)\.ndjson\.gz$/.exec(key);
  if (catalog) return { kind: 'products', batchId: catalog[1]! };
  return undefined;
};

/**
 * The commit marker of a batch. Cleaned files whose batch has no record here are invisible to the
 * transform: a crashed or rejected validation can leave files behind without publishing them.
 */
export const batchRecordKey = (batchId: string): string => `cleaned/_batches/${batchId}.json`;
export const BATCH_RECORDS_PREFIX = 'cleaned/_batches/';

export const quarantineRowsKey = (batchId: string, kind: Kind): string =>
  `quarantine/${batchId}/rows/${kind}.ndjson.gz`;
/** A whole quarantined file keeps its source key under the batch; the reason sits beside it. */
export const quarantineFileKey = (batchId: string, sourceKey: string): string =>
  `quarantine/${batchId}/files/${sourceKey}`;
export const quarantineFileReasonKey = (batchId: string, sourceKey: string): string =>
  `quarantine/${batchId}/files/${sourceKey}.reason.json`;

export const archiveKey = (batchId: string, sourceKey: string): string => `archive/${batchId}/${sourceKey}`;
export const archivePrefix = (batchId: string): string => `archive/${batchId}/`;

export const validationReportKey = (batchId: string): string => `reports/${batchId}/validation.json`;
export const transformReportKey = (batchId: string): string => `reports/${batchId}/transform.json`;

/**
 * Derived by the transform: one line per order of a committed batch, `<order_date><JSON id>`, so
 * finding the other versions of a batch's orders reads a few bytes per order instead of every
 * cleaned order file. Rebuilt from the batch's cleaned orders whenever the batch is transformed.
 */
export const orderIndexKey = (batchId: string): string => `cleaned/_order_index/${batchId}.txt.gz`;

/**
 * The analytics lake (DESIGN §13): one Parquet object per dataset and date at a fixed key, so a
 * rewrite is one PUT and a reader sees the old file or the new one; the catalog is one object.
 */
export const ANALYTICS_PREFIX = 'analytics/';
export const analyticsKey = (dataset: 'orders' | 'order_items' | 'order_kpis' | 'category_kpis' | 'products', orderDate?: string): string =>
  dataset === 'products' ? `${ANALYTICS_PREFIX}products/data.parquet` : `${ANALYTICS_PREFIX}${dataset}/${partition(orderDate ?? '')}/data.parquet`;
// ---- compaction (see core/snapshot.ts) ---------------------------------------------------------

/**
 * A date's compacted snapshot data: the latest version of every order of the date (orders) and
 * their items, each line with the `seq` of its version. A fresh `tag` per write, so writing a new
 * snapshot never touches the published one; the snapshot record names the tag that counts. Under
 * `_snapshot/`, so parseCleanedKey never takes it for a batch's file.
 */
export const snapshotDataKey = (kind: Exclude<Kind, 'products'>, date: string, tag: string): string =>
  `cleaned/${kind}/${partition(date)}/_snapshot/${tag}.ndjson.gz`;

/** `cleaned/<kind>/order_date=D/_snapshot/<tag>.ndjson.gz` back into its parts. */
export const parseSnapshotDataKey = (key: string): { kind: Exclude<Kind, 'products'>; orderDate: string; tag: string } | undefined => {
  const m = /^cleaned\/(orders|order_items)\/order_date=(\d{4}-\d{2}-\d{2})\/_snapshot\/([^/]+)\.ndjson\.gz$/.exec(key);
  return m ? { kind: m[1] as 'orders' | 'order_items', orderDate: m[2]!, tag: m[3]! } : undefined;
};

/**
 * The compacted catalog (core/catalog-snapshot.ts): the latest version of every product over the
 * batches its record covers, each line with its batch's seq. Under `_catalog/`, so
 * parseCleanedKey never takes it for a batch's products file.
 */
export const CATALOG_SNAPSHOT_PREFIX = 'cleaned/products/_catalog/';
export const catalogSnapshotKey = (tag: string): string => `${CATALOG_SNAPSHOT_PREFIX}${tag}.ndjson.gz`;
export const CATALOG_RECORD_KEY = 'cleaned/_catalog.json';

/** The publication record of a date's snapshot, written after its data: the snapshot exists only through it. */
export const snapshotRecordKey = (date: string): string => `cleaned/_snapshots/${partition(date)}.json`;

/**
 * Written when a batch's transform has stored its KPIs and published its order index, for the
 * commit it transformed: from then on its per-batch files may be removed once a snapshot covers
 * them (before that, a re-run of its transform rebuilds its order index from them).
 */
export const settledKey = (batchId: string, committedAt: string): string => `cleaned/_settled/${batchId}/${committedAt}.json`;
export const SETTLED_PREFIX = 'cleaned/_settled/';
export const parseSettledKey = (key: string): { batchId: string; committedAt: string } | undefined => {
  const m = /^cleaned\/_settled\/([^/]+)\/([^/]+)\.json$/.exec(key);
  return m ? { batchId: m[1]!, committedAt: m[2]! } : undefined;
};
