// The analytics thread (workers/transform/analytics-thread/): the Parquet it writes is byte for
// byte what the main thread writes inline, over generated multi-batch histories, over any split
// of the dates between the thread and the main thread, and over more dates than the thread may
// have queued; a failure in the thread fails the transform before any
// KPI is stored, and the thread is stopped (else this file would never exit).
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blobKpiStore } from '../../workers/io/blob-kpi-store.js';
import { localStore } from '../../workers/io/local-store.js';
import { MAX_QUEUED_DATES } from '../../workers/transform/analytics-thread/client.js';
import { LENT_SHARE, lendWhenBehind, type Placement, THREAD_BACKLOG } from '../../workers/transform/publish-analytics.js';
import { transformBatch } from '../../workers/transform/transform-batch.js';
import { committedAtOf, deliveriesArb, type Delivery, publishBatch, withLake } from '../support/cleaned-fixtures.js';
import type { Shop } from '../support/shop.js';

const run = (dir: string, batchId: string, thread: boolean, placement?: Placement) => {
  const lake = localStore(dir);
  return transformBatch(
    { lake, store: blobKpiStore(lake), removeFromLanding: false, ...(thread ? { analyticsThread: { kind: 'local', root: dir } } : {}), ...(placement ? { analyticsPlacement: placement } : {}) },
    batchId,
  );
};

/** A placement that takes its answers in turn from `inline` (the main thread lending a hand), counting each. */
const placementOf = (inline: ReadonlyArray<boolean>) => {
  const seen = { thread: 0, inline: 0 };
  let i = 0;
  const placement: Placement = () => {
    const where = inline.length > 0 && inline[i++ % inline.length] ? 'inline' : 'thread';
    seen[where]++;
    return where;
  };
  return { placement, seen };
};

/** Every file under `sub` of the lake, by path, with its bytes. */
const filesUnder = async (dir: string, sub: string): Promise<Record<string, string>> => {
  const root = join(dir, sub);
  if (!existsSync(root)) return {};
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = (await readFile(path)).toString('base64');
  }
  return out;
};

/**
 * The same deliveries transformed in one lake inline, in another on the thread (then a re-run of
 * each batch); `placement` picks which dates the thread leaves to the main thread.
 */
const bothWays = async (deliveries: ReadonlyArray<Delivery>, placement?: Placement) =>
  withLake((inline) =>
    withLake(async (threaded) => {
      for (const d of deliveries)
        for (const [dir, thread] of [[inline, false], [threaded, true]] as const) {
          await publishBatch(localStore(dir), d.id, d.committedAt, d.shop);
          await run(dir, d.id, thread, thread ? placement : undefined);
        }
      for (const d of deliveries) for (const [dir, thread] of [[inline, false], [threaded, true]] as const) await run(dir, d.id, thread, thread ? placement : undefined);
      const parquet = await filesUnder(threaded, 'analytics');
      // not vacuous: a history with any order has Parquet to compare (an empty one has none)
      if (deliveries.some((d) => d.shop.orders.length > 0)) assert.ok(Object.keys(parquet).length > 0, 'Parquet written');
      assert.equal(parquet, await filesUnder(inline, 'analytics'), 'same Parquet files, same bytes');
      assert.equal(await filesUnder(threaded, 'kpis'), await filesUnder(inline, 'kpis'), 'same KPI files');
    }),
  );

test('the analytics thread writes the bytes the inline path writes (generated histories)', async () => {
  await fc.assert(fc.asyncProperty(deliveriesArb, (deliveries) => bothWays(deliveries)), { numRuns: 6 });
});

/** More dates than the thread may queue, several orders and items each. */
const manyDates = (n: number, days: number): Shop => {
  const dates = Array.from({ length: days }, (_, d) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10));
  const orders = dates.flatMap((date, d) =>
    [0, 1, 2].map((k) => ({ order_id: `o${d}-${k}`, user_id: `u${k}`, status: k === 2 ? ('Returned' as const) : ('Complete' as const), order_date: date })),
  );
  return {
    orders,
    items: orders.flatMap((o, i) => [0, 1].map((j) => ({ id: `${n}-${i}-${j}`, order_id: o.order_id, category: j === 0 ? 'Jeans' : 'Tops & Tees', sale_price_cents: 100 * (i + j + n) }))),
  };
};

test('the same bytes whichever dates the main thread builds while the thread is behind (generated placements)', async () => {
  let mixed = 0;
  await fc.assert(
    fc.asyncProperty(deliveriesArb, fc.array(fc.boolean(), { maxLength: 7 }), async (deliveries, inline) => {
      const { placement, seen } = placementOf(inline);
      await bothWays(deliveries, placement);
      if (seen.thread > 0 && seen.inline > 0) mixed++;
    }),
    { numRuns: 6 },
  );
  // not vacuous: dates split between the two threads within one transform, on this fixed history
  const { placement, seen } = placementOf([false, true, true]);
  await bothWays([{ id: 'b-1', committedAt: committedAtOf(1), shop: manyDates(1, 9) }], placement);
  assert.ok(seen.thread > 0 && seen.inline > 0, `both places used (${JSON.stringify(seen)}; ${mixed} generated runs mixed)`);
});

test('the default placement: on the thread until it falls behind, then inline for at most a share of the dates', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(THREAD_BACKLOG * 2), { maxLength: 200 }), (backlogs) => {
      const placement = lendWhenBehind();
      let lent = 0;
      backlogs.forEach((backlog, i) => {
        const where = placement(backlog);
        if (backlog < THREAD_BACKLOG) assert.is(where, 'thread', 'the thread keeps up: it builds');
        if (where === 'inline') lent++;
        assert.ok(lent <= (i + 1) * LENT_SHARE, `at most ${LENT_SHARE} of the dates lent`);
        // behind, and under the share even counting this date: lent
        if (backlog >= THREAD_BACKLOG && where === 'thread') assert.ok(lent + 1 > (i + 1) * LENT_SHARE, 'lends whenever behind and under the share');
      });
    }),
  );
});

test('byte-identical over more dates than the thread may have queued', () =>
  bothWays([
    { id: 'b-1', committedAt: committedAtOf(1), shop: manyDates(1, MAX_QUEUED_DATES * 6) },
    { id: 'b-2', committedAt: committedAtOf(2), shop: manyDates(2, MAX_QUEUED_DATES * 3) },
  ]));

for (const [where, message] of [
  ['thread', /^analytics thread, date 2025-01-\d\d: /],
  ['inline', /ENOTDIR|EEXIST/],
] as const)
  test(`a failure writing Parquet (${where}) fails the transform, before any KPI is stored`, () =>
    withLake(async (dir) => {
      await publishBatch(localStore(dir), 'b-1', committedAtOf(1), manyDates(1, 12));
      // a file where the analytics directory should be: the first write fails
      await writeFile(join(dir, 'analytics'), 'not a directory');
      const outcome = await run(dir, 'b-1', true, () => where).then(
        () => 'finished',
        (e: Error) => e.message,
      );
      assert.match(outcome, message);
      assert.equal(await filesUnder(dir, 'kpis'), {}, 'no KPI stored');
      assert.not.ok(existsSync(join(dir, 'reports')), 'no report');
    }));

test.run();
