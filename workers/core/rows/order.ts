// Orders (DESIGN §3–§4): every rule of an order row defined once — its fields and its chronology —
// and used twice: `orderFast` builds the cleaned NDJSON line straight from the parsed values (the
// hot path: no record object), `decodeOrder` collects every reason or builds the record. The
// law (test/core/rows.test.ts): orderFast(row) === JSON.stringify(decodeOrder(row)) when it
// decodes, undefined when it does not. Duplicate keys need the batch: batch-state.ts.
import * as E from 'fp-ts/lib/Either.js';
import { isNonEmpty } from 'fp-ts/lib/ReadonlyArray.js';
import { jsonString } from '../json-text.js';
import type { CleanOrder } from '../records.js';
import type { RowReason } from '../reasons.js';
import { utcDateOf } from '../timestamp.js';
import type { Checked } from '../validation.js';
import { count, FAIL, fieldReasons, requiredColumns, status, text, textPart, timestamp, tsPart, type Fail } from './field.js';
import { compact, type RawValues } from './raw.js';

export const ORDER = {
  order_id: text('order_id', true),
  user_id: text('user_id', true),
  status: status('status', true),
  created_at: timestamp('created_at', true),
  shipped_at: timestamp('shipped_at', false),
  delivered_at: timestamp('delivered_at', false),
  returned_at: timestamp('returned_at', false),
  num_of_item: count('num_of_item', false),
  gender: text('gender', false),
};
export const ORDER_COLUMNS = requiredColumns(ORDER);

type Ts = string | undefined | Fail;
const ok = (t: Ts): string | undefined => (t === FAIL ? undefined : t);

/**
 * shipped ≥ created, delivered ≥ shipped, returned ≥ delivered among the timestamps present and
 * valid (normalised ISO strings compare in time order): '' when none breaks, else what breaks.
 */
export const chronologyBreaks = (created: Ts, shipped: Ts, delivered: Ts, returned: Ts): string => {
  const [c, s, d, r] = [ok(created), ok(shipped), ok(delivered), ok(returned)];
  let broken = '';
  if (c !== undefined && s !== undefined && s < c) broken = 'shipped_at < created_at';
  if (s !== undefined && d !== undefined && d < s) broken += `${broken ? ', ' : ''}delivered_at < shipped_at`;
  if (d !== undefined && r !== undefined && r < d) broken += `${broken ? ', ' : ''}returned_at < delivered_at`;
  return broken;
};

export interface OrderOk {
  readonly line: string;
  readonly id: string;
  readonly date: string;
}


/** The fast path: the cleaned line of a row that passes every order rule, else undefined. */
export const orderFast = (row: RawValues): OrderOk | undefined => {
  const id = ORDER.order_id.parse(row.order_id);
  const user = ORDER.user_id.parse(row.user_id);
  const st = ORDER.status.parse(row.status);
  const created = ORDER.created_at.parse(row.created_at);
  if (id === FAIL || user === FAIL || st === FAIL || created === FAIL) return undefined;
  const shipped = ORDER.shipped_at.parse(row.shipped_at);
  const delivered = ORDER.delivered_at.parse(row.delivered_at);
  const returned = ORDER.returned_at.parse(row.returned_at);
  const n = ORDER.num_of_item.parse(row.num_of_item);
  const gender = ORDER.gender.parse(row.gender);
  if (shipped === FAIL || delivered === FAIL || returned === FAIL || n === FAIL || gender === FAIL) return undefined;
  if (chronologyBreaks(created, shipped, delivered, returned) !== '') return undefined;
  const date = utcDateOf(created!);
  const line =
    `{"order_id":${jsonString(id!)},"user_id":${jsonString(user!)},"status":"${st}","created_at":"${created}","order_date":"${date}"` +
    tsPart(',"shipped_at":"', shipped) +
    tsPart(',"delivered_at":"', delivered) +
    tsPart(',"returned_at":"', returned) +
    (n === undefined ? '' : `,"num_of_item":${n}`) +
    textPart(',"gender":', gender) +
    '}';
  return { line, id: id!, date };
};

/** The reason-collecting path: every reason of the row, or its cleaned record. */
export const decodeOrder = (row: RawValues): Checked<CleanOrder> => {
  const reasons: RowReason[] = fieldReasons(ORDER, row);
  const broken = chronologyBreaks(
    ORDER.created_at.parse(row.created_at),
    ORDER.shipped_at.parse(row.shipped_at),
    ORDER.delivered_at.parse(row.delivered_at),
    ORDER.returned_at.parse(row.returned_at),
  );
  if (broken !== '') reasons.push({ code: 'BROKEN_CHRONOLOGY', message: broken });
  if (isNonEmpty(reasons)) return E.left(reasons);
  const created = ORDER.created_at.parse(row.created_at) as string;
  return E.right(
    compact({
      order_id: ORDER.order_id.parse(row.order_id) as string,
      user_id: ORDER.user_id.parse(row.user_id) as string,
      status: ORDER.status.parse(row.status) as CleanOrder['status'],
      created_at: created,
      order_date: utcDateOf(created),
      shipped_at: ORDER.shipped_at.parse(row.shipped_at) as string | undefined,
      delivered_at: ORDER.delivered_at.parse(row.delivered_at) as string | undefined,
      returned_at: ORDER.returned_at.parse(row.returned_at) as string | undefined,
      num_of_item: ORDER.num_of_item.parse(row.num_of_item) as number | undefined,
      gender: ORDER.gender.parse(row.gender) as string | undefined,
    }),
  );
};
