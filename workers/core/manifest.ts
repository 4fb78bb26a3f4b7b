// A batch is an exact set of landing files. The aggregator builds this from S3 listings, the
// validate worker reads it (BATCH_MANIFEST / --manifest), and the batch id is derived from it, so
// the same files always make the same batch and at-least-once events cannot start a batch twice.
import { createHash } from 'node:crypto';
import * as t from 'io-ts';

export const BatchFile = t.intersection([
  t.type({
    /** Key relative to the landing root, e.g. `orders/part-1.csv`. */
    key: t.string,
  }),
  t.partial({ etag: t.string, size: t.number }),
]);
export type BatchFile = t.TypeOf<typeof BatchFile>;

export const BatchManifest = t.type({
  batch_id: t.string,
  files: t.readonlyArray(BatchFile),
});
export type BatchManifest = t.TypeOf<typeof BatchManifest>;

/**
 * `b-` + 32 hex chars of SHA-256 over the sorted `key\tetag` lines: a valid Step Functions
 * execution name (≤ 80 chars of [A-Za-z0-9-_]) and a safe S3 path segment.
 */
export const batchIdOf = (files: ReadonlyArray<BatchFile>): string => {
  const lines = files.map((f) => `${f.key}\t${f.etag ?? ''}`).sort();
  return `b-${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32)}`;
};
