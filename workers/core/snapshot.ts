// A date's compacted snapshot (lake-layout.ts `snapshotDataKey`, `snapshotRecordKey`): when the
// transform recomputes a date it holds every version of the date's orders, so it writes them (and
// their items) as the date's snapshot; later recomputes read the snapshot plus only the per-batch
// files the snapshot does not cover. Pure rules here; reading and writing in io/snapshots.ts.
//
// The snapshot has two parts. Its data (`tag`) holds the latest versions. Its superseded part
// (`superseded.tag`) holds the versions a later one superseded: their per-batch files are removed,
// and a re-validation dropping an order makes its next-latest version the latest again. Only a
// re-validation can do that (a new batch's versions are newer than every one before), so a
// recompute reads the superseded part only while one may have happened (`supersededNeeded`) and
// otherwise carries it forward unread, its bytes copied and the newly superseded appended: a
// daily batch does not pay for the versions every batch before it superseded.
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

const SupersededPart = t.type({
  /** Names its data objects (`snapshotDataKey(kind, order_date, tag)`), both kinds. */
  tag: t.string,
  orders: t.number,
  items: t.number,
});
export type SupersededPart = t.TypeOf<typeof SupersededPart>;

export const SnapshotRecord = t.intersection([
  t.type({
    order_date: t.string,
    /** Names the data objects of the latest versions (`snapshotDataKey(kind, order_date, tag)`). */
    tag: t.string,
    covers: t.record(t.string, t.string),
    orders: t.number,
    items: t.number,
    /** The batch whose transform wrote it (for people reading the lake). */
    written_by: t.string,
  }),
  // absent when nothing on the date was superseded; a record written before the split has none
  // either, and its data holds both kinds of version (reading it is still exact, only slower)
  t.partial({ superseded: SupersededPart }),
]);
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

/**
 * Whether a recompute must read the date's superseded versions: one of them may be the latest
 * again only if the version that superseded it is gone, which takes a re-validation of its batch
 * (`revalidationPending`: a re-validated batch has not settled at its current commit, the batch
 * being transformed included) or a covered batch no longer at its covered commit (its rows in the
 * snapshot are stale and must be dropped, not carried).
 */
export const supersededNeeded = (record: SnapshotRecord, standing: ReadonlySet<string>, revalidationPending: boolean): boolean =>
  record.superseded !== undefined && (revalidationPending || standing.size !== Object.keys(record.covers).length);

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

/**
 * withSeq undone: the line without its last field `seq`. A `,"seq":` can only be that field's
 * start (inside a JSON string a quote is escaped), and it is the last such text of the line.
 */
export const withoutSeq = (line: string): string => {
  const at = line.lastIndexOf(',"seq":');
  if (at >= 0) return `${line.slice(0, at)}}`;
  return line.startsWith('{"seq":') ? '{}' : line;
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
 * may still rebuild its order index from them), and snapshot data the record does not name, in
 * either part (older snapshots, or one a crash left half-published).
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
  const named = (tag: string) => tag === record.tag || tag === record.superseded?.tag;
  return [...files.map((f) => f.key), ...args.snapshotData.filter((s) => !named(s.tag)).map((s) => s.key)];
};
