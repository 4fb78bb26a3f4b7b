// Reading a few fields straight out of one cleaned NDJSON line, without building the object.
// Cleaned lines are flat JSON objects written by JSON.stringify; in such text the sequence
// `"key":` can only be that key (a quote inside a string value is always escaped), so the value
// is found by search. Whatever is not plainly a string without escapes or a non-negative integer
// gives undefined, and the caller falls back to JSON.parse: this is a shortcut, never a guess.

/**
 * The search text of a key, made once per key: built per call, it was a fresh string for every
 * line of millions, and a fresh search pattern to prepare.
 */
const markerOf = (cache: Map<string, string>, suffix: string) => (key: string): string => {
  let marker = cache.get(key);
  if (marker === undefined) cache.set(key, (marker = `"${key}":${suffix}`));
  return marker;
};
/** `"key":"`, the start of a string value of key. */
export const stringMarker = markerOf(new Map(), '"');
const valueMarker = markerOf(new Map(), '');

/** The string value of top-level `key`, when it is a string with no escape sequences. */
export const plainStringField = (line: string, key: string): string | undefined => {
  const marker = stringMarker(key);
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  const end = line.indexOf('"', start);
  if (end < 0) return undefined;
  const value = line.slice(start, end);
  return value.includes('\\') ? undefined : value;
};

/** The value of top-level `key` when it is a plain non-negative integer (digits only). */
export const plainIntField = (line: string, key: string): number | undefined => {
  const marker = valueMarker(key);
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  let i = at + marker.length;
  let n = 0;
  const first = i;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  const next = line.charCodeAt(i);
  if (i === first || (next !== 44 && next !== 125) || !Number.isSafeInteger(n)) return undefined; // ',' or '}'
  return n;
};
