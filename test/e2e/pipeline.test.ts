// End to end on moto, through the same path as `make demo`: the committed Terraform applied once
// for the whole suite, files uploaded to the landing bucket, moto's S3 -> EventBridge -> SQS, the
// Lambda bundle called by the poller, the state machine run by the local driver with the real
// worker bundles as child processes. The tests share one stack and run in order; each is bounded.
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningTask } from '../../workers/local/ecs-task.js';
import type { ExecutionOutcome } from '../../workers/local/execution-driver.js';
import { deployLocalStack, type LocalStack } from '../../workers/local/local-stack.js';
import { startRuntime, type LocalRuntime } from '../../workers/local/runtime.js';
import { stackEnv } from '../../workers/local/stack-outputs.js';
import { objectCreatedBody } from '../../workers/local/sqs-event.js';
import {
  comparable,
  emptyPrefix,
  emptyTable,
  generateShop,
  listKeys,
  lockHolder,
  referenceKpis,
  ROOT,
  runCli,
  tableKpis,
  taggedPlan,
  upload,
  uploadShop,
  type Kpis,
} from './support.js';

const SETTLE_SECONDS = 3;
let local: LocalStack;
let runtime: LocalRuntime;
/** Mutable: a test may make lock waits pass faster or slower for the executions it starts. */
const waits: Record<string, number> = { WaitForLock: 1000 };
let onTask: (task: RunningTask) => void = () => undefined;
/** Shops accepted so far, in the order they were processed: the reference replays them. */
const accepted: string[] = [];

const within = async <T>(ms: number, what: string, p: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const kpis = () => tableKpis(local.stack.orderKpiTable, local.stack.categoryKpiTable);

const assertKpisMatchReference = async (label: string) => {
  const [actual, expected] = comparable(await kpis(), await referenceKpis(accepted));
  assert.ok(actual.order.length > 0, `${label}: the tables hold KPIs`);
  assert.equal(actual.order, expected.order, `${label}: order KPIs = run-local's${rowsApart(actual.order, expected.order)}`);
  assert.equal(actual.category, expected.category, `${label}: category KPIs = run-local's${rowsApart(actual.category, expected.category)}`);
};

/** The first rows where two KPI tables part (by category and date), for the failure message: the whole tables are too long to read. */
const rowsApart = (actual: ReadonlyArray<Record<string, unknown>>, expected: ReadonlyArray<Record<string, unknown>>): string => {
  const key = (r: Record<string, unknown>) => `${String(r.category ?? '')}|${String(r.order_date)}`;
  const want = new Map(expected.map((r) => [key(r), JSON.stringify(r)]));
  const got = new Map(actual.map((r) => [key(r), JSON.stringify(r)]));
  const apart = [...new Set([...want.keys(), ...got.keys()])].filter((k) => want.get(k) !== got.get(k)).sort();
  return apart.length === 0
    ? ''
    : ` (${actual.length} vs ${expected.length} rows; ${apart.length} apart, first: ${apart.slice(0, 4).map((k) => `${k} got ${got.get(k) ?? 'none'} want ${want.get(k) ?? 'none'}`).join('; ')})`;
};

/** Waits until `n` more executions than `before` have finished and the pipeline is at rest. */
const finished = async (before: number, n: number, ms = 120_000): Promise<ExecutionOutcome[]> => {
  await within(ms, `${n} execution(s)`, runtime.driver.waitForOutcomes(before + n, ms));
  await runtime.settle(ms, 2000);
  return runtime.driver.outcomes().slice(before);
};

const notificationOf = async (batch: string, status: string) => {
  for (let i = 0; i < 50; i += 1) {
    const found = (await runtime.notifications.drain()).find((n) => n.message.batch_id === batch && n.status === status);
    if (found) return found;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`no ${status} notification for ${batch}`);
};

let tags = 0;
/** A fresh tag per upload; the first shop is 'a' (its re-upload in the duplicate test reuses it). */
const TAG = () => String.fromCharCode(97 + tags++);

const batchOf = (o: ExecutionOutcome) => (o.input as { batch_id: string }).batch_id;

const executionCount = async () =>
  (await new SFNClient({}).send(new ListExecutionsCommand({ stateMachineArn: local.stack.stateMachineArn }))).executions?.length ?? 0;

const cliEnv = () => ({ ...process.env, ...local.moto.env, ...stackEnv(local.stack) });

test.before(async () => {
  // the aggregator logs every evaluation at info: keep the test output to warnings
  process.env.LOG_LEVEL ??= 'warn';
  // a short settle window keeps the suite quick; the settle test uploads inside it
  local = await within(240_000, 'terraform apply', deployLocalStack({ root: ROOT, vars: { settle_seconds: SETTLE_SECONDS } }));
  runtime = await startRuntime({
    stack: local.stack,
    awsEnv: local.moto.env,
    root: ROOT,
    waitTimeOverrides: waits,
    onTaskStart: (task) => onTask(task),
    taskOutput: () => undefined,
  });
});

test.after(async () => {
  await runtime?.stop();
  await local?.stop();
});

test('happy path: KPIs = run-local, inputs archived, success notified', async () => {
  const shop = await generateShop(['--items', '1500', '--format', 'mixed', '--parts', '2', '--seed', 'e2e-a', '--days', '20']);
  const before = runtime.driver.outcomes().length;
  const keys = await uploadShop(local.stack.landingBucket, shop, TAG(), '_manifest.json');
  const [outcome, ...more] = await finished(before, 1);
  assert.is(more.length, 0);
  assert.is(outcome!.status, 'SUCCEEDED', `${outcome!.error}: ${outcome!.cause}`);
  accepted.push(shop);
  await assertKpisMatchReference('first batch');
  const batch = batchOf(outcome!);
  assert.equal(await listKeys(local.stack.landingBucket), [], 'landing is empty');
  assert.equal(await listKeys(local.stack.lakeBucket, `archive/${batch}/`), keys.map((k) => `archive/${batch}/${k}`).sort());
  const note = await notificationOf(batch, 'SUCCEEDED');
  assert.is(note.message.execution, outcome!.executionArn);
});

test('duplicate events and re-uploads of the same files start nothing, KPIs unchanged', async () => {
  const before = runtime.driver.outcomes().length;
  const executions = await executionCount();
  const snapshot = await kpis();
  const [first] = runtime.driver.outcomes();
  const archived = await listKeys(local.stack.lakeBucket, `archive/${batchOf(first!)}/`);
  // the same upload again, manifest first as the shop does it: same keys, same ETags, the same
  // batch id, so the manifest is consumed without a start and the listing rule finds the same set
  const shop = accepted[0]!;
  await uploadShop(local.stack.landingBucket, shop, 'a', '_manifest.json');
  // and replayed events on the queue, twice each
  const sqs = new SQSClient({});
  for (const key of archived.map((k) => k.split('/').slice(2).join('/'))) {
    for (let i = 0; i < 2; i += 1) {
      await sqs.send(
        // the events queue is FIFO with one message group (content-based deduplication would drop a
        // replay with the same body: each replay gets its own deduplication id)
        new SendMessageCommand({
          QueueUrl: local.stack.eventQueueUrl,
          MessageBody: objectCreatedBody(local.stack.landingBucket, key),
          MessageGroupId: 'landing',
          MessageDeduplicationId: `replay-${i}-${key.replace(/[^A-Za-z0-9]/g, '-')}`.slice(0, 128),
        }),
      );
    }
  }
  await within(60_000, 'settle', runtime.settle(60_000, 2500));
  assert.is(runtime.driver.outcomes().length, before, 'no execution ran');
  assert.is(await executionCount(), executions, 'no execution was started');
  assert.equal(await kpis(), snapshot);
  // the operator's clean-up: identical files that were already processed
  await emptyPrefix(local.stack.landingBucket);
});

test.before.each(async () => {
  // a failed test must not leave its files to the next one
  if (local) await emptyPrefix(local.stack.landingBucket);
});

test('a batch over the reject threshold publishes nothing, is quarantined, REJECTED is notified with the reason', async () => {
  const snapshot = await kpis();
  const shop = await generateShop(['--items', '400', '--defect-rate', '0.3', '--seed', 'e2e-bad', '--days', '20']);
  const before = runtime.driver.outcomes().length;
  const keys = await uploadShop(local.stack.landingBucket, shop, TAG(), '_manifest.json');
  const [outcome] = await finished(before, 1);
  assert.is(outcome!.status, 'FAILED');
  assert.is(outcome!.error, 'BatchRejected');
  const batch = batchOf(outcome!);
  const note = await notificationOf(batch, 'REJECTED');
  assert.ok(Array.isArray(note.message.reasons) && (note.message.reasons as unknown[]).length > 0, JSON.stringify(note.message));
  assert.match(JSON.stringify(note.message.reasons), /order|product|item|reject|rate/i, JSON.stringify(note.message.reasons));
  const quarantined = await listKeys(local.stack.lakeBucket, `quarantine/${batch}/`);
  for (const k of keys) assert.ok(quarantined.includes(`quarantine/${batch}/files/${k}`), `${k} quarantined`);
  assert.equal(await listKeys(local.stack.lakeBucket, `cleaned/_batches/${batch}`), [], 'not published');
  assert.equal(await kpis(), snapshot, 'KPIs unchanged');
  assert.is(await lockHolder(local.stack.lockTable), undefined);
  assert.equal(await listKeys(local.stack.landingBucket), [], 'rejected inputs moved out of landing');
});

test('a worker killed mid-run: execution fails, lock released, failure notified, no partial KPIs; a re-run succeeds', async () => {
  const snapshot = await kpis();
  const shop = await generateShop(['--items', '1500', '--seed', 'e2e-kill', '--days', '20', '--start-date', '2024-01-10']);
  const before = runtime.driver.outcomes().length;
  let killed = '';
  onTask = (task) => {
    if (task.container !== 'transform' || killed !== '') return;
    killed = task.taskArn;
    setTimeout(() => task.child.kill('SIGKILL'), 150);
  };
  await uploadShop(local.stack.landingBucket, shop, TAG(), '_manifest.json');
  const [outcome] = await finished(before, 1);
  onTask = () => undefined;
  assert.ok(killed !== '', 'the transform ran and was killed');
  assert.is(outcome!.status, 'FAILED');
  assert.is(outcome!.error, 'BatchFailed');
  assert.ok(outcome!.path.includes('ReleaseLockOnFailure'));
  assert.is(await lockHolder(local.stack.lockTable), undefined, 'lock released');
  const batch = batchOf(outcome!);
  assert.match(JSON.stringify((await notificationOf(batch, 'FAILED')).message.error), /SIGKILL/);
  assert.equal(await kpis(), snapshot, 'no partial KPIs');

  const rerun = await within(120_000, 'reprocess', runCli('reprocess', ['--batch', batch, '--force', '--timeout', '110'], cliEnv()));
  assert.is(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stdout, /SUCCEEDED/, `${rerun.stdout}\n${rerun.stderr}`);
  accepted.push(shop);
  await runtime.settle(30_000);
  await assertKpisMatchReference('after the re-run');
});

test('a stale lock of a dead execution is reclaimed after the lease', async () => {
  const dead = `${local.stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:dead-run`;
  await new DynamoDBClient({}).send(
    new PutItemCommand({
      TableName: local.stack.lockTable,
      Item: {
        LockId: { S: 'ecommerce-pipeline-lock' },
        currentlockcount: { N: '1' },
        lockholder: { S: dead },
        lockacquiredat: { S: '2024-01-01T00:00:00.000Z' },
        [dead]: { S: '2024-01-01T00:00:00.000Z' },
      },
    }),
  );
  // the lease (7200 s in 30 s waits) passes in a few seconds: nobody else is running
  waits.WaitForLock = 5;
  const shop = await generateShop(['--items', '600', '--seed', 'e2e-stale', '--days', '10', '--start-date', '2024-02-01']);
  const before = runtime.driver.outcomes().length;
  await uploadShop(local.stack.landingBucket, shop, TAG(), '_manifest.json');
  const [outcome] = await finished(before, 1);
  waits.WaitForLock = 1000;
  assert.is(outcome!.status, 'SUCCEEDED', `${outcome!.error}: ${outcome!.cause}`);
  assert.ok(outcome!.path.includes('ReclaimStaleLock'));
  assert.is(await lockHolder(local.stack.lockTable), undefined);
  accepted.push(shop);
  await assertKpisMatchReference('after the reclaim');
});

test('two batches arriving together are serialized by the lock (the live holder makes the other wait); KPIs = both', async () => {
  const e = await generateShop(['--items', '900', '--format', 'json', '--seed', 'e2e-e', '--days', '15', '--start-date', '2024-01-05']);
  const f = await generateShop(['--items', '900', '--format', 'ndjson', '--gz', '--seed', 'e2e-f', '--days', '15', '--start-date', '2024-01-12']);
  const before = runtime.driver.outcomes().length;
  // two explicit manifests: two batches, whatever the timing of the events
  const plans = [await taggedPlan(e, 'e2'), await taggedPlan(f, 'f2')];
  const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ forcePathStyle: true });
  for (const [i, plan] of plans.entries()) {
    await s3.send(
      new PutObjectCommand({ Bucket: local.stack.landingBucket, Key: `batch-${i}/_manifest.json`, Body: JSON.stringify({ keys: plan.map((p) => p.key) }) }),
    );
  }
  for (const plan of plans) for (const item of plan) await upload(s3, local.stack.landingBucket, item);
  const outcomes = await finished(before, 2, 180_000);
  assert.ok(outcomes.every((o) => o.status === 'SUCCEEDED'), outcomes.map((o) => `${o.status} ${o.error ?? ''}`).join(', '));
  const [first, second] = [...outcomes].sort((a, b) => (a.stoppedAt < b.stoppedAt ? -1 : 1));
  assert.ok(second!.path.includes('WaitForLock'), `the later one waited: ${second!.path.join(' > ')}`);
  assert.not.ok(second!.path.includes('ReclaimStaleLock'), 'a live holder is never reclaimed');
  // the order the lake saw them in is the order their executions finished
  const shopOf = (o: ExecutionOutcome) =>
    ((o.input as { manifest: string }).manifest.includes('/e2-') ? e : f);
  accepted.push(shopOf(first!), shopOf(second!));
  await assertKpisMatchReference('after two batches');
});

test('parts uploaded one by one inside the settle window (no manifest) make exactly one batch holding all of them', async () => {
  const shop = await generateShop(['--items', '200', '--parts', '2', '--seed', 'e2e-settle', '--days', '5', '--start-date', '2024-03-01']);
  const plan = await taggedPlan(shop, TAG());
  const kindOrder = ['products', 'orders', 'order_items'];
  // one part of each kind first (a complete set at once), then the second parts, each upload
  // well inside the window of the one before
  const ordered = [...plan].sort((a, b) => {
    const part = (k: string) => (k.includes('part-00000') ? 0 : 1);
    return part(a.key) - part(b.key) || kindOrder.indexOf(a.key.split('/')[0]!) - kindOrder.indexOf(b.key.split('/')[0]!);
  });
  assert.is(ordered.length, 6);
  const before = runtime.driver.outcomes().length;
  const { S3Client } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ forcePathStyle: true });
  for (const item of ordered) {
    await upload(s3, local.stack.landingBucket, item);
    await new Promise((ok) => setTimeout(ok, (SETTLE_SECONDS * 1000) / 3));
  }
  const [outcome] = await finished(before, 1);
  await within(60_000, 'settle', runtime.settle(60_000, (SETTLE_SECONDS + 2) * 1000));
  assert.is(runtime.driver.outcomes().length, before + 1, 'exactly one batch');
  assert.is(outcome!.status, 'SUCCEEDED', `${outcome!.error}: ${outcome!.cause}`);
  const files = (JSON.parse((outcome!.input as { manifest: string }).manifest) as { files: { key: string }[] }).files.map((f) => f.key);
  assert.equal(files, plan.map((p) => p.key).sort());
  accepted.push(shop);
  await assertKpisMatchReference('after the settled batch');
});

test('a batch of 200 part files runs end to end (manifest in the lake, overrides within ECS limits)', async () => {
  // 50 products (the generator's minimum) in 50 parts, 75 parts each of orders and items
  const shop = await generateShop(['--items', '300', '--parts', '75', '--seed', 'e2e-200', '--days', '5', '--start-date', '2024-04-01']);
  const before = runtime.driver.outcomes().length;
  const keys = await uploadShop(local.stack.landingBucket, shop, TAG(), '_manifest.json');
  assert.is(keys.length, 200);
  const [outcome] = await finished(before, 1, 180_000);
  assert.is(outcome!.status, 'SUCCEEDED', `${outcome!.error}: ${outcome!.cause}`);
  const input = outcome!.input as { batch_id: string; manifest: string };
  assert.is(input.manifest, `s3://${local.stack.lakeBucket}/manifests/${input.batch_id}.json`);
  assert.equal(await listKeys(local.stack.lakeBucket, `archive/${input.batch_id}/`), keys.map((k) => `archive/${input.batch_id}/${k}`).sort());
  accepted.push(shop);
  await assertKpisMatchReference('after the 200-part batch');
});

test('a later batch re-delivering updated orders: KPIs as §5 (latest version wins)', async () => {
  const shop = await generateShop(['--items', '1500', '--redeliver-from', accepted[0]!, '--redeliver-rate', '0.3', '--seed', 'e2e-redeliver']);
  const snapshot = await kpis();
  const before = runtime.driver.outcomes().length;
  await uploadShop(local.stack.landingBucket, shop, TAG(), '_manifest.json');
  const [outcome] = await finished(before, 1);
  assert.is(outcome!.status, 'SUCCEEDED', `${outcome!.error}: ${outcome!.cause}`);
  accepted.push(shop);
  assert.not.equal(await kpis(), snapshot, 're-delivered orders changed the KPIs');
  await assertKpisMatchReference('after the re-delivery');
});

let reference: Kpis;

test('reprocessing an archived batch with --force leaves the KPIs unchanged', async () => {
  reference = await kpis();
  const [first] = runtime.driver.outcomes();
  const batch = batchOf(first!);
  const skipped = await runCli('reprocess', ['--batch', batch], cliEnv());
  assert.is(skipped.code, 0);
  assert.match(skipped.stdout, /SKIPPED/, 'without --force an existing execution is not repeated');
  const res = await within(120_000, 'reprocess', runCli('reprocess', ['--batch', batch, '--force', '--timeout', '110'], cliEnv()));
  assert.is(res.code, 0, res.stderr);
  assert.match(res.stdout, /SUCCEEDED/, `${res.stdout}\n${res.stderr}`);
  await runtime.settle(30_000);
  assert.equal(await kpis(), reference, 'the earlier batch did not overwrite the re-delivered versions');
  assert.equal(await listKeys(local.stack.landingBucket), [], 'landing empty again');
});

test('after the KPI tables are emptied, reprocessing every archived batch restores them exactly', async () => {
  await emptyTable(local.stack.orderKpiTable, ['order_date']);
  await emptyTable(local.stack.categoryKpiTable, ['category', 'order_date']);
  assert.equal((await kpis()).order, []);
  const res = await within(300_000, 'reprocess --all', runCli('reprocess', ['--all', '--force', '--timeout', '110'], cliEnv()));
  assert.is(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assert.is(res.stdout.trim().split('\n').length, accepted.length, res.stdout);
  await runtime.settle(30_000);
  assert.equal(await kpis(), reference);
});

test.run();
