// --file-defect: the first part of order_items is broken in the way the code names, and the
// manifest says so (whole file quarantined, batch REJECTED).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FileReasonCode } from '../../workers/core/reasons.js';
import type { GeneratorManifest } from '../../workers/generate/shop/manifest.js';
import { writeShop, type ShopOptions } from '../../workers/generate/write-shop.js';
import { parseCsv } from './read-back.js';

const test = suite('generate --file-defect');
let root: string;
test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'file-defect-'));
});
test.after(async () => rm(root, { recursive: true, force: true }));

let n = 0;
const broken = async (fileDefect: FileReasonCode, over: Partial<ShopOptions>) => {
  const dir = join(root, `shop-${n++}`);
  const manifest: GeneratorManifest = await writeShop({
    seed: 's',
    items: 400,
    parts: 2,
    defectRate: 0.01,
    startMicros: Date.UTC(2024, 0, 1) * 1000,
    days: 30,
    out: dir,
    format: 'csv',
    gz: false,
    maxRejectRate: 0.05,
    args: {},
    fileDefect,
    ...over,
  });
  const bad = manifest.files.filter((f) => f.file_reason !== undefined);
  assert.is(bad.length, 1);
  const file = bad[0]!;
  assert.is(file.file_reason, fileDefect);
  assert.ok(file.key.startsWith('order_items/part-00000.'));
  assert.is(manifest.verdict, 'REJECTED');
  assert.ok(manifest.reasons.some((r) => r.includes(fileDefect)));
  assert.is(manifest.kinds.order_items.rows_cleaned, manifest.kinds.order_items.rows_read - manifest.kinds.order_items.rows_quarantined);
  const raw = await readFile(join(dir, file.key));
  return {
    file,
    raw,
    get body(): Buffer {
      return file.gz ? gunzipSync(raw) : raw;
    },
  };
};

const REQUIRED_ITEM_COLUMNS = ['id', 'order_id', 'product_id', 'sale_price'];

for (const gz of [false, true]) {
  const tag = gz ? ' (gz)' : '';
  test(`FILE_EMPTY: no bytes at all${tag}`, async () => {
    const { file, body } = await broken('FILE_EMPTY', { gz });
    assert.is(body.length, 0);
    assert.is(file.rows, 0);
  });

  test(`FILE_MISSING_COLUMN: a CSV header without a required column${tag}`, async () => {
    const { file, body } = await broken('FILE_MISSING_COLUMN', { gz, format: 'json' });
    assert.is(file.format, 'csv');
    const { header, records } = parseCsv(body.toString('utf8'));
    assert.ok(REQUIRED_ITEM_COLUMNS.some((c) => !header.includes(c)));
    assert.ok(records.length > 0);
    assert.is(file.rows, 0);
  });

  for (const format of ['csv', 'json', 'ndjson'] as const) {
    test(`FILE_MALFORMED: ${format} that does not parse${tag}`, async () => {
      const { file, body } = await broken('FILE_MALFORMED', { gz, format });
      const text = body.toString('utf8');
      if (format === 'csv') assert.throws(() => parseCsv(text), /unterminated quote/);
      if (format === 'json') assert.throws(() => JSON.parse(text));
      if (format === 'ndjson') {
        const lines = text.split('\n').filter((l) => l.trim() !== '');
        const firstBad = lines.findIndex((l) => {
          try {
            JSON.parse(l);
            return false;
          } catch {
            return true;
          }
        });
        assert.is(firstBad, file.rows, 'rows read are the lines before the broken one');
      }
      assert.ok(file.rows > 0 && file.rows < file.rows_written, 'the break is mid-file');
    });
  }

  test(`FILE_UNREADABLE: ${gz ? 'truncated gzip' : 'invalid UTF-8'}`, async () => {
    const { file, raw } = await broken('FILE_UNREADABLE', { gz });
    if (gz) assert.throws(() => gunzipSync(raw), /unexpected end of file/);
    else assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(raw));
    assert.is(file.rows, 0);
  });
}

test('FILE_UNSUPPORTED: an extension the pipeline does not read', async () => {
  const { file } = await broken('FILE_UNSUPPORTED', {});
  assert.ok(file.key.endsWith('.txt'));
  assert.is(file.rows, 0);
});

const run = promisify(execFile);
test('CLI: --help, a bad flag exits 2 with one line, a run writes the manifest', async () => {
  const help = await run('node', ['dist/generate.js', '--help']);
  assert.match(help.stdout, /--file-defect CODE/);
  const bad = await run('node', ['dist/generate.js', '--items', 'ten', '--out', join(root, 'x')]).catch((e: { code: number; stderr: string }) => e);
  assert.is((bad as { code: number }).code, 2);
  assert.match((bad as { stderr: string }).stderr, /^generate: bad value for --items/);
  const out = join(root, 'cli');
  const ok = await run('node', ['dist/generate.js', '--items', '50', '--out', out, '--file-defect', 'FILE_EMPTY']);
  assert.is(JSON.parse(ok.stdout).verdict, 'REJECTED');
  assert.ok((await stat(join(out, 'generator-manifest.json'))).size > 0);
});

test.run();
