// The generator: deterministic bytes, and a manifest that agrees with the files it describes.
// Files are read back with test/generate/read-back.ts, not with the generator's own encoders.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GENERATOR_MANIFEST_NAME, type GeneratorManifest } from '../../workers/core/shop/manifest.js';
import { ROW_REASON_CODES } from '../../workers/core/reasons.js';
import { writeShop, type ShopOptions } from '../../workers/generate/write-shop.js';
import { readRecords, type Value } from './read-back.js';

const test = suite('generate');
let root: string;
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'generate-'));
});
test.after(async () => rm(root, { recursive: true, force: true }));

let dirs = 0;
export const shop = async (over: Partial<ShopOptions>): Promise<{ dir: string; manifest: GeneratorManifest }> => {
  const dir = join(root, `shop-${dirs++}`);
  const manifest = await writeShop({
    seed: '7',
    items: 600,
    parts: 2,
    defectRate: 0.01,
    startMicros: Date.UTC(2024, 0, 1) * 1000,
    days: 365,
    out: dir,
    format: 'csv',
    gz: false,
    maxRejectRate: 0.05,
    args: {},
    ...over,
  });
  return { dir, manifest };
};

const tree = async (dir: string): Promise<Map<string, Buffer>> => {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path.slice(dir.length), await readFile(path));
    }
  }
  return out;
};

test('same arguments, same bytes; another seed, other bytes', async () => {
  const args = { seed: 'x', items: 500, parts: 3, format: 'mixed', gz: true, defectRate: 0.08 } as const;
  const a = await tree((await shop(args)).dir);
  const b = await tree((await shop(args)).dir);
  assert.equal([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of a) assert.ok(v.equals(b.get(k) ?? Buffer.alloc(0)), `${k} differs`);
  const c = await tree((await shop({ ...args, seed: 'y' })).dir);
  assert.ok([...a].some(([k, v]) => !v.equals(c.get(k) ?? Buffer.alloc(0))));
});

const REQUIRED: Record<string, string[]> = {
  products: ['id', 'sku', 'cost', 'category', 'retail_price'],
  orders: ['order_id', 'user_id', 'created_at', 'status'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price'],
};
const KEY: Record<string, string> = { products: 'id', orders: 'order_id', order_items: 'id' };
const MONEY: Record<string, string[]> = { products: ['cost', 'retail_price'], orders: [], order_items: ['sale_price'] };
const STATUSES = ['processing', 'shipped', 'delivered', 'complete', 'cancelled', 'returned'];
const text = (v: Value): string => (v === undefined || v === null ? '' : String(v).trim());
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Checks a manifest against its files: rows per file, positions, totals, and for each row the
 * codes one can see without a validator (blank required fields, negative money, unknown status,
 * repeated keys, references to rows that are not clean).
 */
const checkAgainstFiles = (dir: string, m: GeneratorManifest): void => {
  const cleanIds: Record<string, Set<string>> = { products: new Set(), orders: new Set(), order_items: new Set() };
  const order = ['products', 'orders', 'order_items'];
  const files = [...m.files].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.key < b.key ? -1 : 1));
  for (const f of files) {
    const records = readRecords(dir, f.key, f.format);
    assert.is(records.length, f.rows, `${f.key}: rows`);
    assert.is(f.rows_written, f.rows);
    const codesAt = new Map(f.quarantined.map((q) => [q.line ?? q.index, q.codes]));
    assert.is(codesAt.size, f.quarantined.length, `${f.key}: one entry per row`);
    for (const q of f.quarantined) assert.equal([...q.codes], [...q.codes].sort());
    for (const r of records) {
      const codes = codesAt.get(r.at) ?? [];
      codesAt.delete(r.at);
      const has = (c: string) => codes.includes(c as never);
      const blank = REQUIRED[f.kind]!.some((c) => text(r.fields[c]) === '');
      assert.is(has('MISSING_FIELD'), blank, `${f.key}@${r.at} MISSING_FIELD`);
      const negative = MONEY[f.kind]!.some((c) => DECIMAL.test(text(r.fields[c])) && text(r.fields[c]).startsWith('-'));
      assert.is(has('NEGATIVE_MONEY'), negative, `${f.key}@${r.at} NEGATIVE_MONEY`);
      const badMoney = MONEY[f.kind]!.some((c) => text(r.fields[c]) !== '' && !DECIMAL.test(text(r.fields[c])));
      if (badMoney) assert.ok(has('INVALID_TYPE'), `${f.key}@${r.at} INVALID_TYPE`);
      if (f.kind === 'orders') {
        const status = text(r.fields.status).toLowerCase();
        assert.is(has('UNKNOWN_STATUS'), status !== '' && !STATUSES.includes(status), `${f.key}@${r.at} UNKNOWN_STATUS`);
      }
      if (f.kind === 'order_items') {
        const oid = text(r.fields.order_id);
        const pid = text(r.fields.product_id);
        assert.is(has('UNKNOWN_ORDER'), oid !== '' && !cleanIds.orders!.has(oid), `${f.key}@${r.at} UNKNOWN_ORDER`);
        assert.is(has('UNKNOWN_PRODUCT'), pid !== '' && !cleanIds.products!.has(pid), `${f.key}@${r.at} UNKNOWN_PRODUCT`);
      }
      const key = text(r.fields[KEY[f.kind]!]);
      if (has('DUPLICATE_KEY')) {
        assert.equal([...codes], ['DUPLICATE_KEY']);
        assert.ok(cleanIds[f.kind]!.has(key), `${f.key}@${r.at} duplicate of a clean row`);
      } else if (codes.length === 0) {
        assert.not.ok(cleanIds[f.kind]!.has(key), `${f.key}@${r.at} clean row with a used key`);
        cleanIds[f.kind]!.add(key);
      }
    }
    assert.is(codesAt.size, 0, `${f.key}: quarantined positions that are no record: ${[...codesAt.keys()].join(',')}`);
  }
  for (const kind of order) {
    const ofKind = m.files.filter((f) => f.kind === kind);
    const k = m.kinds[kind as 'orders'];
    assert.is(k.rows_read, ofKind.reduce((s, f) => s + f.rows, 0));
    assert.is(k.rows_quarantined, ofKind.reduce((s, f) => s + f.quarantined.length, 0));
    assert.is(k.rows_cleaned, cleanIds[kind]!.size);
  }
  const tally: Record<string, number> = {};
  for (const f of m.files) for (const q of f.quarantined) for (const c of q.codes) tally[c] = (tally[c] ?? 0) + 1;
  assert.equal(m.reason_counts, Object.fromEntries(Object.entries(tally).sort()));
  const over = Object.values(m.kinds).some((k) => k.rows_quarantined / k.rows_read > m.max_reject_rate);
  assert.is(m.verdict, over ? 'REJECTED' : 'ACCEPTED');
};

for (const [format, gz] of [['csv', false], ['json', true], ['ndjson', false], ['mixed', true]] as const) {
  test(`manifest agrees with the files (${format}${gz ? ', gz' : ''})`, async () => {
    const { dir, manifest } = await shop({ format, gz, parts: 3, defectRate: 0.12, seed: `agree-${format}` });
    checkAgainstFiles(dir, manifest);
    assert.is(manifest.files.length, 9);
    assert.ok(manifest.files.every((f) => f.key.endsWith(gz ? '.gz' : `.${f.format}`)));
  });
}

test('at a moderate defect rate every row reason code occurs, and rows with two codes', async () => {
  const { manifest } = await shop({ items: 3000, defectRate: 0.1, seed: 'codes' });
  for (const code of ROW_REASON_CODES) assert.ok((manifest.reason_counts[code] ?? 0) > 0, `${code} missing`);
  const rows = manifest.files.flatMap((f) => f.quarantined);
  assert.ok(rows.some((r) => r.codes.length >= 2));
});

test('the default defect rate keeps every kind under 5 %, cascades included', async () => {
  for (const seed of ['a', 'b', 'c']) {
    const { manifest } = await shop({ items: 8000, seed });
    assert.is(manifest.verdict, 'ACCEPTED', `seed ${seed}: ${manifest.reasons.join('; ')}`);
    assert.ok(manifest.kinds.order_items.rows_quarantined > 0);
  }
});

test('the manifest sits at the root, under its own name', async () => {
  const { dir } = await shop({});
  assert.equal((await readdir(dir)).sort(), [GENERATOR_MANIFEST_NAME, 'order_items', 'orders', 'products']);
});

test.run();
