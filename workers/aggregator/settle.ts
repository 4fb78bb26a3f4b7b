// The settle window, pure (issue 14 item 11): a set of loose parts (no manifest) starts only once
// its newest part is older than SETTLE_SECONDS, so parts uploaded one by one over a minute become
// one batch instead of a first batch and stragglers. Until then the aggregator asks for one
// delayed re-check at the moment the set would settle: no event is lost (the re-check re-reads
// the listing, which includes every later part) and nothing polls (a settled or superseded set
// asks for nothing more; a newer part brings its own event).
import * as t from 'io-ts';
import type { LandingObject } from './file-set.js';

export type SettleState =
  | { readonly _tag: 'Settled' }
  | { readonly _tag: 'Settling'; readonly dueAt: number; readonly newestKey: string };

/** `parts`: the set's objects with their LastModified (ms); `now` in ms. */
export const settleState = (parts: ReadonlyArray<LandingObject>, settleSeconds: number, now: number): SettleState => {
  if (settleSeconds <= 0 || parts.length === 0) return { _tag: 'Settled' };
  const newest = parts.reduce((a, b) => ((b.lastModified ?? 0) > (a.lastModified ?? 0) ? b : a));
  const dueAt = (newest.lastModified ?? 0) + settleSeconds * 1000;
  return now >= dueAt ? { _tag: 'Settled' } : { _tag: 'Settling', dueAt, newestKey: newest.key };
};

export interface Recheck {
  readonly bucket: string;
  /** The set that was not settled yet: names the schedule, so repeated evaluations ask once. */
  readonly batchId: string;
  /** When to look again (ms). */
  readonly dueAt: number;
}

export const RECHECK_SOURCE = 'ecommerce-pipeline.aggregator';
export const RECHECK_DETAIL_TYPE = 'Settle recheck';

/** The re-check message: EventBridge-shaped like the S3 events it travels with. */
export const RecheckEvent = t.type({
  source: t.literal(RECHECK_SOURCE),
  'detail-type': t.literal(RECHECK_DETAIL_TYPE),
  detail: t.type({ bucket: t.type({ name: t.string }), batch_id: t.string }),
});

export const recheckBody = (r: Recheck): string =>
  JSON.stringify({
    // distinct per set and due time, so FIFO content-based deduplication drops only true repeats
    id: `${r.batchId}@${r.dueAt}`,
    source: RECHECK_SOURCE,
    'detail-type': RECHECK_DETAIL_TYPE,
    time: new Date(r.dueAt).toISOString(),
    detail: { bucket: { name: r.bucket }, batch_id: r.batchId },
  });

/** Schedule names: ≤ 64 of [0-9a-zA-Z-_.]; batch ids are `b-` + 32 hex. */
export const recheckScheduleName = (batchId: string): string => `recheck-${batchId}`.replace(/[^0-9A-Za-z_.-]/g, '_').slice(0, 64);

/** EventBridge Scheduler one-time expression, in UTC, rounded up to the next whole second. */
export const atExpression = (ms: number): string => `at(${new Date(Math.ceil(ms / 1000) * 1000).toISOString().slice(0, 19)})`;

/** The instant of an `at(...)` expression in UTC (the local scheduler plays these). */
export const atInstant = (expression: string): number | undefined => {
  const m = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(expression.trim());
  return m ? Date.parse(`${m[1]}Z`) : undefined;
};
