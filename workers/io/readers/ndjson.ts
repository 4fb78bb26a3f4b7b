// Newline-delimited JSON: one value per physical line, blank lines skipped, strict UTF-8. A line
// that is not JSON makes the file malformed; a line that is JSON but not an object is a row the
// sink rejects.
import { TextDecoder } from 'node:util';
import { FileFailure, type ReadOutcome, type RowSink } from './rows.js';

const MAX_LINE_CHARS = 16 << 20;

export const readNdjson = async (chunks: AsyncIterable<Buffer>, sink: RowSink): Promise<ReadOutcome> => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rows = 0;
  let bytes = 0;
  let line = 0;
  let partial = '';
  let content = false;

  const take = (text: string) => {
    line++;
    if (text.trim() === '') return;
    content = true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new FileFailure('FILE_MALFORMED', `JSON syntax error on line ${line}: ${(error as Error).message}`);
    }
    rows++;
    sink.row(value, line);
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
      take(partial + text.slice(start, nl));
      partial = '';
      start = nl + 1;
    }
    partial += text.slice(start);
    if (partial.length > MAX_LINE_CHARS) throw new FileFailure('FILE_MALFORMED', `line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`);
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
