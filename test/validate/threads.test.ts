// Check threads change nothing but speed: on the same batch (every format, defects, duplicates
// across files, a broken file), 1, 2 and 4 threads write the very same bytes — cleaned
// partitions, quarantined rows, whole-file quarantine, report — so first-occurrence rules keep
// their file-order meaning whichever thread read a file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStore } from '../../workers/io/local-store.js';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { writeShop } from '../../workers/generate/write-shop.js';

const tree = async (dir: string): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = (await readFile(join(e.parentPath, e.name))).toString('base64');
  return out;
};

test('property: 1, 2 and 4 check threads give byte-identical lakes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'threads-'));
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.string({ minLength: 1, maxLength: 4 }),
          parts: fc.integer({ min: 1, max: 5 }),
          defectRate: fc.constantFrom(0, 0.02, 0.1),
          fileDefect: fc.constantFrom(undefined, 'FILE_MALFORMED' as const, 'FILE_UNREADABLE' as const),
        }),
        async ({ seed, parts, defectRate, fileDefect }) => {
          const shop = join(root, `shop-${n++}`);
          await writeShop({
            seed, items: 2000, parts, defectRate, startMicros: Date.UTC(2024, 0, 1) * 1000, days: 40, out: shop, format: 'real', gz: false,
            maxRejectRate: 0.05, args: {}, ...(fileDefect ? { fileDefect } : {}),
          });
          const lakes: Array<Record<string, string>> = [];
          for (const threads of [1, 2, 4]) {
            const lake = `${shop}-lake-${threads}`;
            await validateBatch({
              source: localStore(shop),
              sourceLocation: { kind: 'local', root: shop },
              threads,
              lake: localStore(lake),
              batchId: 'b-threads',
              maxRejectRate: 0.05,
              now: () => new Date('2026-01-01T00:00:00Z'),
            });
            lakes.push(await tree(lake));
          }
          assert.ok(Object.keys(lakes[0]!).length > 2);
          assert.equal(lakes[1], lakes[0], '2 threads');
          assert.equal(lakes[2], lakes[0], '4 threads');
        },
      ),
      { numRuns: 5 },
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test.run();
