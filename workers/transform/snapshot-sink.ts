// The compacted snapshot as a DateSink: what the recompute settles for a date is written as the
// date's snapshot (io/snapshots.ts), published on close with the covers the recompute computed.
// Besides the latest versions (the DateSink calls) it takes the versions now superseded, into the
// snapshot's superseded part, after the carried one (core/snapshot.ts).
import type { BlobStore } from '../io/blob-store.js';
import type { SnapshotRecord, SupersededPart } from '../core/snapshot.js';
import { snapshotWriter } from '../io/snapshots.js';
import type { DateSink } from './date-sink.js';

export interface SnapshotSink extends DateSink {
  /** Versions superseded by now that this recompute read, as byte strings with their seq. */
  readonly superseded: (kind: 'orders' | 'items', lines: ReadonlyArray<string>) => Promise<void>;
  /** The published record, once close has resolved. */
  readonly published: () => SnapshotRecord | undefined;
}

export const snapshotSink = (
  lake: BlobStore,
  date: string,
  meta: { readonly covers: Record<string, string>; readonly writtenBy: string; readonly carried?: SupersededPart },
): SnapshotSink => {
  const writer = snapshotWriter(lake, date, meta.carried);
  let orders = 0;
  let items = 0;
  let record: SnapshotRecord | undefined;
  return {
    orders: async (lines) => {
      orders += lines.length;
      await writer.orders(lines);
    },
    items: async (lines) => {
      items += lines.length;
      await writer.items(lines);
    },
    superseded: (kind, lines) => writer.superseded(kind === 'orders' ? 'orders' : 'order_items', lines),
    close: async () => {
      record = await writer.publish({ covers: meta.covers, orders, items, written_by: meta.writtenBy });
    },
    abort: (error) => writer.abort(error),
    published: () => record,
  };
};
