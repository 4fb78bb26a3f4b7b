// Reads a generated shop back without the generator's code: a small RFC 4180 reader of its own
// (records with the physical line they start on), JSON.parse and NDJSON lines. Tests compare what
// this finds with what the manifest claims.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type Value = string | number | boolean | null | undefined;
export interface Record_ {
  /** CSV/NDJSON: 1-based line where the record starts; JSON: 0-based index. */
  readonly at: number;
  readonly fields: Readonly<Record<string, Value>>;
}

export const fileBytes = (dir: string, key: string): Buffer => {
  const raw = readFileSync(join(dir, key));
  return key.endsWith('.gz') ? gunzipSync(raw) : raw;
};

/** Records of a CSV text with their start lines; throws on an unterminated quote. */
export const parseCsv = (text: string): { header: string[]; records: Array<{ line: number; cells: string[] }> } => {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fresh = true; // at the start of a record (nothing read yet)
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (fresh) {
      start = line;
      fresh = false;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') continue;
    else if (ch === '\n') {
      cells.push(cell);
      rows.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      fresh = true;
    } else cell += ch;
  }
  if (quoted) throw new Error('unterminated quote');
  if (!fresh) {
    cells.push(cell);
    rows.push({ line: start, cells });
  }
  const [header, ...records] = rows;
  return { header: header?.cells ?? [], records };
};

export const readRecords = (dir: string, key: string, format: string): Record_[] => {
  const text = fileBytes(dir, key).toString('utf8');
  if (format === 'csv') {
    const { header, records } = parseCsv(text);
    return records.map(({ line, cells }) => ({ at: line, fields: Object.fromEntries(header.map((h, i) => [h, cells[i]])) }));
  }
  if (format === 'json') return (JSON.parse(text) as Array<Record<string, Value>>).map((fields, at) => ({ at, fields }));
  return text
    .split('\n')
    .map((l, i) => ({ l, at: i + 1 }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, at }) => ({ at, fields: JSON.parse(l) as Record<string, Value> }));
};
