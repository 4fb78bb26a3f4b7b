// Lines of gzipped objects (workers/io/gz-lines.ts): read whole or streamed by size, the same
// lines in the same order, blank lines dropped, characters split across chunks decoded whole.
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gzObjectLines, WHOLE_OBJECT_BYTES } from '../../workers/io/gz-lines.js';
import { localStore } from '../../workers/io/local-store.js';

const collect = async (lines: AsyncIterable<ReadonlyArray<string>>): Promise<string[]> => {
  const out: string[] = [];
  for await (const chunk of lines) out.push(...chunk);
  return out;
};

test('whole and streamed reads yield the same lines, the non-empty ones of the text', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gz-lines-'));
  try {
    const store = localStore(dir);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((l) => !l.includes('\n')), { maxLength: 60 }), fc.boolean(), async (lines, endNewline) => {
        const key = `o/${n++}.gz`;
        const text = lines.join('\n') + (endNewline ? '\n' : '');
        const body = gzipSync(Buffer.from(text));
        await store.write(key, body);
        const expected = lines.filter((l) => l.length > 0);
        const whole = await collect(gzObjectLines(store, key, body.length));
        const streamed = await collect(gzObjectLines(store, key, WHOLE_OBJECT_BYTES + 1));
        assert.equal(whole, expected, 'read whole');
        assert.equal(streamed, expected, 'streamed');
        assert.equal(await collect(gzObjectLines(store, key, body.length, 'latin1')), await collect(gzObjectLines(store, key, WHOLE_OBJECT_BYTES + 1, 'latin1')), 'byte strings alike');
      }),
      { numRuns: 60 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing object is an error, not an empty file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gz-lines-'));
  try {
    const outcome = await collect(gzObjectLines(localStore(dir), 'nope.gz', 10)).then(() => 'read', (e: Error) => e.message);
    assert.match(outcome, /nope\.gz: no such object/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
