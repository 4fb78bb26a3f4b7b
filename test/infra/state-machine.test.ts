// The deployed definition is statemachine.asl.json with each placeholder replaced by the value of
// the resource it names — nothing added, nothing lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resource, synthesized } from '../support/synth.js';

const synthesizedOutput = (name: string) => JSON.stringify(synthesized().json.output[name]);
import { asl } from '../support/asl.js';
import { resolvePlaceholders, type Json } from '../../infra/asl-template.js';
import { EXECUTION_TIMEOUT_EXTRA_SECONDS } from '../../infra/state-machine.js';
import { ECS_TASK_TIMEOUT_SECONDS } from '../../infra/variables.js';

const machine = resource('aws_sfn_state_machine', 'pipeline');

/** Terraform expressions that stand for whole JSON values, and a stand-in for each. */
const VALUE_EXPRESSIONS: Record<string, Json> = {
  '${jsonencode(var.subnet_ids)}': ['SUBNETS'],
  '${jsonencode(var.security_group_ids)}': ['SECURITY_GROUPS'],
  '${var.lock_lease_seconds}': 1001,
  '${var.lock_wait_seconds}': 1002,
  '${var.lock_max_wait_seconds}': 1003,
  [`\${var.lock_max_wait_seconds + ${EXECUTION_TIMEOUT_EXTRA_SECONDS}}`]: 1004,
};
/** Expressions inside a JSON string whose own quotes would break JSON.parse of the template. */
const STRING_EXPRESSIONS: Record<string, string> = {
  '${var.assign_public_ip ? "ENABLED" : "DISABLED"}': 'ASSIGN_PUBLIC_IP',
};

test('the definition is the file with its placeholders resolved to this stack', () => {
  let text = String(machine['definition']);
  for (const [expression, value] of Object.entries(VALUE_EXPRESSIONS)) text = text.split(expression).join(JSON.stringify(value));
  for (const [expression, value] of Object.entries(STRING_EXPRESSIONS)) text = text.split(expression).join(value);
  const deployed = JSON.parse(text) as Json;
  const expected = resolvePlaceholders(asl() as unknown as Json, {
    lock_table: '${aws_dynamodb_table.locks.name}',
    lake_bucket: '${aws_s3_bucket.lake.bucket}',
    topic_arn: '${aws_sns_topic.topic.arn}',
    cluster_arn: '${aws_ecs_cluster.cluster.arn}',
    validate_task_definition_arn: '${aws_ecs_task_definition.validate_task.arn_without_revision}',
    transform_task_definition_arn: '${aws_ecs_task_definition.transform_task.arn_without_revision}',
    assign_public_ip: 'ASSIGN_PUBLIC_IP',
    subnet_ids: ['SUBNETS'],
    security_group_ids: ['SECURITY_GROUPS'],
    lock_lease_seconds: 1001,
    lock_wait_seconds: 1002,
    lock_max_wait_seconds: 1003,
    execution_timeout_seconds: 1004,
  });
  assert.equal(deployed, expected);
});

test('container overrides name the containers of the task definitions they run', () => {
  const states = asl().States;
  for (const [state, task] of [['Validate', 'validate_task'], ['Transform', 'transform_task']] as const) {
    const params = states[state]!.Parameters as { TaskDefinition: string; Overrides: { ContainerOverrides: Array<{ Name: string }> } };
    const container = params.Overrides.ContainerOverrides[0]!.Name;
    assert.ok(String(resource('aws_ecs_task_definition', task)['container_definitions']).includes(`"name" = "${container}"`), `${state}: no container ${container} in ${task}`);
    assert.is(params.TaskDefinition, `\${${state.toLowerCase()}_task_definition_arn}`);
  }
});

test('tasks run by family (latest ACTIVE revision): executions waiting across an apply never RunTask a deregistered revision', () => {
  const placeholders = String(synthesizedOutput('state_machine_placeholders'));
  assert.match(placeholders, /validate_task_definition_arn.*arn_without_revision/);
  assert.match(placeholders, /transform_task_definition_arn.*arn_without_revision/);
});

test('the execution timeout exceeds the longest legitimate run: the longest lock wait, both ECS tasks and every other task once', () => {
  const states = Object.values(asl().States);
  const ecs = states.filter((s) => s.Resource === 'arn:aws:states:::ecs:runTask.sync');
  const others = states.filter((s) => s.Type === 'Task' && s.Resource !== 'arn:aws:states:::ecs:runTask.sync');
  assert.equal(ecs.map((s) => s.TimeoutSeconds), [ECS_TASK_TIMEOUT_SECONDS, ECS_TASK_TIMEOUT_SECONDS]);
  const margin = EXECUTION_TIMEOUT_EXTRA_SECONDS - ecs.reduce((n, s) => n + s.TimeoutSeconds!, 0);
  assert.ok(margin >= others.reduce((n, s) => n + (s.TimeoutSeconds ?? 60), 0), `margin ${margin} s`);
  assert.match(String(machine['definition']), new RegExp(`"TimeoutSeconds": \\$\\{var\\.lock_max_wait_seconds \\+ ${EXECUTION_TIMEOUT_EXTRA_SECONDS}\\}`));
});

test('a standard state machine with its own role and error logs with retention', () => {
  assert.is(machine['type'], 'STANDARD');
  assert.is(machine['role_arn'], '${aws_iam_role.state_machine_role.arn}');
  assert.equal(machine['logging_configuration'], {
    include_execution_data: true, level: 'ERROR', log_destination: '${aws_cloudwatch_log_group.state_machine_logs.arn}:*',
  });
});

test.run();
