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
