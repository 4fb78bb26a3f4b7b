// The compacted catalog is a cache: over generated histories of products deliveries, with
// re-validations (same seq, new commit, other products) and compaction at random points, the
// current catalog — with or without a batch left out — equals the reference fold over the
// committed batches' products files (latest seq wins per id); and once compacted with nothing
// re-committed since, a run reads no products file but the new ones.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gzipSync } from 'node:zlib';
import { batchSeq, type BatchRecord } from '../../workers/core/batch.js';
import { batchRecordKey, cleanedKey } from '../../workers/core/lake-layout.js';
import { compactCatalog, currentCatalog, loadCatalog } from '../../workers/io/catalog.js';
import { localStore } from '../../workers/io/local-store.js';
import { committedAtOf, withLake } from '../support/cleaned-fixtures.js';

type Products = ReadonlyArray<{ readonly id: string; readonly category: string }>;
const productsArb: fc.Arbitrary<Products> = fc.uniqueArray(
  fc.record({ id: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p"5', 'p6'), category: fc.constantFrom('Jeans', 'Tops', 'Socks', 'Ä "quoted"') }),
  { selector: (p) => p.id, maxLength: 6 },
);
/** A step: a new batch, or a re-validation of an earlier one; then maybe a transform's compaction. */
const stepArb = fc.record({ revalidate: fc.option(fc.nat(), { nil: undefined }), products: productsArb, compact: fc.boolean() });

const line = (p: Products[number]) => JSON.stringify({ id: p.id, sku: `s-${p.id}`, cost_cents: 1, category: p.category, retail_price_cents: 2 });

test('the current catalog = the reference fold, whatever was compacted when; a compacted catalog reads only new files', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 8 }), fc.nat(), async (steps, pick) =>
      withLake(async (dir) => {
        const lake = localStore(dir);
        const records = new Map<string, BatchRecord>();
        const products = new Map<string, Products>();
        let clock = 0;
        for (const step of steps) {
          const ids = [...records.keys()];
          const id = step.revalidate !== undefined && ids.length > 0 ? ids[step.revalidate % ids.length]! : `b-${records.size + 1}`;
          const at = committedAtOf(++clock);
          const record: BatchRecord = { batch_id: id, seq: records.get(id)?.seq ?? batchSeq(at, id), committed_at: at, order_dates: [], sources: [] };
          if (step.products.length > 0) await lake.write(cleanedKey('products', id), gzipSync(step.products.map((p) => `${line(p)}\n`).join('')));
          else await lake.delete([cleanedKey('products', id)]);
          await lake.write(batchRecordKey(id), JSON.stringify(record));
          records.set(id, record);
          products.set(id, step.products);
          if (step.compact) {
            await compactCatalog(lake, await currentCatalog(lake), 'test');
            assert.equal((await currentCatalog(lake)).read, [], 'after compaction nothing is read but the snapshot');
          }
        }
        const ids = [...records.keys()];
        for (const except of [undefined, ids[pick % ids.length]!]) {
          const reference = new Map<string, string>();
          for (const r of [...records.values()].sort((a, b) => (a.seq < b.seq ? -1 : 1)))
            if (r.batch_id !== except) for (const p of products.get(r.batch_id)!) reference.set(p.id, line(p));
          const current = await currentCatalog(lake, except);
          assert.equal(new Map([...current.entries].map(([k, v]) => [k, v.line])), reference);
          if (except !== undefined)
            assert.equal(await loadCatalog(lake, except), new Map([...reference].map(([k, l]) => [k, (JSON.parse(l) as { category: string }).category])));
        }
      }),
    ),
    { numRuns: 60 },
  );
});

test.run();
