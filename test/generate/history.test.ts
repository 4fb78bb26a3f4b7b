// A shop's life: a later shop with --id-offset makes new order and item ids, and with
// --products-from re-uses the earlier shop's catalogue row for row; its manifest still predicts
// the validator exactly.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ShopConfig } from '../../workers/generate/shop/shop-model.js';
import { writeShop } from '../../workers/generate/write-shop.js';
import { checkAgainstFiles } from './manifest-check.js';
import { readRecords } from './read-back.js';

const test = suite('generate --id-offset / --products-from');
let root: string;
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'history-'));
});
test.after(async () => rm(root, { recursive: true, force: true }));

test('a later shop: new order and item ids, the earlier catalogue byte for byte, manifest exact', async () => {
  const earlier: ShopConfig = { seed: 'e', items: 3000, parts: 2, defectRate: 0.02, startMicros: Date.UTC(2024, 0, 1) * 1000, days: 60 };
  const base = { format: 'csv', gz: false, maxRejectRate: 0.05, args: {} } as const;
  const first = await writeShop({ ...earlier, ...base, out: join(root, 'first') });
  const later: ShopConfig = {
    seed: 'l',
    items: 800,
    parts: 2,
    defectRate: 0.01,
    startMicros: Date.UTC(2024, 2, 1) * 1000,
    days: 1,
    idOffset: 10_000_000,
    catalogFrom: { seed: 'e', products: 75, defectRate: 0.02 },
  };
  const second = await writeShop({ ...later, ...base, out: join(root, 'second') });
  checkAgainstFiles(join(root, 'second'), second);
  assert.is(second.verdict, 'ACCEPTED');

  const ids = (dir: string, m: typeof first, kind: string, field: string) =>
    m.files.filter((f) => f.kind === kind).flatMap((f) => readRecords(dir, f.key, f.format).map((r) => String(r.fields[field])));
  const before = new Set([...ids(join(root, 'first'), first, 'orders', 'order_id'), ...ids(join(root, 'first'), first, 'order_items', 'id')]);
  const after = [...ids(join(root, 'second'), second, 'orders', 'order_id'), ...ids(join(root, 'second'), second, 'order_items', 'id')];
  assert.ok(after.length > 1000);
  assert.ok(after.every((id) => !before.has(id) && Number(id) > 10_000_000), 'no id of the earlier shop comes again');
  for (const part of ['part-00000.csv', 'part-00001.csv']) {
    assert.is(await readFile(join(root, 'second', 'products', part), 'utf8'), await readFile(join(root, 'first', 'products', part), 'utf8'));
  }
});

test.run();
