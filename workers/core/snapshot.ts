// A date's compacted snapshot (lake-layout.ts `snapshotDataKey`, `snapshotRecordKey`): when the
// transform recomputes a date it holds every version of the date's orders, so it writes them (and
// their items) as the date's snapshot: the latest, and the superseded ones, which a re-validation
// dropping an order can make the latest again (their per-batch files are removed); later recomputes read the snapshot plus only the
// per-batch files the snapshot does not cover. Pure rules here; reading and writing in
// io/snapshots.ts.
//
// What the snapshot stands for is its record's `covers`: batch id -> the commit (`committed_at`)
// whose files of this date it folded in. A snapshot row counts only while its batch's current
// commit is the covered one: a re-validated batch (new committed_at, same seq) has rewritten its
// files, so its rows in the snapshot are stale and its new files are read instead. A per-batch
// file whose commit is covered is never read again (it would only repeat a version the snapshot
// holds or one it superseded), which is why a crash between publishing a snapshot and removing
// those files can neither lose nor double-count a version.
import * as t from 'io-ts';
import type { BatchRecord } from './batch.js';
import { plainStringField } from './flat-json-fields.js';

export const SnapshotRecord = t.type({
  order_date: t.string,
  /** Names the data objects (`snapshotDataKey(kind, order_date, tag)`). */
  tag: t.string,
  covers: t.record(t.string, t.string),
  orders: t.number,
  items: t.number,
  /** The batch whose transform wrote it (for people reading the lake). */
  written_by: t.string,
});
export type SnapshotRecord = t.TypeOf<typeof SnapshotRecord>;

type Commits = ReadonlyMap<string, Pick<BatchRecord, 'committed_at' | 'seq'>>;

/** Batches whose rows in the snapshot still count: committed, and at the covered commit. */
export const standingCovers = (record: SnapshotRecord | undefined, committed: Commits): ReadonlySet<string> => {
  const standing = new Set<string>();
  if (!record) return standing;
  for (const [batchId, committedAt] of Object.entries(record.covers)) {
    if (committed.get(batchId)?.committed_at === committedAt) standing.add(batchId);
  }
  return standing;
};

/** The covers of a snapshot written now: what still stands of the old one, plus every batch whose files were read. */
export const coversAfter = (
  standing: ReadonlySet<string>,
  read: Iterable<Pick<BatchRecord, 'batch_id' | 'committed_at'>>,
  committed: Commits,
): Record<string, string> => {
  const covers: Record<string, string> = {};
  for (const id of standing) covers[id] = committed.get(id)!.committed_at;
  for (const b of read) covers[b.batch_id] = b.committed_at;
  return Object.fromEntries(Object.entries(covers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

/** Batch id of a seq (`<first commit time>#<batch id>`, batch.ts); the time holds no `#`. */
export const batchIdOfSeq = (seq: string): string => seq.slice(seq.indexOf('#') + 1);

const isJsonSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
/** The last seq's JSON text: a date's lines come a batch at a time, so mostly one stringify per file. */
let lastSeq: string | undefined;
let lastSeqJson = '';

/** A cleaned line (a flat JSON object) with its version's seq appended as the last field. */
export const withSeq = (line: string, seq: string): string => {
  const close = line.lastIndexOf('}');
  let k = close - 1;
  while (k >= 0 && isJsonSpace(line.charCodeAt(k))) k--;
  if (seq !== lastSeq) {
    lastSeq = seq;
    lastSeqJson = JSON.stringify(seq);
  }
  return `${line.slice(0, close)}${line.charCodeAt(k) === 123 ? '' : ','}"seq":${lastSeqJson}}`;
};

/** The seq a snapshot line carries, or undefined when it has none. */
export const seqOfLine = (line: string): string | undefined => {
  const plain = plainStringField(line, 'seq');
  if (plain !== undefined) return plain;
  const parsed = JSON.parse(line) as { seq?: unknown };
  return typeof parsed.seq === 'string' ? parsed.seq : undefined;
};

/**
 * What may be deleted from a date once its snapshot is published: per-batch files whose commit the
 * snapshot covers and whose batch has settled at that commit (until then the batch's own transform
 * may still rebuild its order index from them), and snapshot data the record does not name (older
 * snapshots, or one a crash left half-published).
 */
export const removableKeys = (args: {
  readonly record: SnapshotRecord;
  readonly files: ReadonlyArray<{ readonly key: string; readonly batch: Pick<BatchRecord, 'batch_id' | 'committed_at'> }>;
  readonly snapshotData: ReadonlyArray<{ readonly key: string; readonly tag: string }>;
  readonly settled: (batchId: string, committedAt: string) => boolean;
}): ReadonlyArray<string> => {
  const { record, settled } = args;
  const files = args.files.filter(
    ({ batch }) => record.covers[batch.batch_id] === batch.committed_at && settled(batch.batch_id, batch.committed_at),
  );
  return [...files.map((f) => f.key), ...args.snapshotData.filter((s) => s.tag !== record.tag).map((s) => s.key)];
};
