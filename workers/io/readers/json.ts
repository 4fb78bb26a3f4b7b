// A JSON array of objects through stream-json's core parser and array streamer, fed text chunk by
// chunk: one element assembled at a time, never the file. Strict UTF-8 through a fatal streaming
// TextDecoder (which also drops a BOM).
import { jsonParser } from 'stream-json/core/parser.js';
import { streamArray } from 'stream-json/core/streamers/stream-array.js';
import { none, isMany, getManyValues } from 'stream-chain/defs.js';
import { TextDecoder } from 'node:util';
import { FileFailure, type ReadOutcome, type RowSink } from './rows.js';

const decode = (decoder: TextDecoder, chunk: Buffer | undefined): string => {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new FileFailure('FILE_UNREADABLE', 'not valid UTF-8');
  }
};

type Item = { key: number; value: unknown };

export const readJsonArray = async (chunks: AsyncIterable<Buffer>, sink: RowSink): Promise<ReadOutcome> => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parse = jsonParser({ streamValues: false });
  const elements = streamArray();
  let rows = 0;
  let bytes = 0;
  let content = false;
  let closed = false;
  let depth = 0;

  const take = (out: unknown) => {
    if (out === none || out === undefined) return;
    const items = isMany(out) ? (getManyValues(out) as Item[]) : [out as Item];
    for (const item of items) {
      rows++;
      sink.row(item.value, item.key);
    }
  };
  const tokens = (text: string | typeof none) => {
    let out: unknown;
    try {
      out = parse(text as string);
    } catch (error) {
      throw new FileFailure('FILE_MALFORMED', `JSON syntax error after element ${rows}: ${(error as Error).message}`);
    }
    if (out === none || out === undefined) return;
    for (const token of (isMany(out) ? getManyValues(out) : [out]) as Array<{ name: string }>) {
      if (closed) throw new FileFailure('FILE_MALFORMED', 'content after the top-level array');
      if (token.name === 'startArray' || token.name === 'startObject') depth++;
      else if (token.name === 'endArray' || token.name === 'endObject') closed = --depth === 0;
      try {
        take(elements(token as never));
      } catch (error) {
        if (error instanceof FileFailure) throw error;
        throw new FileFailure('FILE_MALFORMED', 'the top-level JSON value is not an array');
      }
    }
  };

  // Fed in pieces that end at each '}': an element is handed on as soon as it closes, so a syntax
  // error later in the same chunk cannot swallow the elements before it (rows_read counts them).
  const feed = (text: string) => {
    let start = 0;
    for (let end = text.indexOf('}'); end >= 0; end = text.indexOf('}', start)) {
      tokens(text.slice(start, end + 1));
      start = end + 1;
    }
    if (start < text.length) tokens(text.slice(start));
  };

  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      const text = decode(decoder, chunk);
      if (!content && /\S/.test(text)) content = true;
      if (text.length > 0) feed(text);
      await sink.ready(bytes);
    }
    const rest = decode(decoder, undefined);
    if (!content && /\S/.test(rest)) content = true;
    if (!content) throw new FileFailure('FILE_EMPTY', bytes === 0 ? 'zero bytes' : 'no JSON value');
    if (rest.length > 0) feed(rest);
    tokens(none);
    if (!closed) throw new FileFailure('FILE_MALFORMED', `JSON ends inside the array after element ${rows}`);
    return { positionKind: 'index', rows, bytes };
  } catch (error) {
    if (error instanceof FileFailure) return { positionKind: 'index', rows, bytes, fileReason: error.reason };
    throw error;
  }
};
