// End to end on S3 (moto): input and output as s3:// locations, in-process and through the CLI.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { s3Store } from '../../workers/io/s3-store.js';
import { batchRecordKey, cleanedKey, quarantineFileKey, validationReportKey } from '../../workers/core/lake-layout.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { useMoto } from '../support/moto.js';
import { readGzLines } from '../support/lake.js';

const COURSE = join(import.meta.dirname, '../../../shared/data/course');
const s3 = suite('validate on S3');
let moto: MotoServer;
// Our own client: the module's shared one may still point at another test file's moto (uvu runs
// every file in one process).
let client: S3Client;
const store = (bucket: string, prefix: string) => s3Store(bucket, prefix, client);

s3.before(async () => {
  moto = await useMoto();
  client = new S3Client({ forcePathStyle: true });
  for (const Bucket of ['landing', 'lake']) await client.send(new CreateBucketCommand({ Bucket }));
  const landing = store('landing', 'in/');
  for (const kind of ['orders', 'order_items', 'products']) {
    for (const name of await readdir(join(COURSE, kind))) await landing.write(`${kind}/${name}`, await readFile(join(COURSE, kind, name)));
  }
});
s3.after(async () => moto.stop());

s3('validateBatch with s3 source and lake: course accepted and published', async () => {
  const lake = store('lake', 'v1/');
  const report = await validateBatch({ source: store('landing', 'in/'), lake, maxRejectRate: 0.05, batchId: 'b-s3' });
  assert.is(report.verdict, 'ACCEPTED');
  assert.is(report.kinds.order_items.rows_cleaned, 27007);
  assert.ok(await lake.readSmall(batchRecordKey('b-s3')));
  const date = report.order_dates[0]!;
  const orders = await readGzLines(lake, cleanedKey('orders', 'b-s3', date));
  assert.ok(orders.length > 0);
  assert.is((await lake.list('cleaned/products/')).length, 1);
});

s3('the CLI with s3:// locations: a rejected batch exits 2 and moves its files from landing to quarantine', async () => {
  const landing = store('landing', 'bad/');
  await landing.write('orders/o.csv', 'order_id,user_id,status,created_at\no1,u1,Complete,2025-03-08T10:00:00\n');
  await landing.write('order_items/i.csv', 'id,order_id,product_id,sale_price\ni1,o1,p1,"1\n');
  const r = spawnSync(process.execPath, ['dist/validate.js', '--input', 's3://landing/bad', '--out', 's3://lake/v2', '--batch-id', 'b-bad'], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'error' },
  });
  assert.is(r.status, 2, r.stderr);
  const lake = store('lake', 'v2/');
  const report = JSON.parse((await lake.readSmall(validationReportKey('b-bad')))!.toString());
  assert.is(report.verdict, 'REJECTED');
  assert.is(report.files.find((f: any) => f.key === 'order_items/i.csv').file_reason.code, 'FILE_MALFORMED');
  assert.ok(await lake.readSmall(quarantineFileKey('b-bad', 'order_items/i.csv')));
  assert.ok(await lake.readSmall(quarantineFileKey('b-bad', 'orders/o.csv')));
  assert.is(await lake.readSmall(batchRecordKey('b-bad')), undefined);
  assert.equal(await landing.list(''), [], 'nothing of the rejected batch is left in landing');
});

s3('LANDING_BUCKET / LAKE_BUCKET stand in for --input / --out', async () => {
  const landing = store('landing', '');
  await landing.write('orders/o.csv', 'order_id,user_id,status,created_at\no1,u1,Complete,2025-03-08T10:00:00\n');
  await landing.write('products/p.csv', 'id,sku,cost,category,retail_price\np1,S,1,C,2\n');
  await landing.write('order_items/i.csv', 'id,order_id,product_id,sale_price\ni1,o1,p1,1\n');
  const r = spawnSync(process.execPath, ['dist/validate.js'], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'error', LANDING_BUCKET: 'landing', LAKE_BUCKET: 'lake', BATCH_ID: 'b-env' },
  });
  // the landing root also holds in/ and bad/, which are not batch prefixes: only the three kinds count
  assert.is(r.status, 0, r.stderr);
  const report = JSON.parse((await store('lake', '').readSmall(validationReportKey('b-env')))!.toString());
  assert.equal(report.files.map((f: any) => f.key), ['products/p.csv', 'orders/o.csv', 'order_items/i.csv']);
});

s3.run();
