// The scheduled generator's infrastructure, as synthesized: nothing without generator_schedule,
// least privilege with it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataSource, resource, synthesized } from '../support/synth.js';
import { GENERATOR_INPUT } from '../../infra/generator.js';

const ON = '${var.generator_schedule != "" ? 1 : 0}';

test('every generator resource is counted on generator_schedule (default "": none)', () => {
  assert.is(synthesized().json.variable['generator_schedule']?.['default'], '');
  for (const [type, name] of [
    ['aws_lambda_function', 'generator'],
    ['aws_cloudwatch_log_group', 'generator_logs'],
    ['aws_iam_role', 'generator_role'],
    ['aws_iam_role_policy', 'generator_policy'],
    ['aws_iam_role', 'generator_scheduler_role'],
    ['aws_iam_role_policy', 'generator_scheduler_policy'],
    ['aws_scheduler_schedule', 'generator_schedule'],
  ] as const) assert.is(resource(type, name)['count'], ON, `${type}.${name}`);
  assert.is(resource('aws_iam_role_policy', 'generator_kms_policy')['count'], '${var.generator_schedule != "" && var.kms_key_arn != "" ? 1 : 0}');
});

test('the Lambda: its own handler and zip, landing bucket in its environment, a log group with retention', () => {
  const fn = resource('aws_lambda_function', 'generator');
  assert.is(fn['handler'], 'generator-lambda.handler');
  assert.is(fn['filename'], '${var.generator_zip_path}');
  assert.is(fn['role'], '${one(aws_iam_role.generator_role[*].arn)}');
  assert.is((fn['environment'] as { variables: Record<string, string> }).variables['LANDING_BUCKET'], '${aws_s3_bucket.landing.bucket}');
  assert.is(resource('aws_cloudwatch_log_group', 'generator_logs')['retention_in_days'], '${var.log_retention_days}');
});

test('the generator role may only put objects into landing (and write its logs)', () => {
  const statements = dataSource('aws_iam_policy_document', 'generator_permissions')['statement'] as Array<{ actions: string[]; resources: string[] }>;
  const s3 = statements.filter((s) => s.actions.some((a) => a.startsWith('s3:')));
  assert.equal(s3.map((s) => [s.actions, s.resources]), [[['s3:PutObject'], ['${aws_s3_bucket.landing.arn}/*']]]);
  assert.ok(statements.every((s) => s.actions.every((a) => a === 's3:PutObject' || a.startsWith('logs:'))));
});

test('the schedule invokes the Lambda with its scheduled time, through a role that may only invoke it', () => {
  const schedule = resource('aws_scheduler_schedule', 'generator_schedule');
  assert.is(schedule['schedule_expression'], '${var.generator_schedule}');
  const target = schedule['target'] as Record<string, unknown>;
  assert.is(target['arn'], '${one(aws_lambda_function.generator[*].arn)}');
  assert.is(target['role_arn'], '${one(aws_iam_role.generator_scheduler_role[*].arn)}');
  assert.is(target['input'], GENERATOR_INPUT);
  const statements = dataSource('aws_iam_policy_document', 'generator_scheduler_permissions')['statement'] as Array<{ actions: string[] }>;
  assert.equal(statements.map((s) => s.actions), [['lambda:InvokeFunction']]);
});

test.run();
