// The hand-tuned path for orders, the same idea as item-fast.ts: it recognises only a fully valid
// row with a new order_id, claims the id, and returns the NDJSON line byte-identical to
// JSON.stringify of decodeOrder's record, with the order's date in `out`. Anything else returns
// undefined and the caller runs decodeOrder for the full list of reasons.
// test/core/order-fast.test.ts checks the equivalence as a property.
import { MISSING, opt, req, textPart, tsPart } from './fast-fields.js';
import { jsonString } from './json-text.js';
import { parseTimestamp, utcDateOf } from './timestamp.js';
import type { RawValues } from './row-codecs.js';
import type { OrderStatus } from './records.js';
import { normaliseStatus } from './status.js';

/** Exact spellings seen in real data, looked up without lower-casing (which allocates). */
const STATUS_JSON: ReadonlyMap<string, string> = new Map(
  (['Processing', 'Shipped', 'Delivered', 'Complete', 'Cancelled', 'Returned'] as const).flatMap((s: OrderStatus) =>
    [s, s.toLowerCase(), s.toUpperCase()].map((spelling) => [spelling, `"${s}"`] as const),
  ),
);

const isCount = (s: string): boolean => {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** `,"shipped_at":"…"` → the ISO value inside, for the chronology comparison. */
const isoOf = (part: string): string | undefined => (part === '' ? undefined : part.slice(part.length - 25, part.length - 1));

export const cleanOrderLine = (row: RawValues, claim: (orderId: string) => boolean, out: { date: string }): string | undefined => {
  const orderId = req(row.order_id);
  const userId = req(row.user_id);
  const statusText = req(row.status);
  const createdText = req(row.created_at);
  if (orderId === MISSING || userId === MISSING || statusText === MISSING || createdText === MISSING) return undefined;
  let status = STATUS_JSON.get(statusText);
  if (status === undefined) {
    const s = normaliseStatus(statusText);
    if (s === undefined) return undefined;
    status = `"${s}"`;
  }
  const created = parseTimestamp(createdText);
  if (created === undefined) return undefined;
  const shipped = tsPart(',"shipped_at":"', row.shipped_at);
  const delivered = tsPart(',"delivered_at":"', row.delivered_at);
  const returned = tsPart(',"returned_at":"', row.returned_at);
  if (shipped === MISSING || delivered === MISSING || returned === MISSING) return undefined;
  const s = isoOf(shipped);
  const d = isoOf(delivered);
  const r = isoOf(returned);
  if ((s !== undefined && s < created) || (s !== undefined && d !== undefined && d < s) || (d !== undefined && r !== undefined && r < d)) return undefined;
  const count = opt(row.num_of_item);
  if (count === MISSING || (count !== '' && !isCount(count))) return undefined;
  const gender = opt(row.gender);
  if (gender === MISSING) return undefined;
  if (!claim(orderId)) return undefined;
  const date = utcDateOf(created);
  out.date = date;
  return (
    `{"order_id":${jsonString(orderId)},"user_id":${jsonString(userId)},"status":${status},"created_at":"${created}","order_date":"${date}"` +
    shipped + delivered + returned +
    (count === '' ? '' : `,"num_of_item":${Number(count)}`) +
    textPart(',"gender":', gender) +
    '}'
  );
};
