import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resource } from '../support/synth.js';

const fn = resource('aws_lambda_function', 'aggregator');

test('nodejs22.x, handler aggregator.handler, code from the zip path variable with its hash', () => {
  assert.is(fn['runtime'], 'nodejs22.x');
  assert.is(fn['handler'], 'aggregator.handler');
  assert.is(fn['filename'], '${var.lambda_zip_path}');
  assert.is(fn['source_code_hash'], '${filebase64sha256(var.lambda_zip_path)}');
});

test('no reserved concurrency (fails apply on accounts with a quota of 10, and SQS mappings ignore it): one invocation at a time comes from a FIFO queue with one message group', () => {
  assert.is(fn['reserved_concurrent_executions'], undefined);
  const queue = resource('aws_sqs_queue', 'events_queue');
  assert.is(queue['fifo_queue'], true);
  assert.is(queue['content_based_deduplication'], true, 'EventBridge sends to FIFO only with content-based deduplication');
  assert.is(resource('aws_sqs_queue', 'events_dlq')['fifo_queue'], true, "a FIFO queue's DLQ is FIFO");
  const target = resource('aws_cloudwatch_event_target', 'landing_object_created_target');
  assert.equal(target['sqs_target'], { message_group_id: 'landing' });
  const env = (fn['environment'] as { variables: Record<string, string> }).variables;
  assert.is(env['EVENTS_MESSAGE_GROUP'], 'landing', 're-checks join the same group');
  const mapping = resource('aws_lambda_event_source_mapping', 'aggregator_source');
  assert.is(mapping['maximum_batching_window_in_seconds'], undefined, 'FIFO sources take no batching window');
  assert.ok(Number(mapping['batch_size']) <= 10, 'FIFO sources take at most 10');
});

test('the settle window: a variable in the environment, re-checks scheduled in their own group with their own role', () => {
  const env = (fn['environment'] as { variables: Record<string, string> }).variables;
  assert.is(env['SETTLE_SECONDS'], '${tostring(var.settle_seconds)}');
  assert.is(env['SETTLE_SCHEDULE_GROUP'], '${aws_scheduler_schedule_group.settle_schedules.name}');
  assert.is(env['SETTLE_SCHEDULER_ROLE_ARN'], '${aws_iam_role.settle_scheduler_role.arn}');
  assert.is(env['EVENTS_QUEUE_ARN'], '${aws_sqs_queue.events_queue.arn}');
});

test('its environment: the worker configuration plus STATE_MACHINE_ARN', () => {
  const env = (fn['environment'] as { variables: Record<string, string> }).variables;
  assert.is(env['STATE_MACHINE_ARN'], '${aws_sfn_state_machine.pipeline.arn}');
  for (const key of ['LANDING_BUCKET', 'LAKE_BUCKET', 'CATEGORY_KPI_TABLE', 'ORDER_KPI_TABLE', 'LOCK_TABLE', 'TOPIC_ARN', 'MAX_REJECT_RATE', 'LOCK_LEASE_SECONDS', 'LOG_LEVEL'])
    assert.ok(env[key], key);
});

test('it logs to its own log group, which exists before the function', () => {
  assert.equal(fn['logging_config'], { log_format: 'Text', log_group: '${aws_cloudwatch_log_group.aggregator_logs.name}' });
  assert.ok((fn['depends_on'] as string[]).includes('aws_cloudwatch_log_group.aggregator_logs'));
});

test.run();
