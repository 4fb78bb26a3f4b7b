// Field decoders: one raw value (a CSV string, or any JSON value) to a typed value, or the reasons
// it fails. The same small parsers serve the generic row codecs and the hand-tuned item path.
import * as E from 'fp-ts/lib/Either.js';
import { decimalTextOfNumber, isNegativeCents, parseDecimalCents } from './money.js';
import { parseTimestamp } from './timestamp.js';
import { accept, reject, type Checked } from './validation.js';

/** What a raw value holds, before its type is checked. */
export type Presence =
  | { readonly _tag: 'absent' }
  | { readonly _tag: 'text'; readonly text: string }
  | { readonly _tag: 'number'; readonly value: number }
  | { readonly _tag: 'other' };

const ABSENT: Presence = { _tag: 'absent' };
const OTHER: Presence = { _tag: 'other' };

/** Trims only when needed: most values have no surrounding blanks and must not be copied. */
export const trimmed = (s: string): string => {
  const n = s.length;
  if (n === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  // Printable ASCII at both ends cannot be trimmed; anything else asks String.prototype.trim.
  return first > 32 && first < 127 && last > 32 && last < 127 ? s : s.trim();
};

/** Empty, whitespace-only, null and missing are all "absent" (DESIGN §3: empty = absent). */
export const presence = (raw: unknown): Presence => {
  if (raw === undefined || raw === null) return ABSENT;
  if (typeof raw === 'string') {
    const text = trimmed(raw);
    return text === '' ? ABSENT : { _tag: 'text', text };
  }
  if (typeof raw === 'number') return Number.isFinite(raw) ? { _tag: 'number', value: raw } : OTHER;
  return OTHER;
};

export interface FieldCodec<A> {
  readonly name: string;
  readonly required: boolean;
  /** `undefined` on the right side means an optional field left empty. */
  readonly decode: (raw: unknown) => Checked<A | undefined>;
}

const field = <A>(name: string, required: boolean, typed: (p: Presence) => Checked<A>): FieldCodec<A> => ({
  name,
  required,
  decode: (raw) => {
    const p = presence(raw);
    if (p._tag !== 'absent') return typed(p);
    return required ? reject('MISSING_FIELD', name, `${name} is required`) : E.right(undefined);
  },
});

const describe = (p: Presence): string =>
  p._tag === 'text' ? JSON.stringify(p.text.length > 40 ? `${p.text.slice(0, 40)}…` : p.text) : p._tag === 'number' ? String(p.value) : 'a non-scalar value';

/** Ids and free text: strings, or JSON numbers taken as their decimal text. */
export const text = (name: string, required: boolean): FieldCodec<string> =>
  field(name, required, (p) =>
    p._tag === 'text' ? accept(p.text) : p._tag === 'number' ? accept(String(p.value)) : reject('INVALID_TYPE', name, `${name} is not text`),
  );

/** Non-negative money to integer cents. */
export const money = (name: string, required: boolean): FieldCodec<number> =>
  field(name, required, (p) => {
    const source = p._tag === 'text' ? p.text : p._tag === 'number' ? decimalTextOfNumber(p.value) : undefined;
    const cents = source === undefined ? NaN : parseDecimalCents(source);
    if (Number.isNaN(cents)) return reject('INVALID_TYPE', name, `${name} ${describe(p)} is not a decimal amount`);
    if (isNegativeCents(cents)) return reject('NEGATIVE_MONEY', name, `${name} ${describe(p)} is negative`);
    return accept(cents);
  });

/** Timestamps to `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export const timestamp = (name: string, required: boolean): FieldCodec<string> =>
  field(name, required, (p) => {
    const iso = p._tag === 'text' ? parseTimestamp(p.text) : undefined;
    return iso === undefined ? reject('INVALID_TYPE', name, `${name} ${describe(p)} is not a timestamp`) : accept(iso);
  });

const isCount = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0 && s.length < 16;
};

/** Non-negative integers (counts). */
export const count = (name: string, required: boolean): FieldCodec<number> =>
  field(name, required, (p) => {
    if (p._tag === 'text' && isCount(p.text)) return accept(Number(p.text));
    if (p._tag === 'number' && Number.isSafeInteger(p.value) && p.value >= 0) return accept(p.value);
    return reject('INVALID_TYPE', name, `${name} ${describe(p)} is not a non-negative integer`);
  });
