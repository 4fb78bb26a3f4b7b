// The generator: deterministic bytes, and a manifest that agrees with the files it describes.
// Files are read back with test/generate/read-back.ts, not with the generator's own encoders.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GENERATOR_MANIFEST_NAME, type GeneratorManifest } from '../../workers/generate/shop/manifest.js';
import { ROW_REASON_CODES } from '../../workers/core/reasons.js';
import { writeShop, type ShopOptions } from '../../workers/generate/write-shop.js';
import { checkAgainstFiles } from './manifest-check.js';

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

for (const [format, gz] of [['csv', false], ['json', true], ['ndjson', false], ['mixed', true]] as const) {
  test(`manifest agrees with the files (${format}${gz ? ', gz' : ''})`, async () => {
    const { dir, manifest } = await shop({ format, gz, parts: 3, defectRate: 0.12, seed: `agree-${format}` });
    checkAgainstFiles(dir, manifest);
    assert.is(manifest.files.length, 9);
    assert.ok(manifest.files.every((f) => f.key.endsWith(gz ? '.gz' : `.${f.format}`)));
  });
}

test('format real: parts rotate csv, csv.gz, json, ndjson.gz; the manifest still agrees', async () => {
  const { dir, manifest } = await shop({ format: 'real', parts: 4, defectRate: 0.1, seed: 'real' });
  checkAgainstFiles(dir, manifest);
  const shapes = new Set(manifest.files.map((f) => `${f.format}${f.gz ? '.gz' : ''}`));
  assert.equal([...shapes].sort(), ['csv', 'csv.gz', 'json', 'ndjson.gz']);
  assert.ok(manifest.files.every((f) => f.key.endsWith(`.${f.format}${f.gz ? '.gz' : ''}`)));
});

test('--products sets the catalogue size; items spread over it', async () => {
  const { manifest } = await shop({ items: 2000, products: 777, defectRate: 0, seed: 'products' });
  assert.is(manifest.kinds.products.rows_read, 777);
});

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
