// A re-delivery batch: clean rows only, every order one of the earlier shop's clean orders, now
// the same or one status further, with at most the items it had.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ShopConfig } from '../../workers/generate/shop/shop-model.js';
import { writeShop } from '../../workers/generate/write-shop.js';
import { checkAgainstFiles } from './manifest-check.js';
import { readRecords } from './read-back.js';

const test = suite('generate --redeliver-from');
let root: string;
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'redeliver-'));
});
test.after(async () => rm(root, { recursive: true, force: true }));

const STEP = ['processing', 'shipped', 'complete', 'returned'];

test('re-delivers clean orders further along or with fewer items, and nothing else', async () => {
  const earlier: ShopConfig = { seed: 'e', items: 2000, parts: 2, defectRate: 0.05, startMicros: Date.UTC(2024, 0, 1) * 1000, days: 90 };
  const base = { format: 'mixed', gz: false, maxRejectRate: 0.05, args: {} } as const;
  const first = await writeShop({ ...earlier, ...base, out: join(root, 'first') });
  const second = await writeShop({ ...earlier, ...base, out: join(root, 'second'), redeliver: { earlier, seed: 'r', rate: 0.3, parts: 3 } });
  checkAgainstFiles(join(root, 'second'), second);
  assert.is(second.verdict, 'ACCEPTED');
  assert.is(Object.keys(second.reason_counts).length, 0);

  const rowsOf = (dir: string, m: typeof first, kind: string) =>
    m.files.filter((f) => f.kind === kind).flatMap((f) => readRecords(dir, f.key, f.format).map((r) => ({ ...r, codes: f.quarantined.find((q) => (q.line ?? q.index) === r.at)?.codes })));
  const cleanBefore = new Map(rowsOf(join(root, 'first'), first, 'orders').filter((r) => r.codes === undefined).map((r) => [String(r.fields.order_id), r.fields]));
  const itemsBefore = new Map<string, number>();
  for (const r of rowsOf(join(root, 'first'), first, 'order_items')) if (r.codes === undefined) itemsBefore.set(String(r.fields.order_id), (itemsBefore.get(String(r.fields.order_id)) ?? 0) + 1);
  const itemsAfter = new Map<string, number>();
  for (const r of rowsOf(join(root, 'second'), second, 'order_items')) itemsAfter.set(String(r.fields.order_id), (itemsAfter.get(String(r.fields.order_id)) ?? 0) + 1);

  const orders = rowsOf(join(root, 'second'), second, 'orders');
  assert.ok(orders.length > 200 && orders.length < cleanBefore.size);
  let moved = 0;
  let fewer = 0;
  for (const o of orders) {
    const id = String(o.fields.order_id);
    const before = cleanBefore.get(id);
    assert.ok(before, `order ${id} was not a clean order of the earlier shop`);
    assert.is(o.fields.created_at !== undefined, true);
    const was = String(before.status).toLowerCase();
    const now = String(o.fields.status).toLowerCase();
    if (now !== was) {
      assert.is(STEP.indexOf(now), STEP.indexOf(was === 'delivered' ? 'complete' : was) + 1, `${id}: ${was} -> ${now}`);
      moved++;
    }
    const n = itemsAfter.get(id) ?? 0;
    assert.ok(n >= 1 && n <= (itemsBefore.get(id) ?? 0), `order ${id}: ${n} items`);
    assert.is(Number(o.fields.num_of_item), n);
    if (n < (itemsBefore.get(id) ?? 0)) fewer++;
  }
  assert.ok(moved > 0 && fewer > 0);
});

test.run();
