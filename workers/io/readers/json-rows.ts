// What both JSON readers do with one complete value: parse it (numbers of members as source text,
// json-row.ts), refuse an object that names a column the worker reads twice (the sink decides,
// as for a CSV header), and hand the row on.
import { FlatRows } from './json-flat.js';
import { duplicatedKeys, INCOMPLETE, keyCount, scanValue, type Scanned } from './json-row.js';
import { FileFailure, type RowSink } from './rows.js';

const syntaxError = (where: string, text: string, fallback: string): FileFailure => {
  let message = fallback;
  try {
    JSON.parse(text);
  } catch (error) {
    message = (error as Error).message;
  }
  return new FileFailure('FILE_MALFORMED', `JSON syntax error ${where}: ${message}`);
};

const firstNonBlank = (s: string): number => {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return i;
};

export class JsonRows {
  /** Filled by scanValue; read right after, before the next scan. */
  readonly scanned: Scanned = { text: '', keys: 0 };

  private readonly flat = new FlatRows();

  constructor(private readonly sink: RowSink) {}

  /**
   * The common case first: a flat object at `start` of `s` read in one pass (json-flat.ts) and
   * handed on. Returns the index just past it, or INCOMPLETE when the general path must run.
   */
  flatRow(s: string, start: number, position: number, maxChars: number, tooLarge: () => FileFailure): number {
    const row = this.flat.read(s, start);
    if (row === undefined) return INCOMPLETE;
    if (this.flat.end - start > maxChars) throw tooLarge();
    this.sink.row(row, position);
    return this.flat.end;
  }

  /** Parses the value just scanned into `scanned` and hands it to the sink. */
  emitScanned(where: () => string, position: number): void {
    let value: unknown;
    try {
      value = JSON.parse(this.scanned.text);
    } catch (error) {
      throw new FileFailure('FILE_MALFORMED', `JSON syntax error ${where()}: ${(error as Error).message}`);
    }
    const { keys } = this.scanned;
    if (keys > 1 && keyCount(value as object) < keys) {
      const reason = this.sink.repeatedKeys?.(duplicatedKeys(this.scanned.text), position);
      if (reason) throw new FileFailure(reason.code, reason.message);
    }
    this.sink.row(value, position);
  }

  /** One NDJSON line (not blank): exactly one value, whitespace around it. */
  line(text: string, where: () => string, position: number): void {
    const start = firstNonBlank(text);
    const row = this.flat.read(text, start);
    if (row !== undefined && firstNonBlank(text.slice(this.flat.end)) === text.length - this.flat.end) {
      this.sink.row(row, position);
      return;
    }
    const end = scanValue(text, start, true, this.scanned);
    if (end === INCOMPLETE) throw syntaxError(where(), text, 'the value is not complete');
    if (firstNonBlank(text.slice(end)) !== text.length - end) throw syntaxError(where(), text, 'content after the value');
    this.emitScanned(where, position);
  }
}
