// A JSON array, element by element: the text is decoded chunk by chunk (strict UTF-8 through a
// fatal streaming TextDecoder, which also drops a BOM), and each element, once its end is found
// by json-row.ts's scan, is parsed on its own by JSON.parse. Only the element being read is held
// in memory, and never more than the record cap (limits.ts): a huge element stops the file with a
// reason instead of exhausting the heap. The scan is hand-written rather than a streaming JSON
// library's token stream for three reasons: numbers must keep their source text, the cap needs
// to see an element's size before it is assembled, and JSON.parse per element is several times
// faster than assembling one from tokens (README, Validate worker: format readers).
import { TextDecoder } from 'node:util';
import { INCOMPLETE, scanValue } from './json-row.js';
import { JsonRows } from './json-rows.js';
import { MAX_RECORD_CHARS, recordTooLarge } from './limits.js';
import { FileFailure, type ReadOutcome, type RowSink } from './rows.js';

const decode = (decoder: TextDecoder, chunk: Buffer | undefined): string => {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new FileFailure('FILE_UNREADABLE', 'not valid UTF-8');
  }
};

/** Where the reader is in `[ element , element ]`. */
const enum At {
  Start, // before '['
  FirstElement, // after '[': an element or ']'
  Element, // after ',': an element
  AfterElement, // ',' or ']'
  End, // after ']': only whitespace
}

export const readJsonArray = async (chunks: AsyncIterable<Buffer>, sink: RowSink): Promise<ReadOutcome> => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const json = new JsonRows(sink);
  let rows = 0;
  let bytes = 0;
  let content = false;
  let at = At.Start as At;
  let text = '';
  // An element still open at the end of the text is scanned again once the text has doubled, so
  // a large element costs O(n log n), not a rescan per chunk.
  let rescanAt = 0;

  const malformed = (message: string) => new FileFailure('FILE_MALFORMED', message);
  const where = () => `in element ${rows}`;

  /** Consumes what `text` holds; keeps an unfinished element for the next chunk. */
  const advance = (final: boolean) => {
    const n = text.length;
    if (!final && n < rescanAt) return;
    rescanAt = 0;
    let i = 0;
    for (;;) {
      while (i < n && text.charCodeAt(i) <= 32) i++;
      if (i === n) break;
      content = true;
      const c = text.charCodeAt(i);
      if (at === At.Start) {
        if (c !== 91) throw malformed('the top-level JSON value is not an array');
        at = At.FirstElement;
        i++;
      } else if (at === At.AfterElement || (at === At.FirstElement && c === 93)) {
        if (c === 93) at = At.End;
        else if (c === 44) at = At.Element;
        else throw malformed(`JSON syntax error after element ${rows - 1}: expected ',' or ']'`);
        i++;
      } else if (at === At.End) {
        throw malformed('content after the top-level array');
      } else {
        const flat = json.flatRow(text, i, rows, MAX_RECORD_CHARS, () => recordTooLarge(`element ${rows}`));
        if (flat !== INCOMPLETE) {
          rows++;
          at = At.AfterElement;
          i = flat;
          continue;
        }
        const end = scanValue(text, i, final, json.scanned);
        if (end === INCOMPLETE) {
          if (n - i > MAX_RECORD_CHARS) throw recordTooLarge(`element ${rows}`);
          rescanAt = 2 * (n - i);
          break;
        }
        if (end - i > MAX_RECORD_CHARS) throw recordTooLarge(`element ${rows}`);
        json.emitScanned(where, rows);
        rows++;
        at = At.AfterElement;
        i = end;
      }
    }
    text = i === n ? '' : text.slice(i);
  };

  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      const piece = decode(decoder, chunk);
      text = text === '' ? piece : text + piece;
      advance(false);
      await sink.ready(bytes);
    }
    text += decode(decoder, undefined);
    advance(true);
    if (!content) throw new FileFailure('FILE_EMPTY', bytes === 0 ? 'zero bytes' : 'no JSON value');
    if (text !== '' && at !== At.End) throw malformed(`JSON syntax error in element ${rows}: the element is not complete`);
    if (at !== At.End) throw malformed(`JSON ends inside the array after element ${rows - 1}`);
    return { positionKind: 'index', rows, bytes };
  } catch (error) {
    if (error instanceof FileFailure) return { positionKind: 'index', rows, bytes, fileReason: error.reason };
    throw error;
  }
};
