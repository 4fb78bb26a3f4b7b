// CSV through csv-parser (RFC 4180 quoting, CRLF, quoted newlines), plus what csv-parser does not
// do: strict UTF-8, BOM removal, physical line numbers, and refusing an unterminated quote, which
// csv-parser silently accepts at the end of input.
//
// Line numbers: csv-parser reports each row's byte offset; the newline offsets of every chunk are
// recorded before csv-parser sees it (it unescapes `""` in place, which can shift bytes), and a
// monotonic cursor turns a row's offset into 1 + the newlines before it.
import csvParser from 'csv-parser';
import { FileFailure, type ReadOutcome, type RowSink } from './rows.js';
import { Utf8Check, Utf8Failure } from './utf8.js';

const NL = 10;
const QUOTE = 34;
/** A row longer than this is an unterminated quote swallowing the file: stop, do not buffer it. */
const MAX_ROW_BYTES = 1 << 20;

class NewlineIndex {
  private offsets: number[] = [];
  private cursor = 0;
  private consumed = 0;

  add(chunk: Buffer, start: number): void {
    for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) this.offsets.push(start + i);
  }

  /** 1-based line of the byte at `offset`; offsets must not decrease between calls. */
  lineAt(offset: number): number {
    const { offsets } = this;
    let c = this.cursor;
    while (c < offsets.length && offsets[c]! < offset) c++;
    this.cursor = c;
    if (c > 1 << 15) {
      offsets.splice(0, c);
      this.consumed += c;
      this.cursor = 0;
      return this.consumed + 1;
    }
    return this.consumed + c + 1;
  }
}

const countQuotes = (chunk: Buffer): number => {
  let n = 0;
  for (let i = chunk.indexOf(QUOTE); i >= 0; i = chunk.indexOf(QUOTE, i + 1)) n++;
  return n;
};

interface Emitted {
  readonly row: Record<string, string>;
  readonly byteOffset: number;
}

export const readCsv = async (chunks: AsyncIterable<Buffer>, sink: RowSink): Promise<ReadOutcome> => {
  const parser = csvParser({ mapHeaders: ({ header }) => header.trim(), maxRowBytes: MAX_ROW_BYTES, outputByteOffset: true });
  const utf8 = new Utf8Check();
  const lines = new NewlineIndex();
  let rows = 0;
  let bytes = 0;
  let written = 0;
  let quotes = 0;
  let first: string | undefined;
  let stop: FileFailure | undefined;
  let parseError: Error | undefined;
  let head: Buffer | undefined;
  let bomChecked = false;

  parser.on('headers', (names: ReadonlyArray<string | null>) => {
    const columns = names.filter((n): n is string => n !== null && n !== '');
    first = names[0] ?? undefined;
    if (columns.length === 0) stop = new FileFailure('FILE_EMPTY', 'no header row');
    const reason = stop ? undefined : sink.columns?.(columns);
    if (reason) stop = new FileFailure(reason.code, reason.message);
  });
  parser.on('data', ({ row, byteOffset }: Emitted) => {
    if (stop !== undefined) return;
    // a blank line comes out as an empty object: not a row
    if (first !== undefined && row[first] === undefined && Object.keys(row).length === 0) return;
    rows++;
    sink.row(row, lines.lineAt(byteOffset));
  });
  parser.on('error', (error: Error) => (parseError ??= error));
  const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('close', resolve));

  const feed = (chunk: Buffer) => {
    lines.add(chunk, written);
    quotes += countQuotes(chunk);
    written += chunk.length;
    parser.write(chunk);
  };
  const releaseHead = () => {
    const h = head!;
    const body = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf ? h.subarray(3) : h;
    head = undefined;
    bomChecked = true;
    if (body.length > 0) feed(body);
  };
  const check = () => {
    if (stop) throw stop;
    if (parseError) throw new FileFailure('FILE_MALFORMED', `unparseable CSV: ${parseError.message} (an unterminated quote?)`);
  };

  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      try {
        utf8.push(chunk);
      } catch (error) {
        // rows that end before the bad byte were read: let csv-parser see them, then stop
        if (error instanceof Utf8Failure && error.validBytes.length > 0) {
          if (bomChecked) feed(error.validBytes);
          else {
            head = head === undefined ? error.validBytes : Buffer.concat([head, error.validBytes]);
            releaseHead();
          }
        }
        throw error;
      }
      if (!bomChecked) {
        // The head is held back until it has the whole header line and one byte more: the first
        // three bytes decide about a byte-order mark, and csv-parser picks its newline from the
        // header line's end (a CRLF split across two chunks would make it pick CR).
        head = head === undefined ? chunk : Buffer.concat([head, chunk]);
        const nl = head.indexOf(NL);
        if ((nl < 0 || nl === head.length - 1) && head.length < MAX_ROW_BYTES) continue;
        releaseHead();
      } else {
        feed(chunk);
      }
      check();
      await sink.ready(bytes);
      check();
    }
    utf8.end();
    if (head !== undefined) releaseHead();
    if (bytes === 0) throw new FileFailure('FILE_EMPTY', 'zero bytes');
    if (quotes % 2 !== 0) throw new FileFailure('FILE_MALFORMED', 'unterminated quoted field (unbalanced quotes)');
    parser.end();
    await ended;
    check();
    if (first === undefined) throw new FileFailure('FILE_EMPTY', 'no header row');
    return { positionKind: 'line', rows, bytes };
  } catch (error) {
    parser.destroy();
    if (error instanceof FileFailure) return { positionKind: 'line', rows, bytes, fileReason: error.reason };
    throw error;
  }
};
