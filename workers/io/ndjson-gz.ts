// The cleaned zone's file format: gzipped NDJSON. Writing is push-based with backpressure;
// reading yields one parsed object per line without holding the file in memory.
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createGzip, constants } from 'node:zlib';

export interface NdjsonGzWriter {
  /** The gzipped bytes, to hand to BlobStore.writeStream. */
  readonly output: Readable;
  /** Appends one record; resolves when the writer can take more (backpressure). */
  write(record: unknown): Promise<void>;
  /** Ends the stream; the consumer of `output` sees the end. */
  end(): void;
  readonly count: () => number;
}

export const ndjsonGzWriter = (level: number = constants.Z_BEST_SPEED): NdjsonGzWriter => {
  const gzip = createGzip({ level });
  const output = new PassThrough();
  gzip.pipe(output);
  let n = 0;
  return {
    output,
    write: (record) => {
      n += 1;
      return gzip.write(`${JSON.stringify(record)}\n`) ? Promise.resolve() : new Promise((ok) => gzip.once('drain', ok));
    },
    end: () => gzip.end(),
    count: () => n,
  };
};

/** Yields each line's parsed JSON value. Empty lines are skipped. */
export async function* readNdjsonGz(input: Readable): AsyncGenerator<unknown> {
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length === 0) continue;
    yield JSON.parse(line);
  }
}
