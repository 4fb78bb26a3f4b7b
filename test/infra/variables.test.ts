// DESIGN §9: every input a platform team sets is a described, validated variable; every resource a
// caller needs is an output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { synthesized } from '../support/synth.js';

const { variable, output, terraform } = synthesized().json;

test('every variable has a description and at least one validation that reads it', () => {
  for (const [name, v] of Object.entries(variable)) {
    assert.ok(String(v['description'] ?? '').length > 10, `${name}: no description`);
    const rules = (v['validation'] as Array<{ condition: string; error_message: string }> | undefined) ?? [];
    assert.ok(rules.length > 0, `${name}: no validation`);
    for (const rule of rules) {
      assert.match(rule.condition, new RegExp(`^\\$\\{.*var\\.${name}\\b.*\\}$`, 's'), `${name}: condition must be an expression on var.${name}`);
      assert.ok(rule.error_message.length > 0, name);
    }
  }
});

test('the §9 inputs exist', () => {
  for (const name of [
    'name_prefix', 'environment', 'region', 'subnet_ids', 'security_group_ids', 'validate_image', 'transform_image',
    'notification_email', 'max_reject_rate', 'lock_lease_seconds', 'lambda_zip_path', 'log_retention_days',
  ])
    assert.ok(variable[name], name);
});

test('the existing network is passed in: subnets and security groups have no default', () => {
  assert.not.ok('default' in variable['subnet_ids']!);
  assert.not.ok('default' in variable['security_group_ids']!);
});

test('outputs for every bucket, table, queue, topic, the state machine, cluster and task definitions', () => {
  const expected: Record<string, string> = {
    landing_bucket: 'aws_s3_bucket.landing', lake_bucket: 'aws_s3_bucket.lake',
    category_kpi_table: 'aws_dynamodb_table.category_kpis', order_kpi_table: 'aws_dynamodb_table.order_kpis', lock_table: 'aws_dynamodb_table.locks',
    events_queue_url: 'aws_sqs_queue.events_queue', events_dlq_url: 'aws_sqs_queue.events_dlq', topic_arn: 'aws_sns_topic.topic',
    state_machine_arn: 'aws_sfn_state_machine.pipeline', cluster_arn: 'aws_ecs_cluster.cluster',
    validate_task_definition_arn: 'aws_ecs_task_definition.validate_task', transform_task_definition_arn: 'aws_ecs_task_definition.transform_task',
  };
  for (const [name, target] of Object.entries(expected)) {
    assert.ok(output[name], `no output ${name}`);
    assert.match(String(output[name]!['value']), new RegExp(`^\\$\\{${target.replace('.', '\\.')}\\.`), name);
    assert.ok(String(output[name]!['description'] ?? '').length > 0, name);
  }
});

test('the AWS provider is pinned to the version of the offline mirror; local state by default', () => {
  assert.equal(terraform['required_providers'], { aws: { source: 'aws', version: '5.100.0' } });
  assert.equal(terraform['backend'], { local: { path: 'terraform.tfstate' } });
});

test.run();
