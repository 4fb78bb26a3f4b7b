// One entry for every input file: the extension decides the reader; every way a file can fail is
// a file-level reason in the outcome, never an exception (DESIGN §11: never crash without a report).
import type { Readable } from 'node:stream';
import { fileBytes } from './bytes.js';
import { readCsv } from './csv.js';
import { formatOf, type FileFormat } from './format.js';
import { readJsonArray } from './json.js';
import { readNdjson } from './ndjson.js';
import { FileFailure, type PositionKind, type ReadOutcome, type RowSink } from './rows.js';

export { formatOf, showFormat, type FileFormat, type Format } from './format.js';
export type { ReadOutcome, RowSink, PositionKind } from './rows.js';

const READERS = { csv: readCsv, json: readJsonArray, ndjson: readNdjson } as const;

/**
 * How rows of `key` are positioned, known before the file is read: a sink names each row's
 * position with it as the rows arrive (`index` for a JSON array, `line` otherwise).
 */
export const positionKindOf = (key: string): PositionKind => (formatOf(key)?.format === 'json' ? 'index' : 'line');

/**
 * Reads one file's rows into the sink. `open` is called only for a supported extension; an error
 * opening or reading is FILE_UNREADABLE.
 */
export const readRows = async (key: string, open: () => Promise<Readable>, sink: RowSink): Promise<ReadOutcome & { format?: FileFormat }> => {
  const format = formatOf(key);
  if (format === undefined) {
    return {
      positionKind: 'line',
      rows: 0,
      bytes: 0,
      fileReason: { code: 'FILE_UNSUPPORTED', message: 'extension is none of .csv .json .jsonl .ndjson (optionally .gz)' },
    };
  }
  let body: Readable;
  try {
    body = await open();
  } catch (error) {
    return { format, positionKind: 'line', rows: 0, bytes: 0, fileReason: { code: 'FILE_UNREADABLE', message: `cannot open: ${(error as Error).message}` } };
  }
  try {
    return { format, ...(await READERS[format.format](fileBytes(body, format.gzip), sink)) };
  } catch (error) {
    if (error instanceof FileFailure) return { format, positionKind: 'line', rows: 0, bytes: 0, fileReason: error.reason };
    throw error;
  } finally {
    body.destroy();
  }
};
