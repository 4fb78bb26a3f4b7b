// Row encodings of the three formats. CSV fields are quoted only when RFC 4180 needs it; numbers
// print as a FLOAT64 export prints them (`%.17g` in CSV, shortest round-trip in JSON).
import type { Cell, Row } from './columns.js';
import { g17 } from './values.js';

export type Format = 'csv' | 'json' | 'ndjson';

const csvField = (cell: Cell): string => {
  if (cell === undefined) return '';
  const text = typeof cell === 'number' ? g17(cell) : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvRecord = (columns: ReadonlyArray<string>, row: Row): string => columns.map((c) => csvField(row[c])).join(',');

export const csvHeader = (columns: ReadonlyArray<string>): string => columns.join(',');

/** One JSON object, keys in column order, absent cells left out (as BigQuery's JSON export does). */
export const jsonRecord = (columns: ReadonlyArray<string>, row: Row): string => {
  const parts: string[] = [];
  for (const c of columns) {
    const cell = row[c];
    if (cell !== undefined) parts.push(`${JSON.stringify(c)}:${JSON.stringify(cell)}`);
  }
  return `{${parts.join(',')}}`;
};

/** Physical lines a record text spans beyond its first (quoted line breaks inside CSV fields). */
export const extraLines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};
