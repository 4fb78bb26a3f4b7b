// Row defects laid over clean rows. Each defect touches its own field, so a row with two defects
// gets exactly two codes: in a pair, each code uses a field no other code of the kind touches
// (docs/validation-semantics.md: a row collects every reason that applies, and no more may apply).
// Referential codes of items (UNKNOWN_ORDER, UNKNOWN_PRODUCT) are not decided here but from the
// row's final ids (shop-model.ts), because a quarantined order or product cascades to its items.
import type { RowReasonCode } from '../../core/reasons.js';
import type { Kind } from '../../core/records.js';
import type { Row } from './columns.js';
import type { Prng } from './prng.js';
import { formatTimestamp, TIMESTAMP_FORMS } from './values.js';

const HOUR = 3_600_000_000;

/** Codes a row of each kind can be given (DUPLICATE_KEY is an extra row, not a change). */
export const DEFECT_CODES: Readonly<Record<Kind, ReadonlyArray<RowReasonCode>>> = {
  products: ['MISSING_FIELD', 'INVALID_TYPE', 'NEGATIVE_MONEY', 'DUPLICATE_KEY'],
  orders: ['MISSING_FIELD', 'INVALID_TYPE', 'UNKNOWN_STATUS', 'BROKEN_CHRONOLOGY', 'DUPLICATE_KEY'],
  order_items: ['MISSING_FIELD', 'INVALID_TYPE', 'NEGATIVE_MONEY', 'UNKNOWN_ORDER', 'UNKNOWN_PRODUCT', 'DUPLICATE_KEY'],
};

export type Defect =
  | { readonly _tag: 'None' }
  | { readonly _tag: 'Duplicate' }
  | { readonly _tag: 'Change'; readonly codes: ReadonlyArray<RowReasonCode> };

const NONE: Defect = { _tag: 'None' };
const DUPLICATE: Defect = { _tag: 'Duplicate' };

/** Whether a row gets a defect, and which: one in five defective rows gets two codes. */
export const drawDefect = (rng: Prng, kind: Kind, rate: number): Defect => {
  if (!rng.chance(rate)) return NONE;
  const codes = DEFECT_CODES[kind];
  const first = rng.pick(codes);
  if (first === 'DUPLICATE_KEY') return DUPLICATE;
  if (!rng.chance(0.2)) return { _tag: 'Change', codes: [first] };
  const others = codes.filter((c) => c !== first && c !== 'DUPLICATE_KEY');
  return { _tag: 'Change', codes: [first, rng.pick(others)] };
};

const INVALID_MONEY: ReadonlyArray<string> = ['N/A', '12,50', '$19.99', 'abc', '1.2.3', 'free'];
const INVALID_TIMESTAMPS: ReadonlyArray<string> = [
  '2024-02-30 10:00:00 UTC', // calendar-invalid
  '2023-13-05T08:00:00Z',
  '16/01/2024 18:54',
  'not a date',
  '2024-01-16 25:61:00',
];
const INVALID_COUNTS: ReadonlyArray<string> = ['two', '-1', '2.5'];
const UNKNOWN_STATUSES: ReadonlyArray<string> = ['Lost', 'Refunded', 'pending', 'In Transit', 'Complet'];
/** A required value that is not there: absent key (empty in CSV), empty or whitespace only. */
const blank = (rng: Prng): string | undefined => [undefined, '', '   '][rng.int(3)];

/** A money value made negative; a present but non-numeric value stays as it is. */
const negate = (value: unknown): string | number => (typeof value === 'number' ? -Math.abs(value) || -0.01 : `-${String(value)}`);

/** A timestamp that parses but lies `hours` before `micros`. */
const before = (rng: Prng, micros: number, hours: number): string =>
  formatTimestamp(micros - hours * HOUR - rng.int(3_600) * 1_000_000, rng.pick(TIMESTAMP_FORMS));

export interface OrderTimes {
  readonly createdAt: number;
  readonly shippedAt?: number;
  readonly deliveredAt?: number;
}

/**
 * Applies the codes to a copy of the row. `paired` says the row gets two codes: each code then
 * keeps to its own field.
 */
export const applyProductDefects = (rng: Prng, row: Row, codes: ReadonlyArray<RowReasonCode>): Row => {
  const out: Row = { ...row };
  const paired = codes.length > 1;
  for (const code of codes) {
    if (code === 'MISSING_FIELD') out[paired ? rng.pick(['sku', 'category']) : rng.pick(['id', 'sku', 'category', 'cost', 'retail_price'])] = blank(rng);
    else if (code === 'INVALID_TYPE') out[paired ? 'retail_price' : rng.pick(['cost', 'retail_price'])] = rng.pick(INVALID_MONEY);
    else if (code === 'NEGATIVE_MONEY') {
      const field = paired ? 'cost' : rng.pick(['cost', 'retail_price']);
      out[field] = negate(out[field]);
    }
  }
  return out;
};

export const applyOrderDefects = (rng: Prng, row: Row, times: OrderTimes, codes: ReadonlyArray<RowReasonCode>): Row => {
  const out: Row = { ...row };
  const paired = codes.length > 1;
  for (const code of codes) {
    if (code === 'MISSING_FIELD') {
      out[paired ? rng.pick(['order_id', 'user_id']) : rng.pick(['order_id', 'user_id', 'status', 'created_at'])] = blank(rng);
    } else if (code === 'INVALID_TYPE') {
      const field = paired ? 'num_of_item' : rng.pick(['num_of_item', 'created_at', 'shipped_at']);
      out[field] = field === 'num_of_item' ? rng.pick(INVALID_COUNTS) : rng.pick(INVALID_TIMESTAMPS);
    } else if (code === 'UNKNOWN_STATUS') out.status = rng.pick(UNKNOWN_STATUSES);
    else if (code === 'BROKEN_CHRONOLOGY') {
      // Breaks exactly one pair: moving shipped_at earlier keeps it before delivered_at, moving
      // delivered_at earlier keeps it before returned_at; the code is one either way.
      const { shippedAt, deliveredAt } = times;
      if (deliveredAt !== undefined && shippedAt !== undefined && rng.chance(0.3)) out.delivered_at = before(rng, shippedAt, 1 + rng.int(20));
      else out.shipped_at = before(rng, times.createdAt, 1 + rng.int(48));
    }
  }
  return out;
};

export const applyItemDefects = (rng: Prng, row: Row, codes: ReadonlyArray<RowReasonCode>, ghostId: () => string): Row => {
  const out: Row = { ...row };
  const paired = codes.length > 1;
  for (const code of codes) {
    if (code === 'MISSING_FIELD') out[paired ? 'id' : rng.pick(['id', 'order_id', 'product_id', 'sale_price'])] = blank(rng);
    else if (code === 'INVALID_TYPE') {
      const field = paired ? 'created_at' : rng.pick(['sale_price', 'created_at', 'shipped_at']);
      out[field] = field === 'sale_price' ? rng.pick(INVALID_MONEY) : rng.pick(INVALID_TIMESTAMPS);
    } else if (code === 'NEGATIVE_MONEY') out.sale_price = negate(out.sale_price);
    else if (code === 'UNKNOWN_ORDER') out.order_id = ghostId();
    else if (code === 'UNKNOWN_PRODUCT') out.product_id = ghostId();
  }
  return out;
};
