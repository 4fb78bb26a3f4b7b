// kms_key_arn (issue 13): with a key every store is encrypted under it and each role gets exactly
// the KMS actions its calls need, via the services it uses; without one, today's encryption.
// Synth-level; the plans themselves: test/infra/apply.test.ts (no key: SSE-S3 applied on moto)
// and test/infra/example-plan.test.ts (a key: the example planned on moto).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dataSource, resource, resources, synthesized, statementsOf } from '../support/synth.js';

const KEY_OR_NULL = '${var.kms_key_arn != "" ? var.kms_key_arn : null}';
const WITH_KEY = '${var.kms_key_arn != "" ? 1 : 0}';

test('kms_key_arn: optional (empty default), described, validated as a key ARN', () => {
  const v = synthesized().json.variable['kms_key_arn']!;
  assert.is(v['default'], '');
  assert.is(v['type'], 'string');
  const [rule] = v['validation'] as Array<{ condition: string }>;
  assert.match(rule!.condition, /var\.kms_key_arn == ""/);
  const pattern = /regex\("(.+)", var\.kms_key_arn\)/.exec(rule!.condition)![1]!.replace(/\\\\/g, '\\');
  const re = new RegExp(pattern);
  assert.ok(re.test('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'));
  assert.ok(re.test('arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab'));
  assert.not.ok(re.test('arn:aws:kms:eu-west-1:111122223333:alias/shop'));
  assert.not.ok(re.test('1234abcd-12ab-34cd-56ef-1234567890ab'));
});

test('buckets: SSE-KMS under the key with bucket keys, SSE-S3 without', () => {
  const configs = resources('aws_s3_bucket_server_side_encryption_configuration');
  assert.is(configs.length, resources('aws_s3_bucket').length);
  for (const [name, c] of configs) {
    const [rule] = c['rule'] as Array<{ apply_server_side_encryption_by_default: Record<string, string>; bucket_key_enabled: boolean }>;
    assert.equal(rule!.apply_server_side_encryption_by_default, {
      sse_algorithm: '${var.kms_key_arn != "" ? "aws:kms" : "AES256"}',
      kms_master_key_id: KEY_OR_NULL,
    }, name);
    assert.is(rule!.bucket_key_enabled, true, name);
  }
});

test('tables, queues, the topic and every log group take the key (null without one: the defaults of before)', () => {
  for (const [name, t] of resources('aws_dynamodb_table'))
    assert.equal(t['server_side_encryption'], { enabled: true, kms_key_arn: KEY_OR_NULL }, name);
  for (const [name, q] of resources('aws_sqs_queue')) {
    assert.is(q['kms_master_key_id'], KEY_OR_NULL, name);
    assert.is(q['sqs_managed_sse_enabled'], '${var.kms_key_arn != "" ? null : true}', name);
  }
  for (const [name, t] of resources('aws_sns_topic')) assert.is(t['kms_master_key_id'], KEY_OR_NULL, name);
  const groups = resources('aws_cloudwatch_log_group');
  assert.ok(groups.length >= 4);
  for (const [name, g] of groups) assert.is(g['kms_key_id'], KEY_OR_NULL, name);
});

const COUNTED_ROLES = ['generator'];

/** role → service → actions, read back from the synthesized KMS policies. */
const kmsGrants = (): Record<string, Record<string, string[]>> => {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [name, policy] of resources('aws_iam_role_policy').filter(([n]) => n.endsWith('_kms_policy'))) {
    const id = name.replace(/_kms_policy$/, '');
    // A role that exists only with generator_schedule (infra/generator.ts) is referenced through one().
    if (COUNTED_ROLES.includes(id)) {
      assert.is(policy['count'], '${var.generator_schedule != "" && var.kms_key_arn != "" ? 1 : 0}', name);
      assert.is(policy['role'], `\${one(aws_iam_role.${id}_role[*].id)}`, name);
    } else {
      assert.is(policy['count'], WITH_KEY, name);
      assert.is(policy['role'], `\${aws_iam_role.${id}_role.id}`, name);
    }
    const document = dataSource('aws_iam_policy_document', `${id}_kms_permissions`);
    assert.is(document['count'], WITH_KEY, name);
    out[id] = {};
    for (const s of statementsOf(document)) {
      assert.is(s.effect, 'Allow');
      assert.equal(s.resources, ['${var.kms_key_arn}'], `${name}: the key only`);
      const via = s.condition?.find((c) => c.variable === 'kms:ViaService');
      assert.ok(via && via.test === 'StringEquals' && via.values.length === 1, `${name}: no kms:ViaService`);
      const service = /^(\w+)\.\$\{data\.aws_region\.region\.name\}\.amazonaws\.com$/.exec(via.values[0]!)![1]!;
      out[id]![service] = [...(s.actions ?? [])].sort();
    }
  }
  return out;
};

test('each role gets exactly the KMS actions its calls need, through the services it calls', () => {
  const read = ['kms:Decrypt'];
  const write = ['kms:Decrypt', 'kms:GenerateDataKey'];
  assert.equal(kmsGrants(), {
    // receives from the queue (and the event-source mapping polls with its role); reads landing and
    // writes large manifests to the lake
    aggregator: { sqs: read, s3: write },
    // the lock item, validation reports, notifications
    state_machine: { dynamodb: read, s3: read, sns: write },
    validate_task: { s3: write },
    transform_task: { s3: write, dynamodb: read },
    // the settle window's one-time schedules send re-checks to the (encrypted) events queue
    settle_scheduler: { sqs: write },
    // the scheduled generator puts its batches into (encrypted) landing
    generator: { s3: write },
  });
});

test('no KMS grant reaches a role that touches no store, and no KMS action is a wildcard', () => {
  assert.not.ok(resources('aws_iam_role_policy').some(([n]) => n === 'task_execution_kms_policy'));
  const text = synthesized().text;
  assert.not.match(text, /"kms:\*"|"kms:[A-Za-z]*\*"/);
  assert.ok(resource('aws_iam_role', 'task_execution_role'));
});

test.run();
