// One JSON value (an NDJSON line, a JSON-array element) to a row, for both JSON readers.
//
// JSON.parse turns every number into a double, which loses int64 ids and rounds money. So one
// pass over the text first finds where the value ends and rewrites each number that is a direct
// member of the top-level object into a string of its source text (json-number.ts); JSON.parse of
// the rewritten text then builds the row natively. The pass jumps over string contents with
// indexOf and looks at single characters only between strings (keys, ':', ',', numbers), so it
// costs far less than the parse. Only syntax it must know is checked here (where strings end,
// nesting, where a number may stand); everything else is left to JSON.parse, which rejects what
// the rewrite did not make valid: a number is rewritten only where JSON allows one (after ':'),
// and only when it is a valid JSON number.
import { decimalTextOfJsonNumber, isJsonNumber } from './json-number.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

export const INCOMPLETE = -1;

/** What a scan found; one per reader, reused for every value (no allocation per row). */
export interface Scanned {
  /** The value's text, its top-level members' numbers turned into strings. */
  text: string;
  /** Members of the top-level object (0 for any other value). */
  keys: number;
}

/** Index of the quote that closes the string opened at `open`, or -1 when the text ends first. */
const stringEnd = (s: string, open: number): number => {
  let j = s.indexOf('"', open + 1);
  while (j > 0 && s.charCodeAt(j - 1) === BACKSLASH) {
    let k = j - 1;
    while (s.charCodeAt(k - 1) === BACKSLASH) k--;
    if ((j - k) % 2 === 0) break; // an even run of backslashes escapes itself, not the quote
    j = s.indexOf('"', j + 1);
  }
  return j;
};

const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

/** A scalar at the top level ends at whitespace or at the structure around it. */
const isScalarEnd = (c: number): boolean => c <= 32 || c === COMMA || c === CLOSE_ARRAY || c === CLOSE_OBJECT;

/**
 * Scans the JSON value starting at `start` (not whitespace). Returns the index just past it and
 * fills `out`, or INCOMPLETE when `s` ends first (a scalar at the very end counts as complete
 * only when `final`). `keyNames`, when given, receives the top-level object's keys (the slow path
 * that names duplicated keys).
 */
export const scanValue = (s: string, start: number, final: boolean, out: Scanned, keyNames?: string[]): number => {
  const n = s.length;
  const first = s.charCodeAt(start);
  out.keys = 0;
  if (first === QUOTE) {
    const end = stringEnd(s, start);
    if (end < 0) return INCOMPLETE;
    out.text = s.slice(start, end + 1);
    return end + 1;
  }
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    let end = start + 1;
    while (end < n && !isScalarEnd(s.charCodeAt(end))) end++;
    if (end === n && !final) return INCOMPLETE;
    out.text = s.slice(start, end);
    return end;
  }
  const object = first === OPEN_OBJECT;
  let depth = 0;
  let prev = 0;
  let keys = 0;
  let rewritten = '';
  let copied = start;
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(s, i);
      if (end < 0) return INCOMPLETE;
      if (object && depth === 1 && (prev === OPEN_OBJECT || prev === COMMA)) {
        keys++;
        keyNames?.push(JSON.parse(s.slice(i, end + 1)) as string);
      }
      prev = QUOTE;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      prev = c;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      prev = c;
      if (--depth === 0) {
        out.text = copied === start ? s.slice(start, i + 1) : rewritten + s.slice(copied, i + 1);
        out.keys = keys;
        return i + 1;
      }
    } else if (c > 32) {
      if (object && depth === 1 && prev === COLON && (c === 45 || (c >= 48 && c <= 57))) {
        let end = i + 1;
        while (end < n && isNumberChar(s.charCodeAt(end))) end++;
        if (end === n) return INCOMPLETE; // the object is still open: more text follows
        const token = s.slice(i, end);
        if (isJsonNumber(token)) {
          rewritten += `${s.slice(copied, i)}"${decimalTextOfJsonNumber(token)}"`;
          copied = end;
        }
        i = end - 1;
      }
      prev = c;
    }
  }
  return INCOMPLETE;
};

/** JSON.parse of a scanned value's text; throws SyntaxError as JSON.parse does. */
export const parseScanned = (out: Scanned): unknown => JSON.parse(out.text);

/** Member names given more than once in the top-level object of `text` (a complete value). */
export const duplicatedKeys = (text: string): string[] => {
  const names: string[] = [];
  scanValue(text, 0, true, { text: '', keys: 0 }, names);
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return [...twice];
};

/** Own keys of a parsed object, counted without allocating an array. */
export const keyCount = (value: object): number => {
  let n = 0;
  for (const _ in value) n++;
  return n;
};
