// What a raw value (a CSV string, or any JSON value) holds before its type is checked: the shared
// first step of every field rule (rows/field.ts).

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
