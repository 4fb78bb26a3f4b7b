// dist/validate.js and dist/transform.js as the state machine runs them: each ends a run with EMF
// lines on stderr (stdout keeps validate's one summary line), carrying the batch's figures.
// `make test` builds dist/ first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { csv, tempDirs, writeFiles } from '../support/lake.js';
import { dimensionsOf, emfLines, emfProblems } from '../support/emf.js';

const run = (bundle: string, args: string[]) => {
  const r = spawnSync(process.execPath, [bundle, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'error', METRICS_PIPELINE: 'shop-test-pipeline' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const FILES = {
  'products/p.csv': csv('id,sku,cost,category,retail_price', ['p1,S1,1.00,Jeans,2.50']),
  // The third order has no user: one quarantined row of three (a third; the limit is raised below).
  'orders/o.csv': csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2025-03-08T10:00:00', 'o2,u2,Complete,2025-03-08T11:00:00', 'o3,,Complete,2025-03-08T12:00:00']),
  'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50', 'i2,o2,p1,10.25']),
};

test('validate then transform: EMF lines with rows per kind, reject rate, bytes, KPI rows and revenue in cents', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, FILES);
    const v = run('dist/validate.js', ['--input', dirs.landing, '--out', dirs.lake, '--batch-id', 'b-metrics', '--max-reject-rate', '0.5']);
    assert.is(v.code, 0, v.stderr);
    assert.equal(emfLines(v.stdout), [], 'stdout holds the summary only');
    assert.is(v.stdout.trim().split('\n').length, 1);
    const docs = emfLines(v.stderr);
    for (const d of docs) assert.equal(emfProblems(d), []);
    const byKind = Object.fromEntries(docs.filter((d) => 'Kind' in d).map((d) => [d['Kind'], d]));
    assert.equal(dimensionsOf(byKind['orders']!), { Pipeline: 'shop-test-pipeline', Stage: 'validate', Kind: 'orders' });
    assert.equal([byKind['orders']!['RowsRead'], byKind['orders']!['RowsCleaned'], byKind['orders']!['RowsQuarantined']], [3, 2, 1]);
    assert.equal([byKind['order_items']!['RowsRead'], byKind['products']!['RowsRead']], [2, 1]);
    const [batch, ...more] = docs.filter((d) => !('Kind' in d));
    assert.equal(more, []);
    assert.equal(dimensionsOf(batch!), { Pipeline: 'shop-test-pipeline', Stage: 'validate' });
    assert.is(batch!['RejectRate'], 1 / 3);
    assert.equal([batch!['RowsRead'], batch!['RowsQuarantined'], batch!['BatchesAccepted'], batch!['batch_id']], [6, 1, 1, 'b-metrics']);
    const inputBytes = Object.values(FILES).reduce((n, text) => n + Buffer.byteLength(text), 0);
    assert.ok((batch!['BytesRead'] as number) > 0 && (batch!['BytesRead'] as number) <= inputBytes, `BytesRead ${batch!['BytesRead']} of ${inputBytes}`);

    const t = run('dist/transform.js', ['--lake', dirs.lake, '--batch-id', 'b-metrics']);
    assert.is(t.code, 0, t.stderr);
    const [doc, ...others] = emfLines(t.stderr);
    assert.equal(others, []);
    assert.equal(emfProblems(doc), []);
    assert.equal(dimensionsOf(doc!), { Pipeline: 'shop-test-pipeline', Stage: 'transform' });
    // One date, one category: one order KPI row and one category KPI row; revenue 2.50 + 10.25.
    assert.equal([doc!['KpiRowsWritten'], doc!['DatesRecomputed'], doc!['Orders'], doc!['RevenueCents'], doc!['batch_id']], [2, 1, 2, 1275, 'b-metrics']);
  } finally {
    await dirs.cleanup();
  }
});

test('a failed run emits no metrics: stderr keeps its one-line reason', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, { 'other/x.csv': 'a\n' });
    const v = run('dist/validate.js', ['--input', dirs.landing, '--out', dirs.lake]);
    assert.is(v.code, 1);
    assert.equal(emfLines(v.stderr), []);
  } finally {
    await dirs.cleanup();
  }
});

test.run();
