// Integration: the committed Terraform applied to moto through the project's launcher, checked
// through the AWS SDK, planned again (no changes), destroyed (nothing left). One full apply per
// suite (about a minute and a half): of the one-file root as it was before the module, then the
// thin root over its state, which only moves addresses (the upgrade path of the README).
import { test } from 'uvu';
import { createHash } from 'node:crypto';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand, GetBucketEncryptionCommand, GetBucketNotificationConfigurationCommand, GetBucketPolicyCommand,
  GetBucketVersioningCommand, GetPublicAccessBlockCommand, ListBucketsCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useMoto } from '../support/moto.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { applyLocal, destroyLocal, planLocal, prepareLocal, terraform, type LocalStackOptions, type Outputs } from '../../workers/local/terraform.js';
import { synthStack } from '../../infra/synth.js';
import { deterministicZip } from '../../workers/local/lambda-zip.js';
import { asl } from '../support/asl.js';
import { resolvePlaceholders, type Json } from '../../infra/asl-template.js';

let moto: MotoServer;
let work: string;
let options: LocalStackOptions;
let out: Outputs;
interface Change { address: string; previous_address?: string; mode: string; change: { actions: string[] } }
let upgrade: Change[];
const s3 = () => new S3Client({ forcePathStyle: true });
const dynamo = () => new DynamoDBClient({});
const str = (key: string) => String(out[key]);

const emptyBucket = async (bucket: string) => {
  const listed = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket }));
  for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])])
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key!, VersionId: v.VersionId! }));
};

test.before(async () => {
  moto = await useMoto();
  work = mkdtempSync(join(tmpdir(), 'apply-'));
  const zip = join(work, 'aggregator.zip');
  writeFileSync(zip, await deterministicZip([{ name: 'aggregator.js', data: new TextEncoder().encode('exports.handler = async () => ({ batchItemFailures: [] });\n') }]));
  options = { endpoint: moto.endpoint, dir: join(work, 'stack'), vars: { environment: 'it', lambda_zip_path: zip } };
  const legacy = join(work, 'legacy');
  mkdirSync(legacy);
  writeFileSync(join(legacy, 'cdk.tf.json'), JSON.stringify(synthStack(), null, 2));
  await applyLocal({ ...options, configDir: legacy });
  await prepareLocal(options);
  const plan = await terraform(['plan', '-input=false', '-no-color', '-var-file=caller.tfvars.json', '-out=upgrade.tfplan'], options.dir);
  if (plan.code !== 0) throw new Error(`upgrade plan failed: ${plan.stderr}`);
  upgrade = (JSON.parse((await terraform(['show', '-json', 'upgrade.tfplan'], options.dir)).stdout) as { resource_changes: Change[] }).resource_changes;
  out = await applyLocal(options);
});

test.after(async () => {
  await moto.stop();
  rmSync(work, { recursive: true, force: true });
});

test('upgrade from the one-file root: every resource moves into module.pipeline, none is created, changed or destroyed', () => {
  const managed = upgrade.filter((c) => c.mode === 'managed');
  assert.ok(managed.length > 40, String(managed.length));
  for (const c of managed) {
    assert.equal(c.change.actions, ['no-op'], c.address);
    assert.is(c.address, `module.pipeline.${c.previous_address}`, c.address);
  }
});

test('outputs name every bucket, table, queue, topic, the state machine, cluster and task definitions', () => {
  for (const key of ['landing_bucket', 'lake_bucket', 'category_kpi_table', 'order_kpi_table', 'lock_table', 'events_queue_url', 'events_dlq_url', 'topic_arn', 'state_machine_arn', 'cluster_arn', 'validate_task_definition_arn', 'transform_task_definition_arn'])
    assert.ok(typeof out[key] === 'string' && str(key).length > 0, key);
  // the bucket suffix of moto's account (bucket names are global: unique per account by default)
  assert.is(str('landing_bucket'), `ecommerce-pipeline-it-landing-${createHash('sha1').update('123456789012').digest('hex').slice(0, 8)}`);
});

test('both buckets: encrypted, public access blocked, TLS-only policy', async () => {
  for (const bucket of [str('landing_bucket'), str('lake_bucket')]) {
    const sse = await s3().send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    assert.is(sse.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256', bucket);
    const pab = (await s3().send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
    assert.equal(pab, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }, bucket);
    const policy = JSON.parse((await s3().send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!) as { Statement: Array<{ Effect: string; Condition?: unknown }> };
    assert.ok(policy.Statement.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}'), bucket);
  }
  const versioning = await s3().send(new GetBucketVersioningCommand({ Bucket: str('landing_bucket') }));
  assert.is(versioning.Status, 'Enabled');
  const notification = await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket: str('landing_bucket') }));
  assert.ok(notification.EventBridgeConfiguration, 'landing does not notify EventBridge');
});

test('tables keyed as DESIGN §6, the lock item in place, PITR on the KPI tables', async () => {
  const describe = async (name: string) => (await dynamo().send(new DescribeTableCommand({ TableName: name }))).Table!;
  const keys = (t: { KeySchema?: Array<{ AttributeName?: string; KeyType?: string }> }) => (t.KeySchema ?? []).map((k) => `${k.KeyType}:${k.AttributeName}`);
  const category = await describe(str('category_kpi_table'));
  assert.equal(keys(category), ['HASH:category', 'RANGE:order_date']);
  const index = category.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'by_date');
  assert.ok(index, 'no by_date index');
  assert.equal(keys(index), ['HASH:order_date', 'RANGE:category']);
  assert.equal(keys(await describe(str('order_kpi_table'))), ['HASH:order_date']);
  assert.equal(keys(await describe(str('lock_table'))), ['HASH:LockId']);
  const item = await dynamo().send(new GetItemCommand({ TableName: str('lock_table'), Key: { LockId: { S: 'ecommerce-pipeline-lock' } } }));
  assert.equal(item.Item, { LockId: { S: 'ecommerce-pipeline-lock' }, currentlockcount: { N: '0' } });
  for (const table of [str('category_kpi_table'), str('order_kpi_table')]) {
    const backups = await dynamo().send(new DescribeContinuousBackupsCommand({ TableName: table }));
    assert.is(backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED', table);
  }
});

test('the deployed state machine definition is statemachine.asl.json with its placeholders resolved', async () => {
  const described = await new SFNClient({}).send(new DescribeStateMachineCommand({ stateMachineArn: str('state_machine_arn') }));
  const expected = resolvePlaceholders(asl() as unknown as Json, out['state_machine_placeholders'] as Record<string, Json>);
  assert.equal(JSON.parse(described.definition!), expected);
  const placeholders = out['state_machine_placeholders'] as Record<string, unknown>;
  assert.is(placeholders['lock_table'], str('lock_table'));
  assert.is(placeholders['lake_bucket'], str('lake_bucket'));
  // the family of the revision Terraform registered: RunTask takes its latest ACTIVE revision
  assert.is(placeholders['validate_task_definition_arn'], str('validate_task_definition_arn').replace(/:\d+$/, ''));
  assert.equal(placeholders['subnet_ids'], ['subnet-0123456789abcdef0']);
});

test('rule → queue wired: an object created in landing arrives as an EventBridge event on the queue', async () => {
  const sqs = new SQSClient({});
  const redrive = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: str('events_queue_url'), AttributeNames: ['RedrivePolicy'] }));
  assert.match(redrive.Attributes?.['RedrivePolicy'] ?? '', /landing-events-dlq/);
  await s3().send(new PutObjectCommand({ Bucket: str('landing_bucket'), Key: 'orders/part-1.csv', Body: 'order_id\n1\n' }));
  try {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: str('events_queue_url'), WaitTimeSeconds: 10, MaxNumberOfMessages: 1 }));
    const event = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as { source?: string; 'detail-type'?: string; detail?: { bucket?: { name?: string }; object?: { key?: string } } };
    assert.is(event.source, 'aws.s3');
    assert.is(event['detail-type'], 'Object Created');
    assert.is(event.detail?.bucket?.name, str('landing_bucket'));
    assert.is(event.detail?.object?.key, 'orders/part-1.csv');
  } finally {
    await emptyBucket(str('landing_bucket'));
  }
});

test("moto's model dump still answers with the stack in place (the launcher's Docker patch)", async () => {
  const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
  assert.is(res.status, 200);
  assert.ok(JSON.stringify(await res.json()).includes(str('aggregator_function_name')));
});

test('analytics: the Glue database, the Athena workgroup and the analyst policy are outputs (moto gaps patched in the launcher)', () => {
  assert.is(str('analytics_database'), 'ecommerce_pipeline_it_analytics');
  assert.is(str('athena_workgroup'), 'ecommerce-pipeline-it-analytics');
  const policy = JSON.parse(str('analyst_policy_json')) as { Statement: Array<{ Resource: string | string[] }> };
  assert.ok(policy.Statement.flatMap((s) => [s.Resource].flat()).includes(`arn:aws:s3:::${str('lake_bucket')}/analytics/*`), JSON.stringify(policy.Statement));
});

test('a second plan has no changes', async () => {
  const plan = await planLocal(options);
  assert.not.ok(plan.changes, plan.output.split('\n').filter((l) => /^\s+[~+-]|#/.test(l)).slice(0, 40).join('\n'));
});

test('destroy leaves nothing behind', async () => {
  await destroyLocal(options);
  const state = await terraform(['state', 'list'], options.dir);
  assert.is(state.stdout.trim(), '');
  assert.equal((await s3().send(new ListBucketsCommand({}))).Buckets ?? [], []);
  assert.equal((await dynamo().send(new ListTablesCommand({}))).TableNames ?? [], []);
  assert.equal((await new SQSClient({}).send(new ListQueuesCommand({}))).QueueUrls ?? [], []);
  assert.equal((await new SFNClient({}).send(new ListStateMachinesCommand({}))).stateMachines ?? [], []);
});

test.run();
