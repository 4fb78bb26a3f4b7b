// Lines of a gzipped text stream, a chunk's worth at a time. The transform reads millions of
// cleaned lines; handing them over in arrays (not one await per line, as readline does) keeps the
// per-line cost to the split itself.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export async function* gzLineBatches(input: Readable): AsyncGenerator<ReadonlyArray<string>> {
  const text = input.pipe(createGunzip({ chunkSize: 256 * 1024 }));
  input.once('error', (error) => text.destroy(error));
  text.setEncoding('utf8'); // decodes characters split across chunks
  let rest = '';
  for await (const chunk of text as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    yield lines.filter((l) => l.length > 0);
  }
  if (rest.length > 0) yield [rest];
}
