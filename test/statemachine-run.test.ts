// Runs statemachine.asl.json in the local ASL interpreter with its DynamoDB lock states bound to a
// real DynamoDB (moto) and the other Tasks to small fakes: the lease lock's expressions, the
// verdict path and every failure path, end to end through the very file Terraform deploys.
import './support/promise-with-resolvers.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StateMachine } from 'aws-local-stepfunctions';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { useMoto } from './support/moto.js';
import type { MotoServer } from '../workers/local/moto-server.js';
import { asl } from './support/asl.js';
import { resolvePlaceholders, type Json } from '../infra/asl-template.js';
import { LOCK_ID } from '../infra/tables.js';

const LOCK_TABLE = 'locks';
const LEASE = 3900;
const WAIT = 30;

let moto: MotoServer;
let dynamo: DynamoDBClient;

const definition = resolvePlaceholders(asl() as unknown as Json, {
  lock_table: LOCK_TABLE,
  lake_bucket: 'lake',
  topic_arn: 'arn:aws:sns:us-east-1:123456789012:topic',
  cluster_arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/workers',
  validate_task_definition_arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/validate:1',
  transform_task_definition_arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/transform:1',
  subnet_ids: ['subnet-0123456789abcdef0'],
  security_group_ids: ['sg-0123456789abcdef0'],
  assign_public_ip: 'DISABLED',
  lock_lease_seconds: LEASE,
  lock_wait_seconds: WAIT,
  lock_max_wait_seconds: 2 * LEASE,
  execution_timeout_seconds: 2 * LEASE + 5400,
});
const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** What the DynamoDB service integration does: the Parameters are the API request. */
const dynamoTask = (command: 'updateItem' | 'getItem') => async (params: Record<string, unknown>) => {
  try {
    const input = params as never;
    return command === 'updateItem' ? await dynamo.send(new UpdateItemCommand(input)) : await dynamo.send(new GetItemCommand(input));
  } catch (error) {
    throw named(`DynamoDB.${(error as Error).name}`, (error as Error).message);
  }
};

const lockItem = async (): Promise<Record<string, AttributeValue>> =>
  (await dynamo.send(new GetItemCommand({ TableName: LOCK_TABLE, Key: { LockId: { S: LOCK_ID } }, ConsistentRead: true }))).Item ?? {};

const resetLock = async (extra: Record<string, AttributeValue> = {}): Promise<void> => {
  await dynamo.send(new PutItemCommand({ TableName: LOCK_TABLE, Item: { LockId: { S: LOCK_ID }, currentlockcount: { N: '0' }, ...extra } }));
};

interface Scenario {
  readonly executionId?: string;
  readonly verdict?: unknown;
  readonly validateExitCode?: number | null;
  readonly transform?: () => unknown;
  /** Called on each ReadLockHolder, after the read: lets a test release or change the lock. */
  readonly onLockRead?: (count: number) => Promise<void>;
  readonly input?: Record<string, string>;
}

interface Outcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  readonly trace: string[];
  readonly notices: Array<Record<string, unknown>>;
}

const run = async (scenario: Scenario = {}): Promise<Outcome> => {
  const trace: string[] = [];
  const notices: Array<Record<string, unknown>> = [];
  let reads = 0;
  const bind = (name: string, fn: (p: Record<string, unknown>) => unknown) => async (p: Record<string, unknown>) => {
    trace.push(name);
    return fn(p);
  };
  const notify = (p: Record<string, unknown>) => {
    notices.push(p['Message'] as Record<string, unknown>);
    return { MessageId: String(notices.length) };
  };
  const ecs = (name: string, exit: number | null | undefined) => () =>
    ({ TaskArn: `arn:aws:ecs:us-east-1:123456789012:task/workers/${name}`, Containers: [{ Name: name, ...(exit === null ? {} : { ExitCode: exit ?? 0 }) }] });
  const handlers = {
    AcquireLock: bind('AcquireLock', dynamoTask('updateItem')),
    ReadLockHolder: bind('ReadLockHolder', async (p) => {
      const result = await dynamoTask('getItem')(p);
      await scenario.onLockRead?.(++reads);
      return result;
    }),
    ReclaimStaleLock: bind('ReclaimStaleLock', dynamoTask('updateItem')),
    Validate: bind('Validate', ecs('validate', scenario.validateExitCode)),
    ReadVerdict: bind('ReadVerdict', () => ({ Body: JSON.stringify(scenario.verdict ?? { verdict: 'ACCEPTED', reasons: [] }) })),
    Transform: bind('Transform', scenario.transform ?? ecs('transform', 0)),
    ReleaseLock: bind('ReleaseLock', dynamoTask('updateItem')),
    ReleaseLockAfterRejection: bind('ReleaseLockAfterRejection', dynamoTask('updateItem')),
    ReleaseLockOnFailure: bind('ReleaseLockOnFailure', dynamoTask('updateItem')),
    NotifySuccess: bind('NotifySuccess', notify),
    NotifyRejected: bind('NotifyRejected', notify),
    NotifyFailure: bind('NotifyFailure', notify),
  };
  const id = scenario.executionId ?? 'arn:aws:states:us-east-1:123456789012:execution:pipeline:batch-1';
  const execution = machine.run(scenario.input ?? { batch_id: 'batch-1', manifest: '{"batch_id":"batch-1","files":[]}' }, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: { WaitForLock: 0 },
      retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((k) => [k, 0])),
    },
    context: {
      Execution: { Id: id, Name: id.split(':').pop() },
      get State() {
        return { EnteredTime: new Date().toISOString() };
      },
    } as never,
  });
  try {
    await execution.result;
    return { status: 'SUCCEEDED', trace, notices };
  } catch (error) {
    const cause = (error as { cause?: { name?: string } }).cause;
    return { status: 'FAILED', error: cause?.name ?? (error as Error).name, trace, notices };
  }
};

const assertLockFree = async () => {
  const item = await lockItem();
  assert.is(item['currentlockcount']?.N, '0');
  assert.equal(Object.keys(item).sort(), ['LockId', 'currentlockcount']);
};

test.before(async () => {
  moto = await useMoto();
  dynamo = new DynamoDBClient({});
  await dynamo.send(new CreateTableCommand({
    TableName: LOCK_TABLE,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'LockId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'LockId', KeyType: 'HASH' }],
  }));
});
test.after(async () => moto.stop());
test.before.each(async () => {
  await resetLock();
});

test('accepted batch: lock, validate, verdict, transform, release, SUCCEEDED notice', async () => {
  const outcome = await run();
  assert.is(outcome.status, 'SUCCEEDED');
  assert.equal(outcome.trace, ['AcquireLock', 'Validate', 'ReadVerdict', 'Transform', 'ReleaseLock', 'NotifySuccess']);
  assert.is(outcome.notices[0]!['status'], 'SUCCEEDED');
  assert.is(outcome.notices[0]!['batch_id'], 'batch-1');
  assert.is(outcome.notices[0]!['transform_report'], 'reports/batch-1/transform.json');
  await assertLockFree();
});

test('while running, the lock item records the holder as <execution id> = <acquired-at>', async () => {
  let seen: Record<string, AttributeValue> = {};
  await run({ transform: async () => ((seen = await lockItem()), { TaskArn: 't', Containers: [{ ExitCode: 0 }] }) });
  const id = 'arn:aws:states:us-east-1:123456789012:execution:pipeline:batch-1';
  assert.is(seen['currentlockcount']?.N, '1');
  assert.is(seen['lockholder']?.S, id);
  assert.match(seen[id]?.S ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.is(seen['lockacquiredat']?.S, seen[id]?.S);
});

test('rejected batch: no transform, lock released, REJECTED notice with the reasons, execution fails', async () => {
  const outcome = await run({ verdict: { verdict: 'REJECTED', reasons: ['orders: 9.1% rejected > 5%'] } });
  assert.is(outcome.status, 'FAILED');
  assert.is(outcome.error, 'BatchRejected');
  assert.not.ok(outcome.trace.includes('Transform'));
  assert.is(outcome.notices[0]!['status'], 'REJECTED');
  assert.equal(outcome.notices[0]!['reasons'], ['orders: 9.1% rejected > 5%']);
  await assertLockFree();
});

test('validate exiting non-zero is a failure, never a verdict', async () => {
  const outcome = await run({ validateExitCode: 3 });
  assert.is(outcome.error, 'BatchFailed');
  assert.not.ok(outcome.trace.includes('ReadVerdict'));
  assert.is((outcome.notices[0]!['error'] as { Error: string }).Error, 'ValidateTaskFailed');
  await assertLockFree();
});

test('a task that never started (no exit code) is a failure too', async () => {
  const outcome = await run({ validateExitCode: null });
  assert.is((outcome.notices[0]!['error'] as { Error: string }).Error, 'ValidateTaskFailed');
  await assertLockFree();
});

test('a report without a verdict fails the batch and releases the lock', async () => {
  const outcome = await run({ verdict: { counts: {} } });
  assert.is((outcome.notices[0]!['error'] as { Error: string }).Error, 'UnreadableVerdict');
  await assertLockFree();
});

test('a crashed transform (task error) releases the lock and sends FAILED', async () => {
  const outcome = await run({ transform: () => { throw named('States.TaskFailed', 'killed by SIGKILL'); } });
  assert.is(outcome.error, 'BatchFailed');
  assert.is(outcome.notices[0]!['status'], 'FAILED');
  assert.is((outcome.notices[0]!['error'] as { Cause: string }).Cause, 'killed by SIGKILL');
  await assertLockFree();
});

test('a stale holder seen unchanged for the lease is reclaimed, then the batch runs', async () => {
  const dead = 'arn:aws:states:us-east-1:123456789012:execution:pipeline:dead';
  await resetLock({ currentlockcount: { N: '1' }, lockholder: { S: dead }, lockacquiredat: { S: '2026-01-01T00:00:00.000Z' }, [dead]: { S: '2026-01-01T00:00:00.000Z' } });
  const outcome = await run();
  assert.is(outcome.status, 'SUCCEEDED');
  assert.ok(outcome.trace.includes('ReclaimStaleLock'));
  // The first read starts watching; the lease is then counted in WAIT-second steps.
  assert.is(outcome.trace.filter((t) => t === 'ReadLockHolder').length, 1 + LEASE / WAIT);
  await assertLockFree();
});

test('a live holder makes the execution wait, then it runs once the lock is released', async () => {
  const other = 'arn:aws:states:us-east-1:123456789012:execution:pipeline:other';
  await resetLock({ currentlockcount: { N: '1' }, lockholder: { S: other }, lockacquiredat: { S: '2026-01-01T00:00:00.000Z' }, [other]: { S: '2026-01-01T00:00:00.000Z' } });
  const outcome = await run({ onLockRead: async (n) => { if (n === 3) await resetLock(); } });
  assert.is(outcome.status, 'SUCCEEDED');
  assert.not.ok(outcome.trace.includes('ReclaimStaleLock'));
  assert.is(outcome.trace.filter((t) => t === 'ReadLockHolder').length, 3);
  await assertLockFree();
});

test('a holder that keeps changing is never reclaimed; the wait is bounded and ends in LockWaitTimedOut', async () => {
  const holder = (n: number) => `arn:aws:states:us-east-1:123456789012:execution:pipeline:other-${n}`;
  const hold = (n: number) => resetLock({ currentlockcount: { N: '1' }, lockholder: { S: holder(n) }, lockacquiredat: { S: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z` } });
  await hold(0);
  const outcome = await run({ onLockRead: (n) => hold(n) });
  assert.is(outcome.error, 'BatchFailed');
  assert.not.ok(outcome.trace.includes('ReclaimStaleLock'));
  assert.is((outcome.notices[0]!['error'] as { Error: string }).Error, 'LockWaitTimedOut');
  // The other execution's lock is untouched by the failed waiter.
  assert.match((await lockItem())['lockholder']?.S ?? '', /other-/);
});

test('acquiring is idempotent: a retry after a lost response finds itself as the holder', async () => {
  const me = 'arn:aws:states:us-east-1:123456789012:execution:pipeline:batch-1';
  await resetLock({ currentlockcount: { N: '1' }, lockholder: { S: me }, lockacquiredat: { S: '2026-01-01T00:00:00.000Z' }, [me]: { S: '2026-01-01T00:00:00.000Z' } });
  let during: Record<string, AttributeValue> = {};
  const outcome = await run({ transform: async () => ((during = await lockItem()), { TaskArn: 't', Containers: [{ ExitCode: 0 }] }) });
  assert.is(outcome.status, 'SUCCEEDED');
  assert.not.ok(outcome.trace.includes('ReadLockHolder'));
  assert.is(during['lockacquiredat']?.S, '2026-01-01T00:00:00.000Z', 'the original acquired-at is kept');
  await assertLockFree();
});

test('input without batch_id or manifest fails before touching the lock', async () => {
  const outcome = await run({ input: { batch_id: 'x' } });
  assert.is(outcome.error, 'InvalidInput');
  assert.equal(outcome.trace, []);
});

test.run();
