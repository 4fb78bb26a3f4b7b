// One output file of the generator: CSV, a JSON array or NDJSON, optionally gzipped, written with
// backpressure. It knows where the next record lands (CSV/NDJSON: 1-based physical line; JSON:
// 0-based array index), which is how the generator's manifest names quarantined rows.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { extraLines, type Format } from './shop/encode.js';

export type Position = { readonly line: number } | { readonly index: number };

export interface PartFileOptions {
  readonly path: string;
  readonly format: Format;
  readonly gz: boolean;
  /** CSV header line (no terminator); ignored for JSON formats. */
  readonly header: string;
  /** CSV only: a UTF-8 byte-order mark and CRLF line ends, as a spreadsheet on Windows writes. */
  readonly windows: boolean;
  /** Write no bytes at all: no header, no brackets, no records (gzipped: an empty member). */
  readonly empty: boolean;
}

export interface PartFile {
  /** Where the next record will be. */
  readonly position: () => Position;
  readonly records: () => number;
  /** Appends one encoded record; returns a promise only when the caller must wait (backpressure). */
  readonly write: (record: string | Buffer) => Promise<void> | undefined;
  readonly close: () => Promise<number>;
}

const FLUSH_AT = 1 << 20;

export const openPartFile = (options: PartFileOptions): PartFile => {
  const file = createWriteStream(options.path);
  const gzip = options.gz ? createGzip() : undefined;
  const sink: Writable = gzip ?? file;
  const done = gzip ? pipeline(gzip, file) : once(file, 'finish').then(() => undefined);
  const eol = options.format === 'csv' && options.windows ? '\r\n' : '\n';
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let written = 0;
  let count = 0;
  let line = options.format === 'csv' ? 2 : 1;

  const push = (chunk: string | Buffer): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    pending.push(bytes);
    pendingBytes += bytes.length;
  };
  const flush = (): Promise<void> | undefined => {
    if (pendingBytes === 0) return undefined;
    const chunk = Buffer.concat(pending, pendingBytes);
    written += chunk.length;
    pending = [];
    pendingBytes = 0;
    return sink.write(chunk) ? undefined : once(sink, 'drain').then(() => undefined);
  };

  if (!options.empty) {
    if (options.format === 'csv') push(`${options.windows ? '\uFEFF' : ''}${options.header}${eol}`);
    if (options.format === 'json') push('[\n');
  }

  return {
    position: () => (options.format === 'json' ? { index: count } : { line }),
    records: () => count,
    write: (record) => {
      if (options.empty) return undefined;
      if (options.format === 'json' && count > 0) push(',\n');
      push(record);
      if (options.format !== 'json') push(eol);
      if (options.format === 'csv') line += 1 + extraLines(typeof record === 'string' ? record : record.toString('latin1'));
      else line += 1;
      count++;
      return pendingBytes >= FLUSH_AT ? flush() : undefined;
    },
    close: async () => {
      if (!options.empty && options.format === 'json') push(count > 0 ? '\n]\n' : ']\n');
      await flush();
      sink.end();
      await done;
      return written;
    },
  };
};
