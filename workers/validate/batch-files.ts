// The files of a batch, in processing order: products, then orders, then items (an item's checks
// need every product and order), and by key within a kind (so "first occurrence" is stable).
import type { BatchManifest } from '../core/manifest.js';
import { KINDS, type Kind } from '../core/records.js';
import type { BlobStore } from '../io/blob-store.js';

export interface InputFile {
  readonly key: string;
  /** null: under none of the three prefixes (FILE_UNSUPPORTED). */
  readonly kind: Kind | null;
}

const kindOfKey = (key: string): Kind | null => KINDS.find((k) => key.startsWith(`${k}/`)) ?? null;

const byKindThenKey = (a: InputFile, b: InputFile): number => {
  const ka = a.kind === null ? KINDS.length : KINDS.indexOf(a.kind);
  const kb = b.kind === null ? KINDS.length : KINDS.indexOf(b.kind);
  return ka !== kb ? ka - kb : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
};

/** The manifest's files, or a listing of the three prefixes; `listed` names the batch. */
export const batchFiles = async (source: BlobStore, manifest: BatchManifest | undefined) => {
  const listed = manifest
    ? manifest.files
    : (await Promise.all(KINDS.map((k) => source.list(`${k}/`)))).flat().map((b) => ({ key: b.key, etag: b.etag }));
  const keys = [...new Set(listed.map((f) => f.key))];
  const files: ReadonlyArray<InputFile> = keys.map((key) => ({ key, kind: kindOfKey(key) })).sort(byKindThenKey);
  return { listed, files };
};
