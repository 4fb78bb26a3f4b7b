// BlobStore over an S3 bucket and key prefix. Same calls against AWS and moto: the SDK reads
// AWS_ENDPOINT_URL itself; path-style addressing is forced only when an endpoint is given,
// because moto on loopback has no virtual-host DNS.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { containedKeyOrThrow, containedPrefixOrThrow } from '../core/landing-key.js';
import type { BlobInfo, BlobStore } from './blob-store.js';
import { S3_COPY_LIMITS, type CopyLimits } from '../core/copy-plan.js';
import { copyObject } from './s3-copy.js';

// One client per endpoint: a process that points the SDK at another endpoint (a test file with its
// own moto, after another one) must not keep talking to the old one.
let shared: { readonly endpoint: string | undefined; readonly client: S3Client } | undefined;
export const s3Client = (): S3Client => {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!shared || shared.endpoint !== endpoint) {
    const config: S3ClientConfig = endpoint ? { forcePathStyle: true } : {};
    shared = { endpoint, client: new S3Client(config) };
  }
  return shared.client;
};

const isNotFound = (error: unknown): boolean => {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

const stripQuotes = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');

/** DeleteObjects answers 200 even when some keys were not deleted: those come back in Errors. */
export const throwOnDeleteErrors = (bucket: string, errors: ReadonlyArray<{ Key?: string; Code?: string; Message?: string }> | undefined): void => {
  if (!errors || errors.length === 0) return;
  const first = errors[0]!;
  throw Object.assign(new Error(`could not delete ${errors.length} object(s) from ${bucket}: ${first.Key ?? '?'} ${first.Code ?? ''} ${first.Message ?? ''}`.trim()), {
    name: 'DeleteObjectsFailed',
  });
};

export interface S3BlobStore extends BlobStore {
  readonly bucket: string;
  readonly prefix: string;
}

export const s3Store = (
  bucket: string,
  prefix: string,
  client: S3Client = s3Client(),
  copyLimits: CopyLimits = S3_COPY_LIMITS,
): S3BlobStore => {
  // The same containment rule as the local store: a key is a path below the prefix.
  const full = (key: string) => `${prefix}${containedKeyOrThrow(key)}`;
  const store: S3BlobStore = {
    bucket,
    prefix,
    root: `s3://${bucket}/${prefix}`,
    list: async (sub) => {
      const infos: BlobInfo[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}${containedPrefixOrThrow(sub)}`, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) {
          if (!o.Key) continue;
          infos.push({ key: o.Key.slice(prefix.length), size: o.Size ?? 0, etag: stripQuotes(o.ETag) });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return infos.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    read: async (key) => {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }));
      return res.Body as Readable;
    },
    readSmall: async (key) => {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: full(key) }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    write: async (key, body, contentType) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: full(key), Body: body, ContentType: contentType }));
    },
    // Multipart when large, one PUT when small: memory stays at a few 5 MB parts per stream.
    writeStream: async (key, body, contentType) => {
      await new Upload({
        client,
        params: { Bucket: bucket, Key: full(key), Body: body, ContentType: contentType },
        queueSize: 2,
      }).done();
    },
    copyFrom: async (source, fromKey, toKey) => {
      if ('bucket' in source) {
        const from = source as S3BlobStore;
        await copyObject(client, { bucket: from.bucket, key: `${from.prefix}${containedKeyOrThrow(fromKey)}` }, { bucket, key: full(toKey) }, copyLimits);
        return;
      }
      await store.writeStream(toKey, await source.read(fromKey));
    },
    // A delete that did not happen must not pass for one (an input left in landing joins later sets).
    delete: async (keys) => {
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000);
        if (chunk.length === 0) continue;
        const res = await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: chunk.map((k) => ({ Key: full(k) })), Quiet: true },
          }),
        );
        throwOnDeleteErrors(bucket, res.Errors);
      }
    },
  };
  return store;
};
