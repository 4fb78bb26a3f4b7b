// The batch stamp a KPI row carries (`updated_at`, `batch_id`): the latest batch contributing to
// the row. `updated_at` is the batch's FIRST commit time, read from its seq (batch.ts: `seq` =
// first commit time # batch id, kept on re-runs), not `committed_at`, which a re-validation
// refreshes: so re-running a batch, validate included, leaves every KPI row byte-identical.
import type { BatchRecord } from './batch.js';
import type { Stamp } from './kpi-fold.js';

export const firstCommittedAt = (record: BatchRecord): string => {
  const hash = record.seq.lastIndexOf(`#${record.batch_id}`);
  return hash > 0 ? record.seq.slice(0, hash) : record.committed_at;
};

export const stampOf = (record: BatchRecord): Stamp => ({
  seq: record.seq,
  batch_id: record.batch_id,
  committed_at: firstCommittedAt(record),
});
