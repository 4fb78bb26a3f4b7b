// The files of a batch, in processing order: products, then orders, then items (an item's checks
// need every product and order), and by key within a kind (so "first occurrence" is stable).
// Which candidates are read, refused or ignored is core/batch-file-plan.ts (one rule with the
// aggregator and the stores); this lists the candidates.
import { planBatchFiles, type BatchFilePlan } from '../core/batch-file-plan.js';
import type { BatchManifest } from '../core/manifest.js';
import { KINDS, type Kind } from '../core/records.js';
import type { BlobStore } from '../io/blob-store.js';

export interface InputFile {
  readonly key: string;
  /** null: under none of the three prefixes (FILE_UNSUPPORTED). */
  readonly kind: Kind | null;
}

/** The manifest's files, or a listing of the three prefixes; `listed` names the batch. */
export const batchFiles = async (source: BlobStore, manifest: BatchManifest | undefined): Promise<BatchFilePlan & { readonly files: ReadonlyArray<InputFile> }> => {
  const candidates = manifest
    ? manifest.files
    : (await Promise.all(KINDS.map((k) => source.list(`${k}/`)))).flat().map((b) => ({ key: b.key, etag: b.etag }));
  const plan = planBatchFiles(candidates);
  return { ...plan, files: plan.read };
};
