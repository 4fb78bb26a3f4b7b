// Newline-delimited JSON: one value per physical line, blank lines skipped, strict UTF-8. A line
// that is not JSON makes the file malformed; a line that is JSON but not an object is a row the
// sink rejects. Numbers of an object's members arrive as their source text (json-row.ts).
import { TextDecoder } from 'node:util';
import { MAX_RECORD_CHARS, recordTooLarge } from './limits.js';
import { JsonRows } from './json-rows.js';
import { FileFailure, type ReadOutcome, type RowSink } from './rows.js';

export const readNdjson = async (chunks: AsyncIterable<Buffer>, sink: RowSink): Promise<ReadOutcome> => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const json = new JsonRows(sink);
  let rows = 0;
  let bytes = 0;
  let line = 0;
  let partial = '';
  let content = false;

  const take = (text: string) => {
    line++;
    if (text.trim() === '') return;
    content = true;
    if (text.length > MAX_RECORD_CHARS) throw recordTooLarge(`line ${line}`);
    json.line(text, () => `on line ${line}`, line);
    rows++;
  };
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new FileFailure('FILE_UNREADABLE', `not valid UTF-8 (after line ${line})`);
    }
  };
  const split = (text: string) => {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      take(partial === '' ? text.slice(start, nl) : partial + text.slice(start, nl));
      partial = '';
      start = nl + 1;
    }
    partial += text.slice(start);
    if (partial.length > MAX_RECORD_CHARS) throw recordTooLarge(`line ${line + 1}`);
  };

  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      split(decode(chunk));
      await sink.ready(bytes);
    }
    split(decode());
    if (partial !== '') take(partial);
    if (!content) throw new FileFailure('FILE_EMPTY', bytes === 0 ? 'zero bytes' : 'no JSON lines');
    return { positionKind: 'line', rows, bytes };
  } catch (error) {
    if (error instanceof FileFailure) return { positionKind: 'line', rows, bytes, fileReason: error.reason };
    throw error;
  }
};
