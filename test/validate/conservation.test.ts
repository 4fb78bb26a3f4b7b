// Conservation, as a property over random small batches built here: for every file, rows read =
// cleaned + quarantined, and the quarantined rows are exactly the rows this test corrupted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { localStore } from '../../workers/io/local-store.js';
import { quarantineRowsKey } from '../../workers/core/lake-layout.js';
import { KINDS, type Kind } from '../../workers/core/records.js';
import { readGzLines, tempDirs, writeFiles } from '../support/lake.js';

type Row = Record<string, string>;
const COLUMNS: Record<Kind, string[]> = {
  products: ['id', 'sku', 'cost', 'category', 'retail_price'],
  orders: ['order_id', 'user_id', 'status', 'created_at', 'shipped_at'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price', 'created_at'],
};

/** Defects that make exactly their own row fail, whatever else is in the batch. */
const DEFECTS: Record<Kind, ReadonlyArray<(r: Row) => Row>> = {
  products: [(r) => ({ ...r, cost: 'n/a' }), (r) => ({ ...r, retail_price: '-2' }), (r) => ({ ...r, sku: ' ' })],
  orders: [
    (r) => ({ ...r, status: 'teleported' }),
    (r) => ({ ...r, created_at: '2025-02-30 10:00:00' }),
    (r) => ({ ...r, shipped_at: '2024-01-01T00:00:00' }),
    (r) => ({ ...r, user_id: '' }),
  ],
  order_items: [
    (r) => ({ ...r, sale_price: '1,5' }),
    (r) => ({ ...r, order_id: 'no-such-order' }),
    (r) => ({ ...r, product_id: 'no-such-product' }),
    (r) => ({ ...r, created_at: 'soon' }),
  ],
};

const render = (format: string, columns: string[], rows: Row[]): string => {
  if (format === 'csv') return `${columns.join(',')}\n${rows.map((r) => columns.map((c) => (/[,"\n]/.test(r[c] ?? '') ? `"${r[c]!.replace(/"/g, '""')}"` : r[c] ?? '')).join(',')).join('\n')}\n`;
  if (format === 'json') return JSON.stringify(rows);
  return rows.map((r) => JSON.stringify(r)).join('\n');
};

const batch = fc.record({
  products: fc.integer({ min: 1, max: 6 }),
  orders: fc.integer({ min: 1, max: 8 }),
  itemsPerOrder: fc.integer({ min: 0, max: 3 }),
  parts: fc.integer({ min: 1, max: 3 }),
  format: fc.constantFrom('csv', 'json', 'ndjson', 'csv.gz'),
  corrupt: fc.array(fc.tuple(fc.constantFrom<Kind>(...KINDS), fc.nat(), fc.nat()), { maxLength: 6 }),
});

test('property: per file, read = cleaned + quarantined, and quarantined = corrupted', async () => {
  await fc.assert(
    fc.asyncProperty(batch, async (b) => {
      const rows: Record<Kind, Row[]> = {
        products: Array.from({ length: b.products }, (_, i) => ({ id: `p${i}`, sku: `S${i}`, cost: `${i}.5`, category: i % 2 ? 'Tops' : 'Jeans, "slim"', retail_price: `${i + 1}.25` })),
        orders: Array.from({ length: b.orders }, (_, i) => ({ order_id: `o${i}`, user_id: `u${i}`, status: 'complete', created_at: `2025-03-0${1 + (i % 9)} 10:00:00 UTC`, shipped_at: '' })),
        order_items: [],
      };
      rows.order_items = rows.orders.flatMap((o, i) =>
        Array.from({ length: b.itemsPerOrder }, (_, k) => ({ id: `i${i}-${k}`, order_id: o.order_id!, product_id: `p${(i + k) % b.products}`, sale_price: '9.99', created_at: '' })),
      );
      // Corrupt chosen rows of orders and products only when nothing else depends on them;
      // items can be corrupted freely.
      const corrupted = new Set<string>();
      for (const [kind, at, which] of b.corrupt) {
        const list = rows[kind];
        if (list.length === 0) continue;
        const index = at % list.length;
        const key = kind === 'orders' ? list[index]!.order_id : list[index]!.id;
        const referenced = kind === 'orders' ? rows.order_items.some((r) => r.order_id === key) : kind === 'products' ? rows.order_items.some((r) => r.product_id === key) : false;
        if (referenced) continue;
        const defects = DEFECTS[kind];
        list[index] = defects[which % defects.length]!(list[index]!);
        corrupted.add(`${kind}#${index}`);
      }
      const files: Record<string, string | Buffer> = {};
      const origin = new Map<string, Array<{ index: number; position: number }>>();
      const ext = b.format;
      for (const kind of KINDS) {
        for (let part = 0; part < b.parts; part++) {
          const mine = rows[kind].map((r, index) => ({ r, index })).filter(({ index }) => index % b.parts === part);
          if (mine.length === 0) continue;
          const key = `${kind}/part-${part}.${ext}`;
          const text = render(ext.replace('.gz', ''), COLUMNS[kind], mine.map(({ r }) => r));
          files[key] = ext.endsWith('.gz') ? gzipSync(text) : text;
          origin.set(key, mine.map(({ index }, i) => ({ index, position: ext === 'json' ? i : i + (ext.startsWith('csv') ? 2 : 1) })));
        }
      }
      const dirs = await tempDirs();
      try {
        await writeFiles(dirs.landing, files);
        const lake = localStore(dirs.lake);
        const report = await validateBatch({ source: localStore(dirs.landing), lake, maxRejectRate: 1, batchId: 'b-prop' });
        assert.is(report.verdict, 'ACCEPTED');
        for (const f of report.files) {
          assert.is(f.rows_read, f.rows_cleaned + f.rows_quarantined, f.key);
          assert.is(f.rows_read, origin.get(f.key)!.length, f.key);
        }
        const quarantined = new Set<string>();
        for (const kind of KINDS) {
          const lines = (await readGzLines(lake, quarantineRowsKey('b-prop', kind)).catch(() => [])) as Array<{ source_key: string; line?: number; index?: number }>;
          for (const q of lines) {
            const position = q.line ?? q.index!;
            const at = origin.get(q.source_key)!.find((o) => o.position === position)!;
            quarantined.add(`${kind}#${at.index}`);
          }
        }
        assert.equal([...quarantined].sort(), [...corrupted].sort());
      } finally {
        await dirs.cleanup();
      }
    }),
    { numRuns: 25 },
  );
});

test.run();
