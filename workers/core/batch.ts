// Batch identity and versioning. "Latest version of an order" (DESIGN §5) is decided by the batch
// sequence recorded when a batch is first committed to the cleaned zone: a later sequence wins.
// Re-running a batch keeps its recorded sequence, so re-processing never reorders history.
import * as t from 'io-ts';

export const BatchRecord = t.type({
  batch_id: t.string,
  /** Sortable version: ISO UTC time of first commit, then the batch id to break ties. */
  seq: t.string,
  committed_at: t.string,
  /** order_date partitions this batch wrote (orders and items); the transform recomputes these. */
  order_dates: t.readonlyArray(t.string),
  /** Source keys of the batch's input files, as read (for archive and reprocess). */
  sources: t.readonlyArray(t.string),
});
export type BatchRecord = t.TypeOf<typeof BatchRecord>;

export const batchSeq = (committedAtIso: string, batchId: string): string => `${committedAtIso}#${batchId}`;

/** Whether the batch's current commit is a re-validation: its seq keeps the time of its first commit. */
export const isRevalidation = (batch: Pick<BatchRecord, 'batch_id' | 'seq' | 'committed_at'>): boolean => batch.seq !== batchSeq(batch.committed_at, batch.batch_id);

/** Total order on versions: compares sequences, which embed the batch id as a tie-break. */
export const compareSeq = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
