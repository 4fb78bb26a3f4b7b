// dist/validate.js as a child process: exit codes, the one-line reason, the report on disk.
// `make test` builds dist/ first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { csv, tempDirs, writeFiles } from '../support/lake.js';

const BUNDLE = 'dist/validate.js';

const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const reportIn = (lake: string) => {
  const dir = join(lake, 'reports');
  const [batch] = readdirSync(dir);
  return JSON.parse(readFileSync(join(dir, batch!, 'validation.json'), 'utf8'));
};

const GOOD = {
  'products/p.csv': csv('id,sku,cost,category,retail_price', ['p1,S1,1.00,Jeans,2.50']),
  'orders/o.csv': csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2025-03-08T10:00:00']),
  'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50']),
};

test('bundle exists (make build)', () => {
  assert.ok(existsSync(BUNDLE), 'run make build first');
});

test('--help exits 0 and documents the exit codes', () => {
  const r = cli(['--help']);
  assert.is(r.code, 0);
  for (const s of ['--input', '--out', '--max-reject-rate', '--exit-zero-on-reject', 'EXIT_ZERO_ON_REJECT', 'BATCH_MANIFEST', '64']) assert.ok(r.stdout.includes(s), s);
});

test('usage and configuration errors exit 64 with one line', () => {
  for (const [args, env] of [
    [[], {}],
    [['--input', '/tmp/x'], {}],
    [['--input', '/tmp/x', '--out', '/tmp/y', '--max-reject-rate', '1.5'], {}],
    [['--input', '/tmp/x', '--out', '/tmp/y'], { MAX_REJECT_RATE: 'lots' }],
    [['--input', '/tmp/x', '--out', '/tmp/y', '--batch-id', 'has space'], {}],
    [['--bogus'], {}],
  ] as Array<[string[], Record<string, string>]>) {
    const r = cli(args, env);
    assert.is(r.code, 64, `${args.join(' ')} ${JSON.stringify(env)}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('accepted: exit 0, summary on stdout, report written', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, GOOD);
    const r = cli(['--input', dirs.landing, '--out', dirs.lake]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ACCEPTED b-[0-9a-f]{32}: /);
    assert.is(reportIn(dirs.lake).verdict, 'ACCEPTED');
  } finally {
    await dirs.cleanup();
  }
});

const rejectedCase = (name: string, files: Record<string, string | Buffer>, code: string) =>
  test(`rejected (${name}): exit 2 with the report`, async () => {
    const dirs = await tempDirs();
    try {
      await writeFiles(dirs.landing, { ...GOOD, ...files });
      const r = cli(['--input', dirs.landing, '--out', dirs.lake]);
      assert.is(r.code, 2, r.stderr);
      const report = reportIn(dirs.lake);
      assert.is(report.verdict, 'REJECTED');
      assert.ok(report.files.some((f: any) => f.file_reason?.code === code || f.reason_counts[code] > 0), code);
      for (const key of Object.keys({ ...GOOD, ...files })) {
        assert.ok(existsSync(join(dirs.landing, key)), `a local input directory is never modified: ${key} still there`);
      }
      if (name === 'empty file') {
        // the state machine's mode: a rejection is a verdict in the report, not a failed task
        assert.is(cli(['--input', dirs.landing, '--out', dirs.lake, '--exit-zero-on-reject']).code, 0);
        assert.is(cli(['--input', dirs.landing, '--out', dirs.lake], { EXIT_ZERO_ON_REJECT: 'true' }).code, 0);
      }
    } finally {
      await dirs.cleanup();
    }
  });

rejectedCase('missing column', { 'orders/o.csv': csv('order_id,user_id,created_at', ['o1,u1,2025-03-08T10:00:00']) }, 'FILE_MISSING_COLUMN');
rejectedCase('empty file', { 'orders/empty.csv': '' }, 'FILE_EMPTY');
rejectedCase('invalid UTF-8', { 'orders/o2.csv': Buffer.from([0x6f, 0x72, 0x64, 0xff, 0x0a]) }, 'FILE_UNREADABLE');
rejectedCase('unterminated quote', { 'order_items/q.csv': 'id,order_id,product_id,sale_price\ni2,"o1,p1,1\n' }, 'FILE_MALFORMED');
rejectedCase('truncated gzip', { 'order_items/t.csv.gz': gzipSync('id,order_id,product_id,sale_price\ni2,o1,p1,1\n').subarray(0, 20) }, 'FILE_UNREADABLE');
rejectedCase('JSON syntax error mid-file', { 'order_items/j.json': '[{"id":"i2","order_id":"o1","product_id":"p1","sale_price":1},{"id":}]' }, 'FILE_MALFORMED');
rejectedCase('too many bad rows', { 'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50', 'i2,o9,p1,1']) }, 'UNKNOWN_ORDER');

test('--max-reject-rate and MAX_REJECT_RATE decide; the flag overrides the environment', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, { ...GOOD, 'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50', 'i2,o9,p1,1']) });
    assert.is(cli(['--input', dirs.landing, '--out', dirs.lake], { MAX_REJECT_RATE: '0.5' }).code, 0);
    assert.is(cli(['--input', dirs.landing, '--out', dirs.lake, '--max-reject-rate', '0.4'], { MAX_REJECT_RATE: '0.5' }).code, 2);
  } finally {
    await dirs.cleanup();
  }
});

test('a manifest defines the batch: its id and exactly its files', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, { ...GOOD, 'orders/not-in-batch.csv': 'garbage' });
    const manifest = JSON.stringify({ batch_id: 'b-manifest', files: Object.keys(GOOD).map((key) => ({ key })) });
    const r = cli(['--input', dirs.landing, '--out', dirs.lake], { BATCH_MANIFEST: manifest });
    assert.is(r.code, 0, r.stderr);
    const report = reportIn(dirs.lake);
    assert.is(report.batch_id, 'b-manifest');
    assert.is(report.files.length, 3);
    assert.is(cli(['--input', dirs.landing, '--out', dirs.lake], { BATCH_MANIFEST: '{"files": 3}' }).code, 1);
  } finally {
    await dirs.cleanup();
  }
});

test('failure: exit 1 with a one-line reason (no input files)', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, { 'other/x.csv': 'a\n' });
    const r = cli(['--input', dirs.landing, '--out', dirs.lake]);
    assert.is(r.code, 1);
    assert.match(r.stderr, /^validate: no input files/);
    assert.is(r.stderr.trim().split('\n').length, 1);
  } finally {
    await dirs.cleanup();
  }
});

test.run();
