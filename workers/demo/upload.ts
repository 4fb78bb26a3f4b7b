// The shop's files as a sequence of uploads: products, then orders, then items (the aggregator
// logs what it is still missing until the last kind lands), every other file gzipped on the way
// so one batch mixes plain and .gz parts of whatever formats the shop wrote.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KINDS } from '../core/records.js';

export interface PlannedUpload {
  /** File under the shop directory. */
  readonly path: string;
  /** Landing key. */
  readonly key: string;
  readonly gzip: boolean;
}

const DATA_FILE = /\.(csv|json|jsonl|ndjson)(\.gz)?$/;

/** Pure: which file goes where, in which order, compressed or not. */
export const planUploads = (files: ReadonlyArray<{ kind: string; name: string }>, root: string): ReadonlyArray<PlannedUpload> => {
  const ordered = KINDS.flatMap((kind) =>
    files
      .filter((f) => f.kind === kind && DATA_FILE.test(f.name))
      .map((f) => f.name)
      .sort()
      .map((name) => ({ kind, name })),
  );
  let plain = 0;
  return ordered.map(({ kind, name }) => {
    // every second file not already compressed is gzipped on the way
    const gzip = !name.endsWith('.gz') && plain++ % 2 === 1;
    return { path: join(root, kind, name), key: `${kind}/${name}${gzip ? '.gz' : ''}`, gzip };
  });
};

export const shopFiles = async (root: string): Promise<ReadonlyArray<{ kind: string; name: string }>> =>
  (
    await Promise.all(
      KINDS.map(async (kind) =>
        (await readdir(join(root, kind), { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => ({ kind, name: e.name })),
      ),
    )
  ).flat();

export const upload = async (s3: S3Client, bucket: string, item: PlannedUpload): Promise<number> => {
  const raw = await readFile(item.path);
  const body = item.gzip ? gzipSync(raw) : raw;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: item.key, Body: body }));
  return body.length;
};
