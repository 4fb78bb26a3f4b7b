// Lines of a gzipped text stream, a chunk's worth at a time. The transform reads millions of
// cleaned lines; handing them over in arrays (not one await per line, as readline does) keeps the
// per-line cost to the split itself.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

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
