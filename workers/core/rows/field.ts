// Field rules (DESIGN §3–§4), each defined once. A rule turns one raw value (a CSV string or any
// JSON value) into its typed value. It has two uses: `parse`, the fast path, which only says
// valid (the value, or undefined for an empty optional field) or FAIL; and `reason`, the
// reason-collecting path, which says why `parse` failed. `reason` never re-decides validity: it
// reads the same parse outcome, so the two paths cannot drift.
import { jsonString } from '../json-text.js';
import { decimalTextOfNumber, isNegativeCents, parseDecimalCents } from '../money.js';
import { presence, trimmed, type Presence } from '../fields.js';
import type { OrderStatus } from '../records.js';
import type { RowReason, RowReasonCode } from '../reasons.js';
import { parseTimestamp } from '../timestamp.js';

/** A raw value that fails its rule. A symbol: no input value can ever equal it. */
export const FAIL: unique symbol = Symbol('FAIL');
export type Fail = typeof FAIL;

export interface Field<A> {
  readonly name: string;
  readonly required: boolean;
  /** The typed value; undefined for an absent optional field; FAIL otherwise. */
  readonly parse: (raw: unknown) => A | undefined | Fail;
  /** Why `parse(raw)` is FAIL (only asked then). */
  readonly reason: (raw: unknown) => RowReason;
}

/** How a present value of a type is read: its text form, its JSON-number form, and why not. */
interface Typed<A> {
  readonly text: (t: string) => A | Fail;
  readonly number: (v: number) => A | Fail;
  /** The reason for a present value (text, number or other) that is FAIL. */
  readonly why: (p: Exclude<Presence, { _tag: 'absent' }>, name: string) => RowReason;
}

const field = <A>(name: string, required: boolean, typed: Typed<A>): Field<A> => ({
  name,
  required,
  // hot: no Presence object for the common case, a non-blank string
  parse: (raw) => {
    if (typeof raw === 'string') {
      const t = trimmed(raw);
      if (t !== '') return typed.text(t);
    } else if (typeof raw === 'number') {
      if (Number.isFinite(raw)) return typed.number(raw);
      return FAIL;
    } else if (raw !== undefined && raw !== null) return FAIL;
    return required ? FAIL : undefined;
  },
  reason: (raw) => {
    const p = presence(raw);
    return p._tag === 'absent' ? { code: 'MISSING_FIELD', field: name, message: `${name} is required` } : typed.why(p, name);
  },
});

const describe = (p: Presence): string =>
  p._tag === 'text' ? JSON.stringify(p.text.length > 40 ? `${p.text.slice(0, 40)}…` : p.text) : p._tag === 'number' ? String(p.value) : 'a non-scalar value';

const reason = (code: RowReasonCode, field: string, message: string): RowReason => ({ code, field, message });

/** Ids and free text: strings, or JSON numbers taken as their decimal text. */
export const text = (name: string, required: boolean): Field<string> =>
  field(name, required, {
    text: (t) => t,
    number: (v) => String(v),
    why: (_, n) => reason('INVALID_TYPE', n, `${n} is not text`),
  });

const cents = (source: string): number | Fail => {
  const c = parseDecimalCents(source);
  return Number.isNaN(c) || isNegativeCents(c) ? FAIL : c;
};

/** Non-negative money to integer cents: NEGATIVE_MONEY for a decimal below zero. */
export const money = (name: string, required: boolean): Field<number> =>
  field(name, required, {
    text: cents,
    number: (v) => cents(decimalTextOfNumber(v)),
    why: (p, n) => {
      const source = p._tag === 'text' ? p.text : p._tag === 'number' ? decimalTextOfNumber(p.value) : undefined;
      const c = source === undefined ? NaN : parseDecimalCents(source);
      return Number.isNaN(c)
        ? reason('INVALID_TYPE', n, `${n} ${describe(p)} is not a decimal amount`)
        : reason('NEGATIVE_MONEY', n, `${n} ${describe(p)} is negative`);
    },
  });

/** Timestamps to `YYYY-MM-DDTHH:MM:SS.sssZ`; a JSON number is not one. */
export const timestamp = (name: string, required: boolean): Field<string> =>
  field(name, required, {
    text: (t) => parseTimestamp(t) ?? FAIL,
    number: () => FAIL,
    why: (p, n) => reason('INVALID_TYPE', n, `${n} ${describe(p)} is not a timestamp`),
  });

const isCount = (s: string): boolean => {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** Non-negative integers (counts): digits, or a JSON safe integer. */
export const count = (name: string, required: boolean): Field<number> =>
  field(name, required, {
    text: (t) => (isCount(t) ? Number(t) : FAIL),
    number: (v) => (Number.isSafeInteger(v) && v >= 0 ? v : FAIL),
    why: (p, n) => reason('INVALID_TYPE', n, `${n} ${describe(p)} is not a non-negative integer`),
  });

export const ORDER_STATUSES: ReadonlyArray<OrderStatus> = ['Processing', 'Shipped', 'Delivered', 'Complete', 'Cancelled', 'Returned'];
const BY_LOWER: ReadonlyMap<string, OrderStatus> = new Map(ORDER_STATUSES.map((s) => [s.toLowerCase(), s]));
/** Exact spellings seen in real data, found without lower-casing (which allocates). */
const BY_SPELLING: ReadonlyMap<string, OrderStatus> = new Map(
  ORDER_STATUSES.flatMap((s) => [s, s.toLowerCase(), s.toUpperCase()].map((spelling) => [spelling, s] as const)),
);

/**
 * Order status: one of six, case-insensitive, stored capitalised (real data has both `Complete`
 * and `delivered`). Text or a number outside the six is UNKNOWN_STATUS; an array, object or
 * boolean is INVALID_TYPE, as in every other field.
 */
export const status = (name: string, required: boolean): Field<OrderStatus> =>
  field(name, required, {
    text: (t) => BY_SPELLING.get(t) ?? BY_LOWER.get(t.toLowerCase()) ?? FAIL,
    number: () => FAIL,
    why: (p, n) =>
      p._tag === 'other'
        ? reason('INVALID_TYPE', n, `${n} is not text`)
        : reason('UNKNOWN_STATUS', n, `${n} ${p._tag === 'text' ? JSON.stringify(p.text) : 'value'} is not a known status`),
  });

// Pieces of a cleaned line built by concatenation: an optional field is left out when absent.
/** `,"name":"iso"` for a present timestamp (ISO text needs no escaping). */
export const tsPart = (prefix: string, iso: string | undefined): string => (iso === undefined ? '' : `${prefix}${iso}"`);
/** `,"name":<JSON string>` for present text. */
export const textPart = (prefix: string, t: string | undefined): string => (t === undefined ? '' : prefix + jsonString(t));

/** The required column names of a kind's fields: a CSV header lacking one fails the file. */
export const requiredColumns = (fields: Readonly<Record<string, Field<unknown>>>): ReadonlyArray<string> =>
  Object.values(fields)
    .filter((f) => f.required)
    .map((f) => f.name);

/** Every reason of the fields that fail, in field order. */
export const fieldReasons = (fields: Readonly<Record<string, Field<unknown>>>, row: Readonly<Record<string, unknown>>): RowReason[] => {
  const out: RowReason[] = [];
  for (const f of Object.values(fields)) if (f.parse(row[f.name]) === FAIL) out.push(f.reason(row[f.name]));
  return out;
};
