import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasResource, resource, resources } from '../support/synth.js';

const WORKER_ENV = ['LANDING_BUCKET', 'LAKE_BUCKET', 'CATEGORY_KPI_TABLE', 'ORDER_KPI_TABLE', 'LOCK_TABLE', 'TOPIC_ARN', 'MAX_REJECT_RATE', 'LOCK_LEASE_SECONDS', 'LOG_LEVEL'];

const definitions = resources('aws_ecs_task_definition');
/** container_definitions is a jsonencode(...) expression; read it as text. */
const containers = (name: string) => String(resource('aws_ecs_task_definition', name)['container_definitions']);

test('two Fargate task definitions, validate and transform', () => {
  assert.equal(definitions.map(([n]) => n).sort(), ['transform_task', 'validate_task']);
  for (const [name] of definitions)
    assert.ok(hasResource('aws_ecs_task_definition', { requires_compatibilities: ['FARGATE'], network_mode: 'awsvpc', family: `\${var.name_prefix}-\${var.environment}-${name.replace('_task', '')}` }), name);
});

test('every task definition logs through awslogs to its own log group, which has a retention', () => {
  for (const [name] of definitions) {
    const worker = name.replace('_task', '');
    const text = containers(name);
    assert.match(text, /"logDriver" = "awslogs"/, name);
    assert.ok(text.includes(`"awslogs-group" = aws_cloudwatch_log_group.${worker}_logs.name`), name);
    assert.is(resource('aws_cloudwatch_log_group', `${worker}_logs`)['retention_in_days'], '${var.log_retention_days}');
  }
});

test('each worker runs its documented entry point from the image URI variable', () => {
  assert.ok(containers('validate_task').includes('"command" = ["node", "dist/validate.js"]'));
  assert.ok(containers('transform_task').includes('"command" = ["node", "dist/transform.js"]'));
  assert.ok(containers('validate_task').includes('"image" = var.validate_image'));
  assert.ok(containers('transform_task').includes('"image" = var.transform_image'));
});

test('each worker gets the DESIGN §8 environment, sorted as ECS returns it', () => {
  for (const [name] of definitions) {
    const names = [...containers(name).matchAll(/\{"name" = "([A-Z_]+)", "value" = /g)].map((m) => m[1]!);
    for (const key of WORKER_ENV) assert.ok(names.includes(key), `${name} lacks ${key}`);
    assert.equal(names, [...names].sort(), `${name}: environment not sorted`);
  }
});

test('each task has its own task role; both share one execution role', () => {
  assert.is(resource('aws_ecs_task_definition', 'validate_task')['task_role_arn'], '${aws_iam_role.validate_task_role.arn}');
  assert.is(resource('aws_ecs_task_definition', 'transform_task')['task_role_arn'], '${aws_iam_role.transform_task_role.arn}');
  for (const [, d] of definitions) assert.is(d['execution_role_arn'], '${aws_iam_role.task_execution_role.arn}');
});

test.run();
