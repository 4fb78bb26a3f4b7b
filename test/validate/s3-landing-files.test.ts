// The containment rule and the marker predicate on S3 roots (moto): a manifest key climbing out of
// the landing prefix is a file reason and is never read; a rejected batch's quarantine copies stay
// under the lake prefix; markers are ignored. The directory side is test/validate/landing-files.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { s3Store } from '../../workers/io/s3-store.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { useMoto } from '../support/moto.js';
import { csv } from '../support/lake.js';

const s3 = suite('landing files on S3');
let moto: MotoServer;
let client: S3Client;
const store = (bucket: string, prefix: string) => s3Store(bucket, prefix, client);
const keysOf = async (Bucket: string) => ((await client.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((o) => o.Key!).sort();

const GOOD = {
  'products/p.csv': csv('id,sku,cost,category,retail_price', ['p1,S1,1.00,Jeans,2.50']),
  'orders/o.csv': csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2025-03-08T10:00:00']),
  'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50']),
};

s3.before(async () => {
  moto = await useMoto();
  client = new S3Client({ forcePathStyle: true });
  for (const Bucket of ['landing', 'lake']) await client.send(new CreateBucketCommand({ Bucket }));
  for (const [key, body] of Object.entries(GOOD)) await store('landing', 'in/').write(key, body);
  await store('landing', 'secret/').write('orders/o.csv', csv('order_id,user_id,status,created_at', ['o9,u9,Complete,2025-03-08T10:00:00']));
  await store('landing', 'in/').write('orders/_SUCCESS', '');
});
s3.after(async () => moto.stop());

s3('escaping manifest keys are refused unread; quarantine copies stay under the lake prefix', async () => {
  const landingBefore = await keysOf('landing');
  const hostile = ['../secret/orders/o.csv', 'orders/../../secret/orders/o.csv', '/secret/orders/o.csv', 'orders\\..\\..\\secret\\orders\\o.csv'];
  const report = await validateBatch({
    source: store('landing', 'in/'),
    lake: store('lake', 'v/'),
    manifest: { batch_id: 'b-s3-keys', files: [...Object.keys(GOOD), ...hostile].map((key) => ({ key })) },
    maxRejectRate: 0.05,
    moveRejectedInputs: true,
  });
  assert.is(report.verdict, 'REJECTED');
  for (const key of hostile) assert.is(report.files.find((f) => f.key === key)?.file_reason?.code, 'FILE_UNREADABLE', key);
  assert.is(report.kinds.orders.rows_read, 1); // o1 only: the secret o9 was never read
  assert.ok((await keysOf('lake')).every((k) => k.startsWith('v/')));
  // the rejected batch moved its own inputs out of landing, and nothing else
  assert.equal(await keysOf('landing'), landingBefore.filter((k) => !Object.keys(GOOD).map((g) => `in/${g}`).includes(k)));
  assert.ok((await keysOf('landing')).includes('secret/orders/o.csv'));
});

s3('a marker object beside the parts is ignored and listed', async () => {
  for (const [key, body] of Object.entries(GOOD)) await store('landing', 'in2/').write(key, body);
  await store('landing', 'in2/').write('orders/_SUCCESS', '');
  // the console's "create folder" object (our store would not write such a key)
  await client.send(new PutObjectCommand({ Bucket: 'landing', Key: 'in2/products/', Body: '' }));
  const report = await validateBatch({ source: store('landing', 'in2/'), lake: store('lake', 'v2/'), batchId: 'b-s3-markers', maxRejectRate: 0.05 });
  assert.is(report.verdict, 'ACCEPTED');
  assert.equal(report.ignored, [
    { key: 'products/', reason: 'folder placeholder' },
    { key: 'orders/_SUCCESS', reason: 'marker file _SUCCESS' },
  ]);
});

s3.run();
