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
import { mkdir, writeFile } from 'node:fs/promises';

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

// Threads judge later files before earlier ones end: a key that a later file holds early and an
// earlier file only at its end is the case that makes the later file be judged again.
test('duplicates across files that an earlier file shows only at its end: same bytes for 1, 2 and 4 threads', async () => {
  const root = await mkdtemp(join(tmpdir(), 'threads-dup-'));
  try {
    const shop = join(root, 'shop');
    await mkdir(join(shop, 'orders'), { recursive: true });
    await mkdir(join(shop, 'order_items'), { recursive: true });
    await mkdir(join(shop, 'products'), { recursive: true });
    const order = (id: number, day: number) => `${id},1,Complete,F,2025-01-${String(1 + (day % 28)).padStart(2, '0')}T10:00:00Z,,,,1`;
    const head = 'order_id,user_id,status,gender,created_at,returned_at,shipped_at,delivered_at,num_of_item';
    const many = Array.from({ length: 30_000 }, (_, i) => order(i + 10, i));
    // file 0 ends with orders 1 and 2; file 1 starts with them (another date: which one wins shows)
    await writeFile(join(shop, 'orders/part-00000.csv'), [head, ...many, order(1, 3), order(2, 4)].join('\n') + '\n');
    await writeFile(join(shop, 'orders/part-00001.csv'), [head, order(1, 5), order(2, 6), order(3, 7)].join('\n') + '\n');
    await writeFile(join(shop, 'products/part-00000.csv'), 'id,cost,category,name,brand,retail_price,department,sku,distribution_center_id\n9,1,Jeans,n,b,2,Men,s,1\n');
    const itemHead = 'id,order_id,user_id,product_id,inventory_item_id,status,created_at,shipped_at,delivered_at,returned_at,sale_price';
    const item = (id: number, orderId: number) => `${id},${orderId},1,9,1,Complete,2025-01-02 10:00:00 UTC,,,,1.5`;
    const items = Array.from({ length: 20_000 }, (_, i) => item(i + 100, i + 10));
    await writeFile(join(shop, 'order_items/part-00000.csv'), [itemHead, ...items, item(1, 1), item(2, 2)].join('\n') + '\n');
    await writeFile(join(shop, 'order_items/part-00001.csv'), [itemHead, item(1, 1), item(3, 3), item(4, 2)].join('\n') + '\n');
    const lakes: Array<Record<string, string>> = [];
    for (const threads of [1, 2, 4]) {
      const lake = join(root, `lake-${threads}`);
      const report = await validateBatch({
        source: localStore(shop),
        sourceLocation: { kind: 'local', root: shop },
        threads,
        lake: localStore(lake),
        batchId: 'b-dup',
        maxRejectRate: 0.05,
        now: () => new Date('2026-01-01T00:00:00Z'),
      });
      assert.equal(
        report.files.map((f) => [f.key, f.rows_cleaned, f.reason_counts]),
        [
          ['products/part-00000.csv', 1, {}],
          ['orders/part-00000.csv', 30_002, {}],
          ['orders/part-00001.csv', 1, { DUPLICATE_KEY: 2 }],
          ['order_items/part-00000.csv', 20_002, {}],
          ['order_items/part-00001.csv', 2, { DUPLICATE_KEY: 1 }],
        ],
      );
      lakes.push(await tree(lake));
    }
    assert.equal(lakes[1], lakes[0], '2 threads');
    assert.equal(lakes[2], lakes[0], '4 threads');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a check thread out of memory: the batch is read again on the main thread, same bytes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'threads-oom-'));
  try {
    const shop = join(root, 'shop');
    await writeShop({
      seed: 'oom', items: 3000, parts: 2, defectRate: 0.02, startMicros: Date.UTC(2024, 0, 1) * 1000, days: 20, out: shop, format: 'real', gz: false,
      maxRejectRate: 0.05, args: {},
    });
    const warnings: string[] = [];
    const lakes: Array<Record<string, string>> = [];
    for (const [threads, threadHeapMb] of [[1, undefined], [2, 2]] as const) {
      const lake = join(root, `lake-${threads}`);
      await validateBatch({
        source: localStore(shop),
        sourceLocation: { kind: 'local', root: shop },
        threads,
        ...(threadHeapMb === undefined ? {} : { threadHeapMb }),
        lake: localStore(lake),
        batchId: 'b-oom',
        maxRejectRate: 0.05,
        now: () => new Date('2026-01-01T00:00:00Z'),
        log: { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} },
      });
      lakes.push(await tree(lake));
    }
    assert.equal(warnings, ['a check thread ran out of memory: reading the batch again on the main thread']);
    assert.equal(lakes[1], lakes[0]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test.run();
