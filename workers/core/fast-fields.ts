// Field pieces of the hand-tuned paths (item-fast.ts, order-fast.ts): each either yields the
// value (or its JSON fragment) or MISSING, which sends the row to the generic codecs.
import { parseTimestamp } from './timestamp.js';
import { trimmed } from './fields.js';
import { jsonString } from './json-text.js';

export const MISSING = '\u0000';

/** Required text: the trimmed value, or MISSING when absent, empty or not a string. */
export const req = (v: unknown): string => {
  if (typeof v !== 'string') return MISSING;
  const t = trimmed(v);
  return t === '' ? MISSING : t;
};

/** Optional text: '' when absent or empty, the trimmed value, or MISSING when not a string. */
export const opt = (v: unknown): string => {
  if (v === undefined) return '';
  if (typeof v !== 'string') return MISSING;
  return trimmed(v);
};

/** Optional timestamp as a `,"name":"iso"` fragment, '' when absent, MISSING when invalid. */
export const tsPart = (prefix: string, v: unknown): string => {
  const t = opt(v);
  if (t === '' || t === MISSING) return t;
  const iso = parseTimestamp(t);
  return iso === undefined ? MISSING : `${prefix}${iso}"`;
};

export const textPart = (prefix: string, t: string): string => (t === '' ? '' : prefix + jsonString(t));

