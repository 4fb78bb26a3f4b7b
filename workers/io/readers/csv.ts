// CSV through PapaParse's parser core (Papa.Parser), fed the decoded text chunk by chunk. Papa
// reads quoting as RFC 4180 does (quoted commas, newlines and "" escapes) and, like Python's csv
// and Excel, takes a quote inside an unquoted field as a literal character (`27" Monitor`,
// `37°36'37.8"N`): a quote opens a quoted field only at the start of the field. Around it, this
// file does what Papa does not: strict UTF-8 (rows before a bad byte are still read), BOM
// removal, physical line numbers, the record cap (limits.ts), CRLF, blank lines, and refusing an
// unterminated quote or text after a closing quote (`"ab"cd`), which Papa only reports.
//
// Chunks: Papa parses `pending + text` and says (meta.cursor) where its last complete row ends;
// the rest is kept for the next chunk. A record still open is parsed again only once the text
// has doubled, so a large record costs O(n log n), not a rescan per chunk.
import Papa from 'papaparse';
import { MAX_RECORD_CHARS, recordTooLarge } from './limits.js';
import { ownText } from '../../core/own-text.js';
import { FileFailure, type ReadOutcome, type RowSink } from './rows.js';
import { Utf8Check, Utf8Failure } from './utf8.js';

/** csv-parser's rule, kept: such names would reach Object.prototype or confuse it. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

interface Parsed {
  readonly data: string[][];
  readonly errors: ReadonlyArray<{ readonly code: string; readonly row: number }>;
  readonly meta: { readonly cursor: number };
}

const countNewlines = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

/** Newlines inside a row's fields (quoted line breaks). */
const innerNewlines = (cells: ReadonlyArray<string>): number => {
  let n = 0;
  for (const cell of cells) if (cell.indexOf('\n') >= 0) n += countNewlines(cell, 0, cell.length);
  return n;
};

/** Builds row objects by column name: names the worker cannot use are skipped. */
class Columns {
  readonly names: ReadonlyArray<string>;
  private readonly keys: ReadonlyArray<string | undefined>;

  constructor(header: ReadonlyArray<string>) {
    this.names = header.map((h) => ownText(h.trim()));
    this.keys = this.names.map((n) => (n === '' || UNSAFE_NAMES.has(n) ? undefined : n));
  }

  row(cells: ReadonlyArray<string>): Record<string, string> {
    const row: Record<string, string> = {};
    const { keys } = this;
    for (let i = 0; i < cells.length; i++) {
      // Papa's cells are views into the parsed chunk, left so: a row lives for its chunk, and what is kept longer is copied where it is kept (core/own-text.ts)
      if (i >= keys.length) row[`_${i}`] = cells[i]!; // beyond the header: kept for the raw row
      else {
        const key = keys[i];
        if (key !== undefined) row[key] = cells[i]!;
      }
    }
    return row;
  }
}

export const readCsv = async (chunks: AsyncIterable<Buffer>, sink: RowSink): Promise<ReadOutcome> => {
  // ',' and '\n' fixed: guessing would look at the first chunk only; a CR before the LF is
  // removed below (Papa already skips it after a closing quote).
  const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"', escapeChar: '"' });
  const utf8 = new Utf8Check();
  let columns: Columns | undefined;
  let rows = 0;
  let bytes = 0;
  let pending = '';
  let pendingLine = 1; // physical line on which `pending` starts
  let rescanAt = 0;
  let started = false;
  const tooLarge = (line: number) => recordTooLarge(`the record starting on line ${line}`, ': a field that large, or an unterminated quote');

  const emit = (cells: string[], line: number) => {
    const last = cells.length - 1;
    const end = cells[last]!;
    if (end.charCodeAt(end.length - 1) === 13) cells[last] = end.slice(0, -1);
    if (cells.length === 1 && cells[0] === '') return; // a blank line: not a row
    if (columns === undefined) {
      columns = new Columns(cells);
      const named = columns.names.filter((n) => n !== '');
      if (named.length === 0) throw new FileFailure('FILE_EMPTY', 'no header row');
      const reason = sink.columns?.(named);
      if (reason) throw new FileFailure(reason.code, reason.message);
      return;
    }
    rows++;
    sink.row(columns.row(cells), line);
  };

  const parse = (text: string, final: boolean) => {
    const input = pending === '' ? text : pending + text;
    // Only text up to the last newline is parsed before the end: every row Papa sees then has
    // its line end, so a closing quote at a chunk's edge is never taken for a stray one.
    const cut = final ? input.length : input.lastIndexOf('\n') + 1;
    if (!final && (cut === 0 || input.length < rescanAt)) {
      pending = input;
      if (pending.length > MAX_RECORD_CHARS) throw tooLarge(pendingLine);
      return;
    }
    const result = parser.parse(cut === input.length ? input : input.slice(0, cut), 0, !final) as Parsed;
    const { data } = result;
    const invalid = result.errors.find((e) => e.code === 'InvalidQuotes');
    const missing = result.errors.find((e) => e.code === 'MissingQuotes');
    const failAt = invalid ?? missing;
    const usable = failAt === undefined ? data.length : failAt.row;
    const consumed = final ? input.length : result.meta.cursor;
    // Each row ends at one newline (at the end, the last row at none) unless quoted line breaks
    // add more; only then are a row's own newlines counted.
    const ended = final ? Math.max(0, data.length - 1) : data.length;
    const sequential = countNewlines(input, 0, consumed) === ended;
    let line = pendingLine;
    for (let r = 0; r < usable; r++) {
      const cells = data[r]!;
      emit(cells, line);
      line += sequential ? 1 : 1 + innerNewlines(cells);
    }
    if (invalid !== undefined) throw new FileFailure('FILE_MALFORMED', `text after a closing quote in the record starting on line ${line} (a quoted field ends at ',' or the line end)`);
    if (missing !== undefined) throw new FileFailure('FILE_MALFORMED', `unterminated quoted field in the record starting on line ${line}`);
    pending = input.slice(consumed);
    pendingLine = line;
    if (pending.length > MAX_RECORD_CHARS) throw tooLarge(line);
    rescanAt = pending.length > 4096 ? 2 * pending.length : 0;
  };

  const decoded = (valid: Buffer): string => {
    let text = valid.toString('utf8');
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };

  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      let valid: Buffer;
      try {
        valid = utf8.push(chunk);
      } catch (error) {
        // rows that end before the bad byte were read: parse them, then stop
        if (error instanceof Utf8Failure && error.validBytes.length > 0) {
          rescanAt = 0;
          parse(decoded(error.validBytes), false);
        }
        throw error;
      }
      if (valid.length > 0) parse(decoded(valid), false);
      await sink.ready(bytes);
    }
    utf8.end();
    if (bytes === 0) throw new FileFailure('FILE_EMPTY', 'zero bytes');
    parse('', true);
    if (columns === undefined) throw new FileFailure('FILE_EMPTY', 'no header row');
    return { positionKind: 'line', rows, bytes };
  } catch (error) {
    if (error instanceof FileFailure) return { positionKind: 'line', rows, bytes, fileReason: error.reason };
    throw error;
  }
};
