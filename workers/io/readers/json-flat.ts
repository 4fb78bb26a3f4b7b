// The common row shape of JSON exports, read without JSON.parse: one flat object whose members
// are plain strings (no escape sequences), numbers, true, false or null. Such a row is built
// straight from the text in one pass, each number as its source text (json-number.ts), so the
// text is neither rewritten nor parsed twice. Anything else (an escape, a nested value, a
// repeated or unusual key, a syntax error, text that ends early) returns undefined and the caller
// takes the general path (json-row.ts + JSON.parse), which gives the row or the exact error: this
// is a shortcut for valid rows, never a second grammar.
import { decimalTextOfJsonNumber, isJsonNumber } from './json-number.js';
import { ownText } from '../../core/own-text.js';

const isBlank = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

/** Reads flat rows; remembers the last row's keys, so a row with the same keys reuses them. */
export class FlatRows {
  /** Index just past the last row read. */
  end = 0;
  private names: string[] = [];

  /** End of the plain string opened at `open` (its closing quote), or -1: escape, control, end. */
  private static plainStringEnd(s: string, open: number): number {
    const n = s.length;
    for (let j = open + 1; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c === 34) return j;
      if (c === 92 || c < 32) return -1;
    }
    return -1;
  }

  /** The row of the object at `start`, or undefined (take the general path). */
  read(s: string, start: number): Record<string, unknown> | undefined {
    const n = s.length;
    let i = start;
    if (s.charCodeAt(i) !== 123) return undefined;
    i++;
    while (i < n && isBlank(s.charCodeAt(i))) i++;
    const row: Record<string, unknown> = {};
    if (s.charCodeAt(i) === 125) {
      this.end = i + 1;
      return row;
    }
    const names = this.names;
    let k = 0;
    let cached = true; // every key so far is the previous row's key at the same place
    for (;;) {
      if (s.charCodeAt(i) !== 34) return undefined;
      const keyEnd = FlatRows.plainStringEnd(s, i);
      if (keyEnd < 0) return undefined;
      let key = names[k];
      if (!(cached && key !== undefined && key.length === keyEnd - i - 1 && s.startsWith(key, i + 1))) {
        key = ownText(s.slice(i + 1, keyEnd));
        if (key === '__proto__' || Object.hasOwn(row, key)) return undefined;
        if (cached) names.length = k;
        cached = false;
        names[k] = key;
      }
      k++;
      i = keyEnd + 1;
      while (i < n && isBlank(s.charCodeAt(i))) i++;
      if (s.charCodeAt(i) !== 58) return undefined;
      i++;
      while (i < n && isBlank(s.charCodeAt(i))) i++;
      const c = s.charCodeAt(i);
      let value: unknown;
      if (c === 34) {
        const end = FlatRows.plainStringEnd(s, i);
        if (end < 0) return undefined;
        value = s.slice(i + 1, end);
        i = end + 1;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        let end = i + 1;
        while (end < n && isNumberChar(s.charCodeAt(end))) end++;
        const token = s.slice(i, end);
        if (!isJsonNumber(token)) return undefined;
        value = decimalTextOfJsonNumber(token);
        i = end;
      } else if (c === 116 && s.startsWith('true', i)) {
        value = true;
        i += 4;
      } else if (c === 102 && s.startsWith('false', i)) {
        value = false;
        i += 5;
      } else if (c === 110 && s.startsWith('null', i)) {
        value = null;
        i += 4;
      } else return undefined;
      row[key] = value;
      while (i < n && isBlank(s.charCodeAt(i))) i++;
      const next = s.charCodeAt(i);
      if (next === 44) {
        i++;
        while (i < n && isBlank(s.charCodeAt(i))) i++;
      } else if (next === 125) {
        if (cached) names.length = k;
        this.end = i + 1;
        return row;
      } else return undefined;
    }
  }
}
