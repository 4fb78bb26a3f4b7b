// Compaction laws: over generated histories where dates are compacted into snapshots at random
// points, runs crash at random points of the snapshot protocol, and old batches are reprocessed,
// the KPIs always equal the plain-loop reference over the latest versions; re-runs are byte-equal;
// and once every batch has settled, a fully compacted date holds its snapshot and nothing else
// (a date only one batch's files ever touched holds those files: there was nothing to compact).
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BatchRecord } from '../../workers/core/batch.js';
import { parseSnapshotDataKey } from '../../workers/core/lake-layout.js';
import type { BlobStore } from '../../workers/io/blob-store.js';
import { blobKpiStore } from '../../workers/io/blob-kpi-store.js';
import { localStore } from '../../workers/io/local-store.js';
import { transformBatch } from '../../workers/transform/transform-batch.js';
import { committedAtOf, deliveriesArb, expectedKpis, publishBatch, withLake } from '../support/cleaned-fixtures.js';
import { DATES, STATUSES, type Shop } from '../support/shop.js';

/**
 * A re-validation of the same batch under changed rules: some order ids dropped outright (their
 * older versions, compacted into snapshots, count again), the others with a possibly other status
 * and day, and some items gone.
 */
const revisedArb = fc.array(fc.record({ status: fc.constantFrom(...STATUSES), day: fc.constantFrom(...DATES), keep: fc.boolean(), drop: fc.boolean() }), {
  minLength: 60,
  maxLength: 60,
});
type Revision = ReadonlyArray<{ status: Shop['orders'][number]['status']; day: string; keep: boolean; drop: boolean }>;
const revise = (shop: Shop, r: Revision): Shop => {
  const orders = shop.orders.filter((_, i) => !r[(i * 3) % r.length]!.drop);
  const ids = new Set(orders.map((o) => o.order_id));
  return {
    orders: orders.map((o, i) => ({ ...o, status: r[i % r.length]!.status, order_date: r[i % r.length]!.day })),
    items: shop.items.filter((it, i) => ids.has(it.order_id) && r[(i * 7) % r.length]!.keep),
  };
};

type CrashPoint = 'snapshot-data' | 'snapshot-record' | 'kpi-write' | 'removal';

/** The lake as a transform killed at `point` sees it: that operation (and everything after) fails. */
const crashingAt = (lake: BlobStore, point: CrashPoint): BlobStore => {
  let dead = false;
  const die = () => {
    dead = true;
    return Promise.reject(new Error(`killed at ${point}`));
  };
  const guard = <A>(f: () => Promise<A>): Promise<A> => (dead ? die() : f());
  return {
    ...lake,
    list: (p) => guard(() => lake.list(p)),
    read: (k) => guard(() => lake.read(k)),
    readSmall: (k) => guard(() => lake.readSmall(k)),
    write: (k, b, t) => (point === 'snapshot-record' && k.startsWith('cleaned/_snapshots/') ? die() : guard(() => lake.write(k, b, t))),
    writeStream: (k, b, t) => (point === 'snapshot-data' && parseSnapshotDataKey(k) ? die() : guard(() => lake.writeStream(k, b, t))),
    copyFrom: (s, f, t) => guard(() => lake.copyFrom(s, f, t)),
    // half of the first removal lands, then the process dies
    delete: (keys) =>
      point === 'removal' && keys.some((k) => k.startsWith('cleaned/orders/') || k.startsWith('cleaned/order_items/'))
        ? lake.delete(keys.slice(0, Math.ceil(keys.length / 2))).then(die)
        : guard(() => lake.delete(keys)),
  };
};

const state = async (dir: string) => JSON.stringify(await blobKpiStore(localStore(dir)).allRows());

interface Step {
  /** Which dates this transform may compact. */
  readonly compact: (date: string) => boolean;
  readonly crash: CrashPoint | undefined;
}
const stepArb: fc.Arbitrary<Step> = fc.record({
  compact: fc.func(fc.boolean()),
  crash: fc.option(fc.constantFrom<CrashPoint>('snapshot-data', 'snapshot-record', 'kpi-write', 'removal'), { nil: undefined }),
});

const transform = async (dir: string, batchId: string, step: Step) => {
  const lake = localStore(dir);
  const store = blobKpiStore(lake);
  if (step.crash) {
    const crashing = step.crash === 'kpi-write' ? { ...store, apply: () => Promise.reject(new Error('killed')) } : store;
    const outcome = await transformBatch({ lake: crashingAt(lake, step.crash), store: crashing, removeFromLanding: false, compact: step.compact }, batchId).then(
      () => 'finished',
      () => 'crashed',
    );
    // a crash point the run never reached (nothing to compact, nothing to remove) lets it finish
    if (outcome === 'finished') return;
  }
  // the state machine retries the task: a plain re-run
  await transformBatch({ lake, store, removeFromLanding: false, compact: step.compact }, batchId);
};

test('compaction at random points, crashes at random points, reprocess of an old batch: KPIs = reference; re-runs byte-equal', async () => {
  await fc.assert(
    fc.asyncProperty(deliveriesArb, fc.array(stepArb, { minLength: 8, maxLength: 8 }), fc.nat(), revisedArb, async (deliveries, steps, pick, revision) =>
      withLake(async (dir) => {
        const lake = localStore(dir);
        const records = new Map<string, BatchRecord>();
        let s = 0;
        const next = () => steps[s++ % steps.length]!;
        for (const d of deliveries) {
          records.set(d.id, await publishBatch(lake, d.id, d.committedAt, d.shop));
          await transform(dir, d.id, next());
          // after every batch, the lake's KPIs are those of the batches so far
          assert.equal(await blobKpiStore(lake).allRows(), expectedKpis(deliveries.slice(0, deliveries.indexOf(d) + 1)));
        }
        const final = await state(dir);
        assert.is(final, JSON.stringify(expectedKpis(deliveries)));
        // re-running a transform changes nothing, byte for byte
        const again = deliveries[pick % deliveries.length]!;
        await transform(dir, again.id, next());
        assert.is(await state(dir), final);
        // reprocess of an old batch: re-validated from the same inputs (same seq, new commit), transformed
        const old = deliveries[(pick >> 3) % deliveries.length]!;
        await publishBatch(lake, old.id, committedAtOf(28), old.shop, [], records.get(old.id));
        await transform(dir, old.id, next());
        assert.is(await state(dir), final);
        // and re-validated under changed rules: the KPIs follow the new versions
        const revised = deliveries.map((d) => (d === old ? { ...d, shop: revise(d.shop, revision) } : d));
        await publishBatch(lake, old.id, committedAtOf(29), revise(old.shop, revision), [], records.get(old.id));
        await transform(dir, old.id, next());
        assert.equal(await blobKpiStore(lake).allRows(), expectedKpis(revised));
      }),
    ),
    { numRuns: 40 },
  );
});

/** Three batches on the same two dates, every order re-delivered by each. */
const onTwoDays = (n: number): Shop => ({
  orders: [
    { order_id: 'o1', user_id: 'u1', status: n === 3 ? 'Returned' : 'Complete', order_date: '2025-01-01' },
    { order_id: 'o2', user_id: 'u2', status: 'Shipped', order_date: '2025-01-02' },
    { order_id: `new-${n}`, user_id: 'u3', status: 'Complete', order_date: '2025-01-02' },
  ],
  items: [
    { id: `i1-${n}`, order_id: 'o1', category: 'Jeans', sale_price_cents: 1000 + n },
    { id: `i2-${n}`, order_id: 'o2', category: 'Tops', sale_price_cents: 500 },
    { id: `i3-${n}`, order_id: `new-${n}`, category: 'Tops', sale_price_cents: 200 },
  ],
});

test('a compacted lake holds per date one snapshot and no per-batch file, whatever the number of batches', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    const deliveries = [1, 2, 3, 4, 5, 6].map((n) => ({ id: `b-${n}`, committedAt: committedAtOf(n), shop: onTwoDays(n) }));
    const keys = async (kind: string) => (await lake.list(`cleaned/${kind}/`)).map((b) => b.key);
    for (const [n, d] of deliveries.entries()) {
      await publishBatch(lake, d.id, d.committedAt, d.shop);
      const report = await transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false }, d.id);
      if (n === 0) {
        // one batch's own files on each date: nothing to compact, no snapshot written
        assert.is(report.counts.snapshots_written, 0);
        assert.is(report.compaction.objects_removed, 0);
        assert.equal(await keys('_snapshots'), []);
        assert.is((await keys('orders')).length + (await keys('order_items')).length, 4);
      } else {
        // the second batch finds two sources per date and compacts them; later ones read only their own files
        assert.is(report.counts.batch_files_read, n === 1 ? 8 : 4, 'reads only the new batch files, the rest from snapshots');
        assert.is(report.counts.snapshots_written, 2);
      }
    }
    // per date and kind: the latest part and the superseded part (o1 and o2 are re-delivered each time)
    for (const kind of ['orders', 'order_items']) {
      const present = await keys(kind);
      assert.is(present.length, 4, present.join(' '));
      assert.ok(present.every((k) => parseSnapshotDataKey(k) !== undefined));
    }
    assert.is((await keys('_snapshots')).length, 2);
    assert.equal(await blobKpiStore(lake).allRows(), expectedKpis(deliveries));
    // the snapshot holds one line per version of a committed batch, each with its seq: the latest
    // in its data, the superseded (a re-validation dropping the order would make one the latest
    // again) in its superseded part
    const record = JSON.parse((await lake.readSmall('cleaned/_snapshots/order_date=2025-01-02.json'))!.toString()) as {
      orders: number;
      covers: Record<string, string>;
      superseded: { orders: number; tag: string };
    };
    assert.is(record.orders, 7); // o2 of b-6 + new-1..new-6
    assert.is(record.superseded.orders, 5); // o2 of b-1..b-5
    assert.equal(Object.keys(record.covers), deliveries.map((d) => d.id));
  }));

test('with no re-validation pending, a recompute carries the superseded versions unread; a re-validation reads them', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    const run = (id: string) => transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false }, id);
    const deliveries = [1, 2, 3, 4].map((n) => ({ id: `b-${n}`, committedAt: committedAtOf(n), shop: onTwoDays(n) }));
    const records = new Map<string, BatchRecord>();
    const carried: number[] = [];
    for (const d of deliveries) {
      records.set(d.id, await publishBatch(lake, d.id, d.committedAt, d.shop));
      const report = await run(d.id);
      assert.is(report.counts.superseded_read, 0);
      carried.push(report.counts.superseded_carried);
    }
    // b-2 superseded b-1's o1 and o2; b-3 carried those two unread and superseded b-2's; b-4 carried four
    assert.equal(carried, [0, 0, 2, 4]);
    // reading: only the latest versions and the new batch's files, whatever the history
    assert.equal(await blobKpiStore(lake).allRows(), expectedKpis(deliveries));
    // b-4 re-validated without o1: b-3's version counts again on its date (read from the superseded part)
    const dropped = { ...deliveries[3]!, shop: { orders: onTwoDays(4).orders.filter((o) => o.order_id !== 'o1'), items: onTwoDays(4).items.filter((i) => i.order_id !== 'o1') } };
    await publishBatch(lake, 'b-4', committedAtOf(9), dropped.shop, [], records.get('b-4'));
    const report = await run('b-4');
    assert.is(report.counts.superseded_read, 2);
    const revised = [...deliveries.slice(0, 3), dropped];
    assert.equal(await blobKpiStore(lake).allRows(), expectedKpis(revised));
    // and once b-4 has settled, later batches carry again, the promoted version in the latest part
    const b5 = { id: 'b-5', committedAt: committedAtOf(10), shop: onTwoDays(5) };
    await publishBatch(lake, b5.id, b5.committedAt, b5.shop);
    const after = await run(b5.id);
    assert.is(after.counts.superseded_read, 0);
    assert.equal(await blobKpiStore(lake).allRows(), expectedKpis([...revised, b5]));
  }));

test('a batch whose transform never ran keeps its files under a snapshot until it settles', async () =>
  withLake(async (dir) => {
    const lake = localStore(dir);
    const run = (id: string) => transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false }, id);
    await publishBatch(lake, 'b-1', committedAtOf(1), onTwoDays(1));
    await publishBatch(lake, 'b-2', committedAtOf(2), onTwoDays(2)); // its transform crashed: not run
    await run('b-1'); // compacts both dates, covering b-2 too
    const b2Files = async () => (await lake.list('cleaned/orders/')).filter((b) => b.key.endsWith('/b-2.ndjson.gz')).length;
    assert.is(await b2Files(), 2, 'b-2 has not settled: its files stay');
    const report = await run('b-2');
    assert.equal(report.dates_recomputed, ['2025-01-01', '2025-01-02']);
    assert.is(await b2Files(), 0);
    assert.equal(await blobKpiStore(lake).allRows(), expectedKpis([
      { id: 'b-1', committedAt: committedAtOf(1), shop: onTwoDays(1) },
      { id: 'b-2', committedAt: committedAtOf(2), shop: onTwoDays(2) },
    ]));
  }));

/** o1 on 2025-01-03 in the later batch b-0, on 2025-01-01 in the earlier b-1; o2 only in b-0. */
const dropShop = (date: string, withO1: boolean, n: number): Shop => ({
  orders: [
    ...(withO1 ? [{ order_id: 'o1', user_id: 'u1', status: 'Complete' as const, order_date: date }] : []),
    { order_id: `o2-${n}`, user_id: 'u2', status: 'Shipped' as const, order_date: '2025-01-03' },
  ],
  items: [
    ...(withO1 ? [{ id: `i1-${n}`, order_id: 'o1', category: 'Jeans', sale_price_cents: 1000 + n }] : []),
    { id: `i2-${n}`, order_id: `o2-${n}`, category: 'Tops', sale_price_cents: 500 },
  ],
});

for (const compact of [false, true])
  for (const order of [['b-0', 'b-1'], ['b-1', 'b-0']])
    test(`a re-validation that drops an order brings its older version back on its date (compaction ${compact ? 'on' : 'off'}, ${order.join(' then ')})`, async () =>
      withLake(async (dir) => {
        const lake = localStore(dir);
        const run = (id: string) => transformBatch({ lake, store: blobKpiStore(lake), removeFromLanding: false, compact: () => compact }, id);
        const b1 = { id: 'b-1', committedAt: committedAtOf(1), shop: dropShop('2025-01-01', true, 1) };
        const b0 = { id: 'b-0', committedAt: committedAtOf(2), shop: dropShop('2025-01-03', true, 0) };
        const records = new Map<string, BatchRecord>();
        for (const d of order.map((id) => (id === 'b-0' ? b0 : b1))) {
          records.set(d.id, await publishBatch(lake, d.id, d.committedAt, d.shop));
          await run(d.id);
        }
        assert.equal(await blobKpiStore(lake).allRows(), expectedKpis([b1, b0]));
        const dropped = { ...b0, shop: dropShop('2025-01-03', false, 0) };
        await publishBatch(lake, 'b-0', committedAtOf(3), dropped.shop, [], records.get('b-0'));
        const report = await run('b-0');
        assert.equal(report.dates_recomputed, ['2025-01-01', '2025-01-03']);
        assert.equal(await blobKpiStore(lake).allRows(), expectedKpis([b1, dropped]));
      }));

test.run();
