// "Latest version" of an order (DESIGN §5), decided purely from where versions live.
//
// A version is an order as published by one committed batch; its batch's `seq` orders versions
// (batch.ts). The latest version of an order is the one with the greatest seq, wherever it lives:
// if a later batch moved the order to another date, the version on the old date is superseded and
// that date no longer counts the order. The items of an order are the items of its latest
// version's batch (an item missing from a re-delivery is gone). A batch holds at most one version
// of an order (duplicate keys are quarantined at validation), so (order, batch) names a version.
import type { Semigroup } from 'fp-ts/Semigroup';
import { compareSeq } from './batch.js';

export interface OrderVersion {
  readonly order_id: string;
  readonly order_date: string;
  readonly batch_id: string;
  readonly seq: string;
}

export const SemigroupLatest: Semigroup<OrderVersion> = {
  concat: (a, b) => (compareSeq(a.seq, b.seq) >= 0 ? a : b),
};

/**
 * The compact form the transform streams into: order id -> batch id of its latest version so far
 * (one string per order; batch ids are shared strings). `seqOf` gives a batch's sequence.
 */
export type LatestBatchByOrder = Map<string, string>;

/** `latest[order] := SemigroupLatest.concat(latest[order], version)`, in place. */
export const recordVersion =
  (latest: LatestBatchByOrder, seqOf: (batchId: string) => string) =>
  (orderId: string, batchId: string): void => {
    const seen = latest.get(orderId);
    if (seen === undefined || compareSeq(seqOf(batchId), seqOf(seen)) > 0) latest.set(orderId, batchId);
  };

export const latestVersions = (versions: Iterable<OrderVersion>): ReadonlyMap<string, OrderVersion> => {
  const latest = new Map<string, OrderVersion>();
  for (const v of versions) {
    const seen = latest.get(v.order_id);
    latest.set(v.order_id, seen ? SemigroupLatest.concat(seen, v) : v);
  }
  return latest;
};

/** Whether the version of `orderId` published by `batchId` is the one that counts. */
export const survives = (latest: ReadonlyMap<string, { readonly batch_id: string } | string>, orderId: string, batchId: string): boolean => {
  const l = latest.get(orderId);
  return (typeof l === 'string' ? l : l?.batch_id) === batchId;
};

/**
 * The dates whose KPIs committing a batch may change: the batch's own dates and every date where
 * another version of one of its orders lives (an older version is now superseded there; a newer
 * one is unaffected, but recomputing is harmless and makes the result independent of the order in
 * which batches are processed). Sorted.
 */
export const touchedDates = (
  batchDates: Iterable<string>,
  batchOrderIds: { has(id: string): boolean },
  otherVersions: Iterable<Pick<OrderVersion, 'order_id' | 'order_date'>>,
): ReadonlyArray<string> => {
  const dates = new Set(batchDates);
  for (const v of otherVersions) if (batchOrderIds.has(v.order_id)) dates.add(v.order_date);
  return [...dates].sort();
};
