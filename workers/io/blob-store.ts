// The one storage port of the workers: keys relative to a root, streams in and out. The local
// adapter serves directories (tests, run-local), the S3 adapter serves buckets (AWS and moto).
import type { Readable } from 'node:stream';
import type { Location } from './location.js';
import { localStore } from './local-store.js';
import { s3Store } from './s3-store.js';

export interface BlobInfo {
  /** Key relative to the store's root, `/`-separated. */
  readonly key: string;
  readonly size: number;
  /** S3 ETag (quotes stripped), or size+mtime for local files. */
  readonly etag: string;
}

export interface BlobStore {
  /** Human-readable root, for logs and reports. */
  readonly root: string;
  /** Every blob whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ReadonlyArray<BlobInfo>>;
  /** The blob's bytes as a stream; rejects when it does not exist. */
  read(key: string): Promise<Readable>;
  /** The blob's bytes, or undefined when it does not exist. For small objects only. */
  readSmall(key: string): Promise<Buffer | undefined>;
  /** Writes a small object in one call. */
  write(key: string, body: Buffer | string, contentType?: string): Promise<void>;
  /** Streams a large object; resolves when it is durably stored. */
  writeStream(key: string, body: Readable, contentType?: string): Promise<void>;
  /** Copies `fromKey` of `source` to `toKey` here (server-side when both are in S3). */
  copyFrom(source: BlobStore, fromKey: string, toKey: string): Promise<void>;
  delete(keys: ReadonlyArray<string>): Promise<void>;
}

export const openStore = (location: Location): BlobStore =>
  location.kind === 'local' ? localStore(location.root) : s3Store(location.bucket, location.prefix);
