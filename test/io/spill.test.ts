// Spill writers: rows of many partitions, appended in any interleaving, come back per partition
// in order, as one valid gzip file each (concatenated members).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import { SpillWriters } from '../../workers/io/spill.js';

const bytesOf = async (r: AsyncIterable<unknown>): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

test('property: each partition reads back exactly its lines, in append order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.string({ unit: 'grapheme', maxLength: 3000 })), { maxLength: 400 }),
      async (appends) => {
        const spill = await SpillWriters.create();
        try {
          const expected = new Map<string, string[]>();
          for (const [p, text] of appends) {
            const id = `p${p}`;
            const line = JSON.stringify(text);
            spill.append(id, line);
            expected.set(id, [...(expected.get(id) ?? []), line]);
            await spill.ready();
          }
          const parts = await spill.finish();
          assert.equal(parts.map((x) => x.id), [...expected.keys()].sort());
          for (const part of parts) {
            const text = gunzipSync(await bytesOf(part.open())).toString('utf8');
            assert.is(text, expected.get(part.id)!.map((l) => `${l}\n`).join(''));
            assert.is(part.rows, expected.get(part.id)!.length);
          }
        } finally {
          await spill.dispose();
        }
      },
    ),
    { numRuns: 30 },
  );
});

test('many partitions and large volume stay correct (blocks fill, budget flushes)', async () => {
  const spill = await SpillWriters.create();
  try {
    const line = 'x'.repeat(300);
    for (let i = 0; i < 100_000; i++) {
      spill.append(`d${(i * 7919) % 1500}`, `${i}${line}`);
      if (i % 500 === 0) await spill.ready();
    }
    const parts = await spill.finish();
    assert.is(parts.length, 1500);
    let total = 0;
    for (const part of parts) {
      const lines = gunzipSync(await bytesOf(part.open())).toString('utf8').split('\n').filter(Boolean);
      total += lines.length;
      const ids = lines.map((l) => Number(l.slice(0, l.indexOf('x'))));
      assert.ok(ids.every((v, k) => k === 0 || v > ids[k - 1]!), 'in order');
    }
    assert.is(total, 100_000);
  } finally {
    await spill.dispose();
  }
});

test.run();
