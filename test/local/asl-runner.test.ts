// The project's statemachine.asl.json run by the local execution driver against moto, with every
// Task bound locally: the lock in DynamoDB, the verdict from S3, notifications through SNS, and
// ECS tasks as child processes (a stand-in worker here; the real ones run in test/e2e).
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ecsTaskRunner, type RunningTask } from '../../workers/local/ecs-task.js';
import { executionDriver, type ExecutionDriver } from '../../workers/local/execution-driver.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { subscribeNotifications, type NotificationFeed } from '../../workers/local/notifications.js';
import { useMoto } from '../support/moto.js';

let moto: MotoServer;
let driver: ExecutionDriver;
let tasks: ReturnType<typeof ecsTaskRunner>;
let validateTaskDef: string;
let feed: NotificationFeed;
let smArn: string;
let onTask: (task: RunningTask) => void = () => undefined;
const lake = 'lake-asl';
const lockTable = 'locks-asl';
let s3: S3Client;
let ddb: DynamoDBClient;
let sfn: SFNClient;

/** Fills each `"${name}"` placeholder (a whole JSON string) with a JSON value, as synth does. */
const resolve = (text: string, values: Record<string, unknown>): string =>
  text.replace(/"\$\{([a-z_]+)\}"/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for placeholder ${name}`);
    return JSON.stringify(values[name]);
  });

const start = async (batch: string, control: Record<string, unknown> = {}) => {
  await s3.send(new PutObjectCommand({ Bucket: lake, Key: `control/${batch}.json`, Body: JSON.stringify(control) }));
  const manifest = JSON.stringify({ batch_id: batch, files: [{ key: 'orders/a.csv', etag: 'e' }] });
  await sfn.send(
    new StartExecutionCommand({ stateMachineArn: smArn, name: batch, input: JSON.stringify({ batch_id: batch, manifest }) }),
  );
};

const outcomeOf = async (name: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = driver.outcomes().find((o) => o.name === name);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`execution ${name} did not finish`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
};

const lockItem = async () =>
  (await ddb.send(new GetItemCommand({ TableName: lockTable, Key: { LockId: { S: 'ecommerce-pipeline-lock' } }, ConsistentRead: true })))
    .Item!;

const exists = (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: lake, Key: key })).then(
    () => true,
    () => false,
  );

const notificationFor = async (batch: string) => {
  for (let i = 0; i < 50; i += 1) {
    const found = (await feed.drain()).find((n) => n.message.batch_id === batch);
    if (found) return found;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`no notification for ${batch}`);
};

test.before(async () => {
  moto = await useMoto();
  s3 = new S3Client({ forcePathStyle: true });
  ddb = new DynamoDBClient({});
  sfn = new SFNClient({});
  const ecs = new ECSClient({});
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  await s3.send(new CreateBucketCommand({ Bucket: lake }));
  await ddb.send(
    new CreateTableCommand({
      TableName: lockTable,
      KeySchema: [{ AttributeName: 'LockId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'LockId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await ddb.send(
    new PutItemCommand({
      TableName: lockTable,
      Item: { LockId: { S: 'ecommerce-pipeline-lock' }, currentlockcount: { N: '0' } },
    }),
  );
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'asl-topic' }))).TopicArn!;
  feed = await subscribeNotifications(sns, sqs, topicArn, 'asl-notifications');
  const cluster = (await ecs.send(new CreateClusterCommand({ clusterName: 'asl' }))).cluster!.clusterArn!;
  const taskDef = async (role: string) =>
    (
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `asl-${role}`,
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          containerDefinitions: [
            {
              name: role,
              image: 'worker:latest',
              essential: true,
              command: ['node', 'dist/worker.js', role],
              environment: [
                { name: 'LAKE_BUCKET', value: lake },
                { name: 'TASK_ROLE', value: role },
              ],
            },
          ],
        }),
      )
    ).taskDefinition!.taskDefinitionArn!;
  const definition = resolve(readFileSync('statemachine.asl.json', 'utf8'), {
    lock_table: lockTable,
    lake_bucket: lake,
    topic_arn: topicArn,
    cluster_arn: cluster,
    validate_task_definition_arn: (validateTaskDef = await taskDef('validate')),
    transform_task_definition_arn: await taskDef('transform'),
    subnet_ids: ['subnet-1'],
    security_group_ids: ['sg-1'],
    assign_public_ip: 'DISABLED',
    lock_lease_seconds: 200,
    lock_wait_seconds: 5,
    lock_max_wait_seconds: 3600,
    execution_timeout_seconds: 3600 + 5400,
  });
  smArn = (
    await sfn.send(
      new CreateStateMachineCommand({ name: 'asl-test', roleArn: 'arn:aws:iam::123456789012:role/sfn', definition }),
    )
  ).stateMachineArn!;
  driver = executionDriver({
    sfn,
    stateMachineArn: smArn,
    clients: {
      dynamodb: ddb,
      sns,
      s3,
      ecs: (tasks = ecsTaskRunner({
        ecs,
        distDir: join(process.cwd(), 'test/local/fixtures/workers'),
        baseEnv: { PATH: process.env.PATH ?? '', ...moto.env },
        onStart: (task) => onTask(task),
        output: () => undefined,
      })),
    },
    // 5 s lock waits pass in 100 ms: the 200 s lease is 4 s of real time, far more than a run here
    waitTimeOverrides: { WaitForLock: 100 },
    retryIntervalOverrides: {},
    pollMs: 100,
  });
  driver.start();
});

test.after(async () => {
  await driver.stop();
  await moto.stop();
});

test('an accepted batch runs validate then transform with the overrides, releases the lock, notifies success', async () => {
  await start('b-ok');
  const outcome = await outcomeOf('b-ok');
  assert.is(outcome.status, 'SUCCEEDED', `${outcome.error}: ${outcome.cause}`);
  for (const s of ['AcquireLock', 'Validate', 'ReadVerdict', 'Transform', 'ReleaseLock', 'NotifySuccess']) {
    assert.ok(outcome.path.includes(s), `${s} in ${outcome.path.join(' > ')}`);
  }
  const seen = JSON.parse(
    (await s3.send(new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: lake, Key: 'seen/b-ok/validate-started.json' })).then(
      (r) => r.Body!.transformToString(),
    )) as string,
  ) as { env: Record<string, string> };
  assert.is(seen.env.BATCH_ID, 'b-ok');
  assert.is(seen.env.EXIT_ZERO_ON_REJECT, 'true');
  assert.is(seen.env.TASK_ROLE, 'validate', 'the task definition environment reaches the child');
  assert.is(JSON.parse(seen.env.BATCH_MANIFEST!).batch_id, 'b-ok');
  assert.not.ok((await lockItem()).lockholder, 'lock released');
  assert.is((await notificationFor('b-ok')).status, 'SUCCEEDED');
});

test('a rejected batch skips transform, releases the lock and notifies REJECTED with the reasons', async () => {
  await start('b-rejected', { verdict: 'REJECTED' });
  const outcome = await outcomeOf('b-rejected');
  assert.is(outcome.status, 'FAILED');
  assert.is(outcome.error, 'BatchRejected');
  assert.not.ok(outcome.path.includes('Transform'));
  assert.not.ok(await exists('seen/b-rejected/transform-started.json'));
  assert.not.ok((await lockItem()).lockholder);
  const note = await notificationFor('b-rejected');
  assert.is(note.status, 'REJECTED');
  assert.equal(note.message.reasons, ['orders: reject rate 0.5 > 0.05']);
});

test('a worker exiting non-zero fails the execution through the failure path', async () => {
  await start('b-exit', { transform_exit: 3 });
  const outcome = await outcomeOf('b-exit');
  assert.is(outcome.status, 'FAILED');
  assert.is(outcome.error, 'BatchFailed');
  assert.ok(outcome.path.includes('ReleaseLockOnFailure'));
  assert.not.ok((await lockItem()).lockholder);
  const note = await notificationFor('b-exit');
  assert.is(note.status, 'FAILED');
  assert.match(JSON.stringify(note.message.error), /exited with 3/);
});

test('a worker killed by SIGKILL mid-run fails the execution, releases the lock and notifies', async () => {
  onTask = (task) => {
    if (task.container === 'transform') setTimeout(() => task.child.kill('SIGKILL'), 50);
  };
  await start('b-killed', { transform_sleep_ms: 10_000 });
  const outcome = await outcomeOf('b-killed');
  onTask = () => undefined;
  assert.is(outcome.status, 'FAILED');
  assert.not.ok(await exists('seen/b-killed/transform-finished.json'));
  assert.not.ok((await lockItem()).lockholder);
  assert.match(JSON.stringify((await notificationFor('b-killed')).message.error), /SIGKILL/);
});

test('a stale lock of a dead execution is reclaimed after the lease', async () => {
  await ddb.send(
    new PutItemCommand({
      TableName: lockTable,
      Item: {
        LockId: { S: 'ecommerce-pipeline-lock' },
        currentlockcount: { N: '1' },
        lockholder: { S: 'arn:aws:states:us-east-1:123456789012:execution:asl-test:dead' },
        lockacquiredat: { S: '2020-01-01T00:00:00.000Z' },
        'arn:aws:states:us-east-1:123456789012:execution:asl-test:dead': { S: '2020-01-01T00:00:00.000Z' },
      },
    }),
  );
  await start('b-after-stale');
  const outcome = await outcomeOf('b-after-stale');
  assert.is(outcome.status, 'SUCCEEDED', `${outcome.error}: ${outcome.cause}`);
  assert.ok(outcome.path.includes('ReclaimStaleLock'));
  const item = await lockItem();
  assert.not.ok(item.lockholder);
  assert.not.ok(item['arn:aws:states:us-east-1:123456789012:execution:asl-test:dead'], 'the stale holder is gone');
});

test('a live holder makes the second execution wait, then run after it', async () => {
  await start('b-first', { transform_sleep_ms: 300 });
  await new Promise((ok) => setTimeout(ok, 300));
  await start('b-second');
  const first = await outcomeOf('b-first');
  const second = await outcomeOf('b-second');
  assert.is(first.status, 'SUCCEEDED');
  assert.is(second.status, 'SUCCEEDED');
  assert.ok(second.path.includes('WaitForLock'), second.path.join(' > '));
  assert.not.ok(second.path.includes('ReclaimStaleLock'));
  const at = async (key: string) =>
    (JSON.parse(
      await s3
        .send(new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: lake, Key: key }))
        .then((r) => r.Body!.transformToString()),
    ) as { at: number }).at;
  assert.ok((await at('seen/b-first/transform-finished.json')) <= (await at('seen/b-second/validate-started.json')));
});

test('a task past its TimeoutSeconds is killed, not left running', async () => {
  await s3.send(new PutObjectCommand({ Bucket: lake, Key: 'control/b-slow.json', Body: JSON.stringify({ validate_sleep_ms: 20_000 }) }));
  let pid = 0;
  onTask = (task) => {
    pid = task.child.pid ?? 0;
  };
  const params = {
    TaskDefinition: validateTaskDef,
    Overrides: { ContainerOverrides: [{ Name: 'validate', Environment: [{ Name: 'BATCH_ID', Value: 'b-slow' }] }] },
  };
  const error = await tasks.run(params, 1500).then(() => undefined, (e: Error) => e);
  onTask = () => undefined;
  assert.ok(error, 'the task failed');
  assert.is(error!.name, 'States.TaskFailed');
  assert.match(error!.message, /SIGKILL/);
  const alive = (() => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  })();
  assert.not.ok(alive, 'the child is gone');
  assert.not.ok(await exists('seen/b-slow/validate-finished.json'));
});

test.run();
