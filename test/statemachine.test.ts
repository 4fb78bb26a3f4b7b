// statemachine.asl.json: valid ASL, and the properties DESIGN §7 demands of it, checked on the graph.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import aslValidator from 'asl-validator';
import { asl, aslText, isTerminal, reachable, successors } from './support/asl.js';
import { placeholderNames, resolvePlaceholders, type Json } from '../infra/asl-template.js';

const definition = asl();
const states = Object.entries(definition.States);
const tasks = states.filter(([, s]) => s.Type === 'Task');
const releaseStates = new Set(states.filter(([n]) => n.startsWith('ReleaseLock')).map(([n]) => n));

/** The definition as it runs (numbers where the template holds placeholders of numbers). */
const resolved = resolvePlaceholders(definition as unknown as Json, {
  lock_table: 'locks', lake_bucket: 'lake', topic_arn: 'arn:aws:sns:us-east-1:123456789012:t',
  cluster_arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
  validate_task_definition_arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/v',
  transform_task_definition_arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/t',
  subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'], assign_public_ip: 'DISABLED',
  lock_lease_seconds: 7200, lock_wait_seconds: 30, lock_max_wait_seconds: 28800, execution_timeout_seconds: 34200,
});

test('asl-validator accepts the definition', () => {
  const { isValid, errorsText } = aslValidator(resolved as never, { checkArn: true, checkPaths: true });
  assert.ok(isValid, errorsText('\n'));
});

test('state names are unique: the file is canonical JSON, so a duplicate key would not survive a round trip', () => {
  assert.is(aslText(), JSON.stringify(JSON.parse(aslText()), null, 2) + '\n');
});

test('every transition names an existing state and every state is reachable from StartAt', () => {
  for (const [name, state] of states)
    for (const next of successors(state)) assert.ok(definition.States[next], `${name} → ${next} does not exist`);
  const seen = reachable(definition, definition.StartAt);
  assert.equal(states.map(([n]) => n).filter((n) => !seen.has(n)), []);
});

test('every Task retries transient errors and catches everything', () => {
  assert.ok(tasks.length >= 10);
  for (const [name, task] of tasks) {
    assert.ok((task.Retry ?? []).some((r) => (r.MaxAttempts ?? 3) > 0), `${name} has no Retry`);
    assert.ok((task.Catch ?? []).some((c) => c.ErrorEquals.includes('States.ALL')), `${name} has no catch-all`);
  }
});

test('every catch-all leads to a lock release (or, past the release, to the failure notice)', () => {
  for (const [name, task] of tasks) {
    const target = task.Catch!.find((c) => c.ErrorEquals.includes('States.ALL'))!.Next;
    const allowed = name === 'ReleaseLockOnFailure' ? 'NotifyFailure' : name === 'NotifyFailure' ? 'BatchFailed' : 'ReleaseLockOnFailure';
    assert.is(target, allowed, `${name} catches into ${target}`);
  }
});

test('ECS tasks run .sync with a timeout the local interpreter can hold', () => {
  const ecs = tasks.filter(([, t]) => t.Resource?.startsWith('arn:aws:states:::ecs:'));
  assert.equal(ecs.map(([n]) => n).sort(), ['Transform', 'Validate']);
  for (const [name, task] of ecs) {
    assert.is(task.Resource, 'arn:aws:states:::ecs:runTask.sync', name);
    assert.ok(task.TimeoutSeconds !== undefined && task.TimeoutSeconds > 0 && task.TimeoutSeconds <= 2_147_483, `${name} timeout`);
  }
});

test('the lock is released on every path: once AcquireLock runs, no end is reachable without a ReleaseLock state', () => {
  assert.ok(releaseStates.size >= 2);
  const reached = reachable(definition, 'AcquireLock', releaseStates);
  const ends = [...reached].filter((n) => isTerminal(definition.States[n]!));
  assert.equal(ends, [], `ends reachable without a release: ${ends.join(', ')}`);
});

test('every release path ends in a notification', () => {
  for (const release of releaseStates) {
    const next = definition.States[release]!.Next!;
    assert.match(next, /^Notify/, `${release} → ${next}`);
  }
});

test('the lock wait loop is bounded: its only way out besides the lock is LockWaitTimedOut', () => {
  const wait = definition.States['IsLockWaitExhausted']!;
  assert.ok(wait.Choices!.some((c) => c.Next === 'LockWaitTimedOut'));
  assert.is(definition.States['LockWaitTimedOut']!.Next, 'ReleaseLockOnFailure');
});

test('Validate runs in the mode where a rejection exits 0, with the batch of the execution', () => {
  const overrides = JSON.stringify(definition.States['Validate']!.Parameters);
  assert.match(overrides, /"Name":"EXIT_ZERO_ON_REJECT","Value":"true"/);
  assert.match(overrides, /"Name":"BATCH_ID","Value\.\$":"\$\.batch_id"/);
  assert.match(overrides, /"Name":"BATCH_MANIFEST","Value\.\$":"\$\.manifest"/);
});

test('no construct the local interpreter lacks: JSONata, task tokens, ResultPath "$"', () => {
  const text = aslText();
  assert.not.match(text, /JSONata|QueryLanguage|waitForTaskToken|\$\$\.Task\.Token/);
  assert.not.match(text, /"ResultPath": "\$"/);
});

test('placeholders are exactly the ones the stack fills', () => {
  assert.equal(placeholderNames(definition as never), [
    'assign_public_ip', 'cluster_arn', 'execution_timeout_seconds', 'lake_bucket', 'lock_lease_seconds', 'lock_max_wait_seconds', 'lock_table',
    'lock_wait_seconds', 'security_group_ids', 'subnet_ids', 'topic_arn', 'transform_task_definition_arn',
    'validate_task_definition_arn',
  ]);
});

test('ECS tasks retry AmazonECS.Unknown (capacity and ENI shortages) beside the ECS API errors', () => {
  for (const name of ['Validate', 'Transform']) {
    const errors = (definition.States[name]!.Retry ?? []).flatMap((r) => r.ErrorEquals);
    for (const e of ['AmazonECS.Unknown', 'ECS.AmazonECSException', 'ECS.ThrottlingException']) assert.ok(errors.includes(e), `${name} retries ${e}`);
  }
});

test('the execution has a TimeoutSeconds of its own (without one the timed-out alarm could never fire)', () => {
  assert.is((definition as unknown as { TimeoutSeconds: unknown }).TimeoutSeconds, '${execution_timeout_seconds}');
});

test.run();
