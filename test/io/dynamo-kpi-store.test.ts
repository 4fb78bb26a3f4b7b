// The DynamoDB KPI store against moto_server, tables created here with the keys of DESIGN §6:
// after transforming generated batches (re-deliveries and moved orders included) the tables hold
// exactly the reference's rows — stale rows deleted — and read back by key and through by_date.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { documentClient, dynamoKpiStore } from '../../workers/io/dynamo-kpi-store.js';
import { localStore } from '../../workers/io/local-store.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { transformBatch } from '../../workers/transform/transform-batch.js';
import { deliveriesArb, expectedKpis, publishBatch, withLake } from '../support/cleaned-fixtures.js';
import { createKpiTables } from '../support/kpi-tables.js';
import { useMoto } from '../support/moto.js';

const t = suite('DynamoDB KPI store');
let moto: MotoServer;
let tables = 0;

const createTables = async () => {
  tables += 1;
  const names = { categoryTable: `category-kpis-${tables}`, orderTable: `order-kpis-${tables}` };
  await createKpiTables(names);
  return names;
};

// Started from the tests, not a `before` hook: uvu swallows errors thrown by hooks.
let started: Promise<void> | undefined;
const start = () => (started ??= useMoto().then((m) => void (moto = m)));
t.after(async () => moto?.stop());

t('after every batch the tables hold exactly the reference rows (BatchWrite in small requests)', async () => {
  await start();
  const client = documentClient();
  await fc.assert(
    fc.asyncProperty(deliveriesArb, async (deliveries) => {
      const names = await createTables();
      // 7 per request and 2 in flight: many requests per batch, so chunking and parallelism are exercised
      const store = dynamoKpiStore({ ...names, batchSize: 7, concurrency: 2, client });
      await withLake(async (dir) => {
        const lake = localStore(dir);
        for (const d of deliveries) {
          await publishBatch(lake, d.id, d.committedAt, d.shop);
          await transformBatch({ lake, store, removeFromLanding: false }, d.id);
        }
      });
      const expected = expectedKpis(deliveries);
      assert.equal(await store.allRows(), expected);
      const someDate = expected.order[0]?.order_date;
      if (someDate) {
        const ofDate = await store.rowsOfDates([someDate]);
        assert.equal(ofDate.order, expected.order.filter((r) => r.order_date === someDate));
        assert.equal(ofDate.category, expected.category.filter((r) => r.order_date === someDate));
      }
      const someCategory = expected.category[0]?.category;
      if (someCategory) {
        const all = expected.category.filter((r) => r.category === someCategory);
        assert.equal(await store.rowsOfCategory(someCategory), all);
        const from = all[all.length - 1]!.order_date;
        assert.equal(await store.rowsOfCategory(someCategory, from, from), all.slice(-1));
      }
    }),
    { numRuns: 6 },
  );
});

t('stale rows are deleted: a date that lost every order leaves no row in either table', async () => {
  await start();
  const names = await createTables();
  const store = dynamoKpiStore(names);
  await withLake(async (dir) => {
    const lake = localStore(dir);
    await publishBatch(lake, 'b-1', '2025-06-01T00:00:00.000Z', {
      orders: [{ order_id: 'o1', user_id: 'u1', status: 'Complete', order_date: '2025-01-01' }],
      items: [{ id: 'i1', order_id: 'o1', category: 'Jeans', sale_price_cents: 1999 }],
    });
    await transformBatch({ lake, store, removeFromLanding: false }, 'b-1');
    assert.equal((await store.allRows()).category.map((r) => [r.category, r.order_date, r.daily_revenue]), [['Jeans', '2025-01-01', 19.99]]);
    await publishBatch(lake, 'b-2', '2025-06-02T00:00:00.000Z', {
      orders: [{ order_id: 'o1', user_id: 'u1', status: 'Complete', order_date: '2025-01-03' }],
      items: [{ id: 'i1', order_id: 'o1', category: 'Beauty', sale_price_cents: 1999 }],
    });
    const report = await transformBatch({ lake, store, removeFromLanding: false }, 'b-2');
    assert.equal(report.rows, { order: { written: 1, deleted: 1 }, category: { written: 1, deleted: 1 } });
  });
  const rows = await store.allRows();
  assert.equal(rows.order.map((r) => r.order_date), ['2025-01-03']);
  assert.equal(rows.category.map((r) => [r.category, r.order_date]), [['Beauty', '2025-01-03']]);
});

t.run();
