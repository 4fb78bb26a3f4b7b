// Lines of a gzipped text stream, a chunk's worth at a time. The transform reads millions of
// cleaned lines; handing them over in arrays (not one await per line, as readline does) keeps the
// per-line cost to the split itself.
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { BlobStore } from './blob-store.js';

/**
 * `latin1` yields byte strings (one char per byte; see core/kpi-input.ts for why that is exact
 * for searching JSON); `utf8` decodes characters, also those split across chunks.
 */
export async function* gzLineBatches(input: Readable, encoding: 'utf8' | 'latin1' = 'utf8'): AsyncGenerator<ReadonlyArray<string>> {
  const text = input.pipe(createGunzip({ chunkSize: 256 * 1024 }));
  input.once('error', (error) => text.destroy(error));
  text.setEncoding(encoding);
  let rest = '';
  for await (const chunk of text as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    yield lines.filter((l) => l.length > 0);
  }
  if (rest.length > 0) yield [rest];
}

/**
 * Objects up to this size are read whole and gunzipped in one call: a four-year batch has
 * thousands of files of a few tens of KB per kind, where a stream's setup and its thread-pool
 * round trips cost more than the inflate (13.3 -> 12.8 s over 2,922 files); larger ones stream,
 * so memory stays a chunk's worth whatever one date holds.
 */
export const WHOLE_OBJECT_BYTES = 1 << 20;

/** The lines of the gzipped object `key` of `size` bytes (as listed), as gzLineBatches yields them. */
export async function* gzObjectLines(store: BlobStore, key: string, size: number, encoding: 'utf8' | 'latin1' = 'utf8'): AsyncGenerator<ReadonlyArray<string>> {
  if (size > WHOLE_OBJECT_BYTES) return yield* gzLineBatches(await store.read(key), encoding);
  const body = await store.readSmall(key);
  if (body === undefined) throw Object.assign(new Error(`${key}: no such object`), { code: 'ENOENT' });
  const lines = gunzipSync(body).toString(encoding).split('\n');
  yield lines.filter((l) => l.length > 0);
}
