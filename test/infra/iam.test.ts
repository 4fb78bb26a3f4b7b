// Least privilege (DESIGN §9): no `*` or `service:*` action in any grant, resources named by ARN
// except where AWS has no resource-level permissions, one role per component.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataSources, policyDocumentOf, resources, statementsOf, type PolicyStatement } from '../support/synth.js';

/** Statements AWS forces onto Resource "*"; each carries a comment in infra/ saying why. */
const WILDCARD_RESOURCE_ALLOWED = new Set(['EcrLogin', 'DeliverExecutionLogs']);

const allStatements = (): Array<[string, PolicyStatement]> =>
  dataSources('aws_iam_policy_document').flatMap(([doc, block]) => statementsOf(block).map((s) => [doc, s] as [string, PolicyStatement]));
const grants = () => allStatements().filter(([, s]) => (s.effect ?? 'Allow') === 'Allow');

test('no grant has a wildcard action (`*`, `service:*`, or any `*` in an action)', () => {
  assert.ok(grants().length > 20);
  for (const [doc, s] of grants())
    for (const action of s.actions ?? []) assert.not.match(action, /\*/, `${doc}/${s.sid}: ${action}`);
});

test('every grant names its actions and resources explicitly (no NotAction / NotResource)', () => {
  for (const [doc, s] of grants()) {
    assert.ok((s.actions ?? []).length > 0, `${doc}/${s.sid}`);
    // Trust policies name a principal instead of resources.
    if (!doc.endsWith('_trust')) assert.ok(s.resources !== undefined, `${doc}/${s.sid}`);
    assert.not.ok('not_actions' in s || 'not_resources' in s, `${doc}/${s.sid}`);
  }
});

test('resources are ARNs of this stack; "*" only where AWS offers no resource-level permission', () => {
  for (const [doc, s] of grants()) {
    if (doc.endsWith('_trust')) continue;
    const list = Array.isArray(s.resources) ? s.resources : [s.resources!];
    for (const r of list) {
      if (r === '*') assert.ok(WILDCARD_RESOURCE_ALLOWED.has(s.sid ?? ''), `${doc}/${s.sid} grants on "*"`);
      else assert.match(r, /^(\$\{|arn:)/, `${doc}/${s.sid}: ${r}`);
    }
  }
});

test('deny statements appear only in the TLS-only bucket policies', () => {
  const denies = allStatements().filter(([, s]) => s.effect === 'Deny');
  assert.equal(denies.map(([doc]) => doc).sort(), ['lake_tls_only', 'landing_tls_only']);
});

test('one role per component, each trusted by exactly one service, each with its own inline policy', () => {
  const roles = resources('aws_iam_role');
  assert.equal(roles.map(([n]) => n).sort(), [
    'aggregator_role', 'generator_role', 'generator_scheduler_role', 'settle_scheduler_role', 'state_machine_role', 'task_execution_role', 'transform_task_role', 'validate_task_role',
  ]);
  for (const [name, role] of roles) {
    const trust = statementsOf(policyDocumentOf(role['assume_role_policy']));
    assert.is(trust.length, 1, name);
    assert.equal(trust[0]!.actions, ['sts:AssumeRole'], name);
    assert.is(trust[0]!.principals?.[0]?.identifiers.length, 1, name);
    // a counted role (the scheduled generator's) is referenced through one()
    const refs = [`\${aws_iam_role.${name}.id}`, `\${one(aws_iam_role.${name}[*].id)}`];
    const policies = resources('aws_iam_role_policy').filter(([, p]) => refs.includes(p['role'] as string));
    assert.ok(policies.length >= 1, `${name} has no policy`);
  }
  assert.is(resources('aws_iam_role_policy_attachment').length, 0, 'no managed policies: they grant more than needed');
});

test('the state machine may run only the two worker task definitions, and pass only their roles', () => {
  const statements = statementsOf(policyDocumentOf(resources('aws_iam_role_policy').find(([n]) => n === 'state_machine_policy')![1]['policy']));
  const run = statements.find((s) => s.sid === 'RunWorkers')!;
  assert.equal(run.resources, ['${aws_ecs_task_definition.validate_task.arn_without_revision}:*', '${aws_ecs_task_definition.transform_task.arn_without_revision}:*']);
  const pass = statements.find((s) => s.sid === 'PassWorkerRoles')!;
  assert.equal(pass.condition, [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com'] }]);
});

test('landing deletes: validate (moving a rejected batch to quarantine) and transform (archiving), nobody else', () => {
  const landingDeletes = (doc: string) =>
    statementsOf(dataSources('aws_iam_policy_document').find(([n]) => n === doc)![1])
      .filter((s) => (s.actions ?? []).includes('s3:DeleteObject'))
      .flatMap((s) => (Array.isArray(s.resources) ? s.resources : [s.resources]))
      .filter((r) => String(r).startsWith('${aws_s3_bucket.landing.arn}'));
  assert.equal(landingDeletes('validate_task_permissions'), ['${aws_s3_bucket.landing.arn}/*']);
  assert.equal(landingDeletes('transform_task_permissions'), ['${aws_s3_bucket.landing.arn}/*']);
});

test('the aggregator starts executions of this state machine only, deletes only manifests, touches only manifests/ in the lake', () => {
  const doc = dataSources('aws_iam_policy_document').find(([n]) => n === 'aggregator_permissions')![1];
  const start = statementsOf(doc).find((s) => (s.actions ?? []).includes('states:StartExecution'))!;
  assert.equal(start.resources, ['${aws_sfn_state_machine.pipeline.arn}']);
  const deletes = statementsOf(doc).filter((s) => (s.actions ?? []).includes('s3:DeleteObject'));
  assert.equal(deletes.map((s) => s.resources), [['${aws_s3_bucket.landing.arn}/*_manifest.json']]);
  const lake = statementsOf(doc).filter((s) => JSON.stringify(s.resources).includes('aws_s3_bucket.lake'));
  assert.equal(lake.map((s) => [s.actions, s.resources]), [[['s3:PutObject', 's3:GetObject'], ['${aws_s3_bucket.lake.arn}/manifests/*']]]);
});

test.run();
