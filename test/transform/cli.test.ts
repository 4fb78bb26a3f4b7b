// The bundles as the state machine runs them, against moto: validate writes the S3 lake from the
// S3 landing bucket, then dist/transform.js (configured by environment only) writes the DynamoDB
// tables, the report, and moves the inputs to the archive. A second transform run is a no-op.
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dynamoKpiStore } from '../../workers/io/dynamo-kpi-store.js';
import { s3Store } from '../../workers/io/s3-store.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { createKpiTables } from '../support/kpi-tables.js';
import { useMoto } from '../support/moto.js';

const COURSE = join(process.cwd(), '..', 'shared', 'data', 'course');
const t = suite('transform CLI on S3 and DynamoDB');
let moto: MotoServer;
// Not the shared s3Client(): another test file in this process may have built it for its own moto.
let s3: S3Client;

const node = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [script, ...args], { env: { ...process.env, ...moto.env, ...env, LOG_LEVEL: 'warn' }, encoding: 'utf8' });

const keysUnder = async (bucket: string, prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

// Set-up runs inside the first test: uvu swallows errors thrown by a `before` hook.
const setUp = async () => {
  moto = await useMoto();
  s3 = new S3Client({ forcePathStyle: true });
  for (const b of ['landing', 'lake']) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await createKpiTables({ categoryTable: 'cat', orderTable: 'ord' });
  const landing = s3Store('landing', '', s3);
  for (const kind of ['orders', 'order_items', 'products'])
    for (const f of readdirSync(join(COURSE, kind))) await landing.write(`${kind}/${f}`, readFileSync(join(COURSE, kind, f)));
};
t.after(async () => moto?.stop());

t('validate then transform: KPIs in DynamoDB, report in the lake, inputs archived and gone from landing', async () => {
  await setUp();
  const env = { LANDING_BUCKET: 'landing', LAKE_BUCKET: 'lake', BATCH_ID: 'b-course', CATEGORY_KPI_TABLE: 'cat', ORDER_KPI_TABLE: 'ord', DYNAMODB_BATCH_SIZE: '25' };
  const validated = node('dist/validate.js', [], env);
  assert.is(validated.status, 0, validated.stderr);
  const inputs = (await keysUnder('landing', '')).sort();
  assert.is(inputs.length, 26);

  const transformed = node('dist/transform.js', [], env);
  assert.is(transformed.status, 0, transformed.stderr);
  const store = dynamoKpiStore({ categoryTable: 'cat', orderTable: 'ord' });
  const kpis = await store.allRows();
  assert.is(kpis.order.length, 31);
  assert.is(kpis.category.length, 215);
  assert.is(kpis.order.reduce((n, r) => n + r.total_items_sold, 0), 27_007);
  assert.equal(await keysUnder('landing', ''), []);
  assert.equal((await keysUnder('lake', 'archive/b-course/')).sort(), inputs.map((k) => `archive/b-course/${k}`));
  const report = JSON.parse((await s3Store('lake', '', s3).readSmall('reports/b-course/transform.json'))!.toString('utf8'));
  assert.equal(report.rows, { order: { written: 31, deleted: 0 }, category: { written: 215, deleted: 0 } });
  assert.equal(report.archive, { copied: 26, removed_from_landing: 26, already_archived: 0, absent: 0 });
  // the analytics Parquet, written by the bundle's analytics thread (the default) on its own S3 store
  assert.is(report.analytics.dates_published, 31);
  assert.is((await keysUnder('lake', 'analytics/order_kpis/')).length, 31);

  // re-running: same KPIs byte for byte, archive idempotent
  const again = node('dist/transform.js', [], env);
  assert.is(again.status, 0, again.stderr);
  assert.is(JSON.stringify(await store.allRows()), JSON.stringify(kpis));
  const report2 = JSON.parse((await s3Store('lake', '', s3).readSmall('reports/b-course/transform.json'))!.toString('utf8'));
  assert.equal(report2.archive, { copied: 0, removed_from_landing: 0, already_archived: 26, absent: 0 });
});

t('kpis reads the tables by key: a day (through by_date) and a category between two dates', async () => {
  const env = { CATEGORY_KPI_TABLE: 'cat', ORDER_KPI_TABLE: 'ord' };
  const store = dynamoKpiStore({ categoryTable: 'cat', orderTable: 'ord' });
  const all = await store.allRows();
  const day = node('dist/kpis.js', ['--date', '2025-03-10', '--json'], env);
  assert.is(day.status, 0, day.stderr);
  assert.equal(JSON.parse(day.stdout), {
    order: all.order.filter((r) => r.order_date === '2025-03-10'),
    category: all.category.filter((r) => r.order_date === '2025-03-10'),
  });
  const cat = node('dist/kpis.js', ['--category', 'Beauty', '--from', '2025-03-10', '--to', '2025-03-12', '--json'], env);
  assert.is(cat.status, 0, cat.stderr);
  const expected = all.category.filter((r) => r.category === 'Beauty' && r.order_date >= '2025-03-10' && r.order_date <= '2025-03-12');
  assert.is(expected.length, 3);
  assert.equal(JSON.parse(cat.stdout), { order: [], category: expected });
  const table = node('dist/kpis.js', ['--date', '2025-03-10'], env);
  assert.match(table.stdout, /total_orders/);
  assert.match(table.stdout, /Beauty\s+2025-03-10/);
});

t('a bad configuration exits 1 with one line on stderr', () => {
  const bad = node('dist/transform.js', ['--lake', '/tmp/none', '--batch-id', 'x'], { DYNAMODB_MAX_RETRIES: 'many' });
  assert.is(bad.status, 1);
  assert.match(bad.stderr.trim(), /^transform: DYNAMODB_MAX_RETRIES must be an integer/);
  assert.is(bad.stderr.trim().split('\n').length, 1);
});

t.run();
