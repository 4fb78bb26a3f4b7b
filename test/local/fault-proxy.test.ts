// The fault proxy of test/support/fault-proxy.ts against moto: the faults are what AWS sends (an
// SDK with no retries sees each by name), and they are transient (the SDK's default retries get
// every call through, even when every first attempt is faulted).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { startFaultProxy, totalFaults, type FaultProxy } from '../support/fault-proxy.js';
import { useMoto } from '../support/moto.js';

const t = suite('fault proxy');
let moto: MotoServer;
let proxy: FaultProxy;
const s3 = (maxAttempts?: number) => new S3Client({ forcePathStyle: true, endpoint: proxy.url, ...(maxAttempts ? { maxAttempts } : {}) });
const ddb = (maxAttempts?: number) => new DynamoDBClient({ endpoint: proxy.url, ...(maxAttempts ? { maxAttempts } : {}) });

t.before(async () => {
  moto = await useMoto();
  proxy = await startFaultProxy(moto.env.AWS_ENDPOINT_URL!, { seed: 7 });
  await s3().send(new CreateBucketCommand({ Bucket: 'faults' }));
  await ddb().send(
    new CreateTableCommand({
      TableName: 'faults',
      KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
t.after(async () => {
  await proxy.close();
  await moto.stop();
});

t('with every first attempt faulted, the default retries get every S3 and DynamoDB call through', async () => {
  proxy.setRate(1);
  proxy.resetCounts();
  for (let i = 0; i < 20; i++) {
    await s3().send(new PutObjectCommand({ Bucket: 'faults', Key: `k${i}`, Body: `body ${i}` }));
    const got = await s3().send(new GetObjectCommand({ Bucket: 'faults', Key: `k${i}` }));
    assert.is(await got.Body!.transformToString(), `body ${i}`);
    await ddb().send(new PutItemCommand({ TableName: 'faults', Item: { k: { S: `k${i}` }, v: { N: String(i) } } }));
    const item = await ddb().send(new GetItemCommand({ TableName: 'faults', Key: { k: { S: `k${i}` } }, ConsistentRead: true }));
    assert.is(item.Item?.v?.N, String(i));
  }
  proxy.setRate(0);
  const c = proxy.counts();
  assert.is(totalFaults(c), 80, JSON.stringify(c));
  for (const kind of ['InternalError', 'SlowDown', 'drop'] as const) assert.ok((c.faults.s3[kind] ?? 0) > 0, `s3 ${kind}: ${JSON.stringify(c)}`);
  for (const kind of ['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError', 'drop'] as const)
    assert.ok((c.faults.dynamodb[kind] ?? 0) > 0, `dynamodb ${kind}: ${JSON.stringify(c)}`);
});

t('without retries the SDK sees the faults by their AWS names', async () => {
  proxy.setRate(1);
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    // a new key each time: a repeated request would pass (never faulted twice in a row)
    await s3(1).send(new GetObjectCommand({ Bucket: 'faults', Key: `k${i % 20}`, Range: `bytes=0-${i}` })).catch((e: Error) => seen.add(e.name));
    await ddb(1).send(new GetItemCommand({ TableName: 'faults', Key: { k: { S: `none-${i}` } } })).catch((e: Error) => seen.add(e.name));
  }
  proxy.setRate(0);
  for (const name of ['InternalError', 'SlowDown', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError'])
    assert.ok(seen.has(name), `${name} in ${[...seen].join(', ')}`);
});

t('forwards to loopback only', async () => {
  try {
    await startFaultProxy('http://example.com:80');
    assert.unreachable('a non-loopback target was accepted');
  } catch (error) {
    assert.match((error as Error).message, /loopback only/);
  }
});

t.run();
