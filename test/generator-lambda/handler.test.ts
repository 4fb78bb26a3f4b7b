// The scheduled generator against moto: its batch lands in the landing bucket and the aggregator,
// fed the parts' events, starts exactly that batch (a manifest-defined set starts at once).
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AggregatorDeps } from '../../workers/aggregator/aggregate.js';
import { handleBatch } from '../../workers/aggregator/main.js';
import { runScheduled, type GeneratorDeps } from '../../workers/generator-lambda/main.js';
import { logger } from '../../workers/io/log.js';
import { objectCreatedBody } from '../../workers/local/sqs-event.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { useMoto } from '../support/moto.js';

let moto: MotoServer;
let aggregator: AggregatorDeps;
let generator: GeneratorDeps;
let sfn: SFNClient;
const bucket = 'landing-gen';

const eventFor = (keys: ReadonlyArray<string>) => ({
  Records: keys.map((key, i) => ({
    messageId: `m-${key}-${i}`,
    receiptHandle: `r-${i}`,
    body: objectCreatedBody(bucket, key),
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs' as const,
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:events',
    awsRegion: 'us-east-1',
  })),
});

const executions = async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn: aggregator.stateMachineArn }))).executions ?? [];

const startedKeys = async (executionArn: string | undefined): Promise<string[]> => {
  const input = JSON.parse((await sfn.send(new DescribeExecutionCommand({ executionArn }))).input!) as { manifest: string };
  return (JSON.parse(input.manifest) as { files: { key: string }[] }).files.map((f) => f.key);
};

test.before(async () => {
  process.env.LOG_LEVEL ??= 'warn';
  moto = await useMoto();
  const s3 = new S3Client({ forcePathStyle: true });
  sfn = new SFNClient({});
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: 'lake-gen' }));
  const sm = await sfn.send(
    new CreateStateMachineCommand({
      name: 'gen-test',
      roleArn: 'arn:aws:iam::123456789012:role/gen-test',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    }),
  );
  aggregator = { s3, sfn, landingBucket: bucket, lakeBucket: 'lake-gen', stateMachineArn: sm.stateMachineArn!, log: logger('aggregator-test') };
  generator = { s3, landingBucket: bucket, settings: { items: 40, defectRate: 0.01 }, now: () => Date.parse('2026-12-02T00:00:00Z') };
});

test.after(async () => moto.stop());

test('a scheduled run lands a manifest and its parts; the aggregator starts exactly that batch', async () => {
  const run = await runScheduled({ scheduled_time: '2026-12-02T00:25:00Z' }, generator);
  const listed = ((await aggregator.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
  assert.equal(listed, [run.manifest_key, ...run.keys].sort());
  assert.is(run.keys.length, 3);

  // The first events already find every part listed: the manifest's set starts at once (no settle).
  await handleBatch(eventFor([run.manifest_key, ...run.keys.slice(0, 2)]), aggregator);
  const [ex, ...rest] = await executions();
  assert.is(rest.length, 0);
  assert.equal(await startedKeys(ex!.executionArn), [...run.keys].sort());
  await handleBatch(eventFor(run.keys.slice(2)), aggregator);
  assert.is((await executions()).length, 1, 'the last part event starts nothing more');
});

test('the next slot makes a new batch of new keys; a retried slot makes none', async () => {
  await runScheduled({ scheduled_time: '2026-12-02T00:25:00Z' }, generator);
  const next = await runScheduled({ scheduled_time: '2026-12-02T00:30:00Z' }, generator);
  await handleBatch(eventFor(next.keys), aggregator);
  const all = await executions();
  assert.is(all.length, 2);
  const keysOfAll = await Promise.all(all.map((e) => startedKeys(e.executionArn)));
  assert.ok(keysOfAll.some((keys) => keys.join() === [...next.keys].sort().join()));
  assert.ok(next.id_offset > 0);
});

test.run();
