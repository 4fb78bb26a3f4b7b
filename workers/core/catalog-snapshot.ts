// The compacted catalog: the current catalog (per product id, the version of the committed batch
// with the greatest seq: DESIGN §4's `cleaned/products/`) as one object, so validate's catalog and
// the analytics products table cost one catalog's worth of reading, not one products file per
// batch ever committed. A cache, never the truth: the batches' products files stay, and the
// snapshot is used only while every batch it covers is still at its covered commit (a
// re-validated batch may have changed its products, and a merged version cannot be taken back
// out) and it does not cover the batch a run must leave out (validate's own batch). Pure rules
// here; reading and writing in io/catalog.ts.
import * as t from 'io-ts';
import type { BatchRecord } from './batch.js';
import { compareSeq } from './batch.js';

export const CatalogRecord = t.type({
  /** Names the data object (`catalogSnapshotKey(tag)`). */
  tag: t.string,
  /** batch id -> the committed_at whose products it folded in. */
  covers: t.record(t.string, t.string),
  products: t.number,
  written_by: t.string,
});
export type CatalogRecord = t.TypeOf<typeof CatalogRecord>;

/** Whether the snapshot may stand for its covered batches in a run that leaves `except` out. */
export const catalogStands = (
  record: CatalogRecord | undefined,
  committed: ReadonlyMap<string, Pick<BatchRecord, 'committed_at'>>,
  except?: string,
): record is CatalogRecord =>
  record !== undefined &&
  (except === undefined || !(except in record.covers)) &&
  Object.entries(record.covers).every(([id, at]) => committed.get(id)?.committed_at === at);

export interface CatalogEntry {
  readonly seq: string;
  /** The cleaned product line, as validate wrote it (no seq). */
  readonly line: string;
}

/** `catalog[id] := the version with the greater seq`, in place (later batches override earlier). */
export const offerProduct = (catalog: Map<string, CatalogEntry>, id: string, entry: CatalogEntry): void => {
  const seen = catalog.get(id);
  if (seen === undefined || compareSeq(entry.seq, seen.seq) >= 0) catalog.set(id, entry);
};
