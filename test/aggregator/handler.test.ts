// The aggregator handler against moto (S3 + Step Functions): what it starts, what it does not.
import { CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AggregatorDeps } from '../../workers/aggregator/aggregate.js';
import { handleBatch } from '../../workers/aggregator/main.js';
import { logger } from '../../workers/io/log.js';
import { objectCreatedBody } from '../../workers/local/sqs-event.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { batchIdOf } from '../../workers/core/manifest.js';
import { useMoto } from '../support/moto.js';

let moto: MotoServer;
let deps: AggregatorDeps;
let s3: S3Client;
let sfn: SFNClient;
const bucket = 'landing-agg';
const lake = 'lake-agg';
let n = 0;

const eventFor = (keys: ReadonlyArray<string>, target = bucket) => ({
  Records: keys.map((key) => {
    n += 1;
    return {
      messageId: `m-${n}`,
      receiptHandle: `r-${n}`,
      body: objectCreatedBody(target, key),
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs' as const,
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:events',
      awsRegion: 'us-east-1',
    };
  }),
});

const put = (key: string, body = `${key}\n`) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

const executions = async () =>
  (await sfn.send(new ListExecutionsCommand({ stateMachineArn: deps.stateMachineArn }))).executions ?? [];

test.before(async () => {
  // the aggregator logs every evaluation at info: keep the test output to warnings
  process.env.LOG_LEVEL ??= 'warn';
  moto = await useMoto();
  s3 = new S3Client({ forcePathStyle: true });
  sfn = new SFNClient({});
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: lake }));
  const sm = await sfn.send(
    new CreateStateMachineCommand({
      name: 'agg-test',
      roleArn: 'arn:aws:iam::123456789012:role/agg-test',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }),
  );
  deps = { s3, sfn, landingBucket: bucket, lakeBucket: lake, stateMachineArn: sm.stateMachineArn!, log: logger('aggregator-test') };
});

test.after(async () => moto.stop());

test('an incomplete set starts nothing; the completing part starts one execution named by the files', async () => {
  await put('orders/o1.csv');
  await put('products/p1.json');
  const first = await handleBatch(eventFor(['orders/o1.csv', 'products/p1.json']), deps);
  assert.equal(first.batchItemFailures, []);
  assert.is((await executions()).length, 0);

  await put('order_items/i1.csv.gz');
  await handleBatch(eventFor(['order_items/i1.csv.gz']), deps);
  const [ex, ...rest] = await executions();
  assert.is(rest.length, 0);
  const listed = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [];
  const expectedId = batchIdOf(listed.map((o) => ({ key: o.Key!, etag: o.ETag!.replace(/"/g, '') })));
  assert.is(ex!.name, expectedId);
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: ex!.executionArn }));
  const input = JSON.parse(described.input!) as { batch_id: string; manifest: string };
  assert.is(input.batch_id, expectedId);
  const manifest = JSON.parse(input.manifest) as { files: { key: string; etag: string }[] };
  assert.equal(manifest.files.map((f) => f.key), ['order_items/i1.csv.gz', 'orders/o1.csv', 'products/p1.json']);
  assert.ok(manifest.files.every((f) => /^[0-9a-f]{32}$/.test(f.etag)));
});

test('duplicate and replayed events start nothing new', async () => {
  const keys = ['orders/o1.csv', 'products/p1.json', 'order_items/i1.csv.gz'];
  await handleBatch(eventFor([...keys, ...keys]), deps);
  await handleBatch(eventFor(keys), deps);
  assert.is((await executions()).length, 1);
  // the same bytes uploaded again: same ETags, same batch; after the run ended too
  await put('orders/o1.csv');
  const [ex] = await executions();
  await sfn.send(new StopExecutionCommand({ executionArn: ex!.executionArn }));
  await handleBatch(eventFor(['orders/o1.csv']), deps);
  assert.is((await executions()).length, 1);
});

test('parts landing while a batch runs never join it; a complete new set becomes the next batch', async () => {
  // a changed file (new ETag) makes a new set, hence a new running batch
  await put('orders/o1.csv', 'changed\n');
  await handleBatch(eventFor(['orders/o1.csv']), deps);
  const running = (await executions()).filter((e) => e.status === 'RUNNING');
  assert.is(running.length, 1);
  const claimed = JSON.parse(
    JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: running[0]!.executionArn }))).input!).manifest,
  ) as { files: { key: string }[] };

  await put('order_items/i2.csv');
  await handleBatch(eventFor(['order_items/i2.csv']), deps);
  assert.is((await executions()).filter((e) => e.status === 'RUNNING').length, 1, 'a lone late part waits');

  await put('orders/o2.csv');
  await put('products/p2.csv');
  await handleBatch(eventFor(['orders/o2.csv', 'products/p2.csv']), deps);
  const now = (await executions()).filter((e) => e.status === 'RUNNING');
  assert.is(now.length, 2);
  const newest = now.find((e) => e.executionArn !== running[0]!.executionArn)!;
  const files = (
    JSON.parse(JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: newest.executionArn }))).input!).manifest) as {
      files: { key: string }[];
    }
  ).files.map((f) => f.key);
  assert.equal(files, ['order_items/i2.csv', 'orders/o2.csv', 'products/p2.csv']);
  assert.ok(files.every((k) => !claimed.files.some((c) => c.key === k)));
});

test('an unreadable record is reported as a failure, the others are handled', async () => {
  const event = eventFor(['orders/o2.csv']);
  const bad = { ...event.Records[0]!, messageId: 'bad', body: '{"not":"an event"}' };
  const res = await handleBatch({ Records: [...event.Records, bad] }, deps);
  assert.equal(res.batchItemFailures, [{ itemIdentifier: 'bad' }]);
});

test('events of another bucket are ignored; a failing listing fails every record for retry', async () => {
  const before = (await executions()).length;
  const other = await handleBatch(eventFor(['orders/x.csv'], 'someone-else'), deps);
  assert.equal(other.batchItemFailures, []);
  const failing = await handleBatch(eventFor(['orders/x.csv', 'products/y.csv']), {
    ...deps,
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing',
  });
  assert.equal(failing.batchItemFailures.length, 2);
  assert.is((await executions()).length, before);
});

test('an explicit manifest defines its batch and is consumed', async () => {
  // stop everything running so that no claims are in the way
  for (const e of (await executions()).filter((x) => x.status === 'RUNNING')) {
    await sfn.send(new StopExecutionCommand({ executionArn: e.executionArn }));
  }
  await put('_manifest.json', JSON.stringify({ keys: ['orders/m1.csv', 'order_items/m1.csv', 'products/m1.csv'] }));
  await put('orders/m1.csv');
  await put('order_items/m1.csv');
  const before = (await executions()).length;
  await handleBatch(eventFor(['orders/m1.csv']), deps);
  // o2/i2/p2 are loose parts, complete, and not claimed any more: they form a listing batch; the
  // manifest's keys are reserved and do not join it
  const afterFirst = await executions();
  const added = afterFirst.slice(0, afterFirst.length - before);
  for (const e of added) {
    const files = (
      JSON.parse(JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input!).manifest) as {
        files: { key: string }[];
      }
    ).files.map((f) => f.key);
    assert.ok(files.every((k) => !k.includes('m1')), `manifest keys must wait: ${files.join(',')}`);
  }
  await put('products/m1.csv');
  await handleBatch(eventFor(['products/m1.csv']), deps);
  const all = await executions();
  const withManifest = [];
  for (const e of all) {
    const files = (
      JSON.parse(JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))).input!).manifest) as {
        files: { key: string }[];
      }
    ).files.map((f) => f.key);
    if (files.some((k) => k.includes('m1'))) withManifest.push(files);
  }
  assert.equal(withManifest, [['order_items/m1.csv', 'orders/m1.csv', 'products/m1.csv']]);
  const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
  assert.not.ok(keys.includes('_manifest.json'), 'the manifest is consumed');
});

const stopAll = async () => {
  for (const e of (await executions()).filter((x) => x.status === 'RUNNING')) {
    await sfn.send(new StopExecutionCommand({ executionArn: e.executionArn }));
  }
};

const inputOf = async (arn: string) => JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).input!) as { batch_id: string; manifest: string };

test('a 150-part set starts with its manifest in the lake (s3:// pointer), and its keys stay claimed', async () => {
  await stopAll();
  const listed = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => ({ Key: o.Key! }));
  if (listed.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed } }));
  const keys = [
    ...Array.from({ length: 148 }, (_, i) => `order_items/big-${String(i).padStart(3, '0')}.csv`),
    'orders/big.csv',
    'products/big.csv',
  ];
  for (const key of keys) await put(key);
  const before = await executions();
  await handleBatch(eventFor(['products/big.csv']), deps);
  const [started, ...rest] = (await executions()).filter((e) => !before.some((b) => b.executionArn === e.executionArn));
  assert.is(rest.length, 0);
  const input = await inputOf(started!.executionArn!);
  assert.is(input.manifest, `s3://${lake}/manifests/${input.batch_id}.json`);
  const body = await (await s3.send(new GetObjectCommand({ Bucket: lake, Key: `manifests/${input.batch_id}.json` }))).Body!.transformToString();
  assert.equal((JSON.parse(body) as { files: { key: string }[] }).files.map((f) => f.key), [...keys].sort());

  // a new complete set beside it: the running batch's keys (read through the pointer) do not join
  for (const key of ['orders/next.csv', 'order_items/next.csv', 'products/next.csv']) await put(key);
  await handleBatch(eventFor(['products/next.csv']), deps);
  const newest = (await executions()).filter((e) => e.status === 'RUNNING' && e.executionArn !== started!.executionArn);
  assert.is(newest.length, 1);
  const next = JSON.parse((await inputOf(newest[0]!.executionArn!)).manifest) as { files: { key: string }[] };
  assert.equal(next.files.map((f) => f.key), ['order_items/next.csv', 'orders/next.csv', 'products/next.csv']);
});

test('settle window: a complete set of loose parts waits for its newest part, with one re-check asked for', async () => {
  await stopAll();
  const listed = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => ({ Key: o.Key! }));
  if (listed.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: listed } }));
  for (const key of ['orders/s.csv', 'order_items/s.csv', 'products/s.csv']) await put(key);
  const rechecks: Array<{ batchId: string; dueAt: number }> = [];
  let now = Date.now();
  const settling = { ...deps, settle: { seconds: 600, now: () => now, scheduleRecheck: async (r: { batchId: string; dueAt: number }) => void rechecks.push(r) } };
  const before = (await executions()).length;
  await handleBatch(eventFor(['products/s.csv']), settling);
  assert.is((await executions()).length, before, 'nothing starts inside the window');
  assert.is(rechecks.length, 1);
  const newest = Math.max(...((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.LastModified!.getTime()));
  assert.is(rechecks[0]!.dueAt, newest + 600_000);
  // the re-check arrives when due: the set starts, with every part
  now = rechecks[0]!.dueAt;
  await handleBatch({ Records: [{ ...eventFor(['x'])!.Records[0]!, body: JSON.stringify({ source: 'ecommerce-pipeline.aggregator', 'detail-type': 'Settle recheck', detail: { bucket: { name: bucket }, batch_id: rechecks[0]!.batchId } }) }] }, settling);
  const started = (await executions()).filter((e) => e.status === 'RUNNING');
  assert.is(started.length, 1);
  assert.is(started[0]!.name, rechecks[0]!.batchId);
  assert.is(rechecks.length, 1, 'a settled set asks for nothing more');
});

test('settle window: a manifest-defined set starts at once', async () => {
  await stopAll();
  for (const key of ['orders/t.csv', 'order_items/t.csv', 'products/t.csv']) await put(key);
  await put('_manifest.json', JSON.stringify({ keys: ['orders/t.csv', 'order_items/t.csv', 'products/t.csv'] }));
  const rechecks: unknown[] = [];
  const settling = { ...deps, settle: { seconds: 600, now: () => Date.now(), scheduleRecheck: async (r: unknown) => void rechecks.push(r) } };
  await handleBatch(eventFor(['_manifest.json']), settling);
  const running = (await executions()).filter((e) => e.status === 'RUNNING');
  assert.is(running.length, 1);
  const files = (JSON.parse((await inputOf(running[0]!.executionArn!)).manifest) as { files: { key: string }[] }).files.map((f) => f.key);
  assert.equal(files, ['order_items/t.csv', 'orders/t.csv', 'products/t.csv']);
});

test.run();
