// terraform/examples/existing-state planned against moto: the team's aliased provider (assumed
// role, default tags) reaches every resource of the counted module call, and the plan creates the
// whole pipeline under module.shop[0], with the team's KMS key on every store (the plan without a
// key is test/infra/apply.test.ts).
import { test } from 'uvu';
import { createHash } from 'node:crypto';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useMoto } from '../support/moto.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { prepareLocal, terraform } from '../../workers/local/terraform.js';
import { deterministicZip } from '../../workers/local/lambda-zip.js';
import { copyExampleTree } from '../support/example-tree.js';
import { synthStack } from '../../infra/synth.js';

interface Change { address: string; mode: string; type: string; name: string; change: { actions: string[]; after: Record<string, unknown> | null } }

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let moto: MotoServer;
let tree: { root: string; example: string };
let changes: Change[];

test.before(async () => {
  moto = await useMoto();
  tree = copyExampleTree('tf-example-plan-');
  const zip = join(tree.root, 'aggregator.zip');
  writeFileSync(zip, await deterministicZip([{ name: 'aggregator.js', data: new TextEncoder().encode('exports.handler = async () => ({});\n') }]));
  await prepareLocal({
    endpoint: moto.endpoint,
    dir: tree.example,
    configDir: tree.example,
    providerAlias: 'shop',
    defaults: {
      region: 'us-east-1',
      deploy_role_arn: 'arn:aws:iam::123456789012:role/deploy',
      network: { subnet_ids: ['subnet-0123456789abcdef0'], security_group_ids: ['sg-0123456789abcdef0'] },
      worker_image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/ecommerce-pipeline@sha256:${'a'.repeat(64)}`,
      lambda_zip_path: zip,
      kms_key_arn: KEY,
    },
  });
  const plan = await terraform(['plan', '-input=false', '-no-color', '-out=example.tfplan'], tree.example);
  assert.is(plan.code, 0, plan.stderr);
  const shown = await terraform(['show', '-json', 'example.tfplan'], tree.example);
  changes = (JSON.parse(shown.stdout) as { resource_changes: Change[] }).resource_changes;
});

test.after(async () => {
  await moto.stop();
  rmSync(tree.root, { recursive: true, force: true });
});

test('the plan creates every resource of the module under module.shop[0], nothing else', () => {
  const managed = changes.filter((c) => c.mode === 'managed');
  const expected = Object.entries(synthStack().resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
  // The scheduled generator's resources are all counted on generator_schedule (infra/generator.ts).
  const counted = [
    'aws_sns_topic_subscription.email',
    'aws_iam_role_policy.task_execution_ecr_policy',
    ...expected.filter((a) => a.split('.')[1]!.startsWith('generator')),
  ];
  // With a key, the KMS policies are planned too; nothing is left out for want of one.
  assert.ok(expected.filter((a) => a.endsWith('_kms_policy')).length >= 4);
  const created = managed.map((c) => c.address.replace(/^module\.shop\[0\]\./, '').replace(/\[0\]$/, ''));
  assert.ok(managed.every((c) => c.address.startsWith('module.shop[0].')), managed.map((c) => c.address).join('\n'));
  assert.ok(managed.every((c) => c.change.actions.join() === 'create'));
  // The e-mail subscription, the ECR pull policy and the generator are counted on inputs the example leaves empty.
  assert.equal(created.sort(), expected.filter((a) => !counted.includes(a)).sort());
});

test("the team's provider configuration is the one used: its default tags are on every taggable resource", () => {
  const tagged = changes.filter((c) => c.mode === 'managed' && c.change.after && 'tags_all' in c.change.after);
  assert.ok(tagged.length > 10);
  for (const c of tagged)
    assert.equal(
      { team: (c.change.after!['tags_all'] as Record<string, string>)['team'], environment: (c.change.after!['tags_all'] as Record<string, string>)['environment'] },
      { team: 'data-platform', environment: 'prod' },
      c.address,
    );
});

const after = (address: string) => {
  const found = changes.find((c) => c.address === address);
  if (!found?.change.after) throw new Error(`no planned ${address}`);
  return found.change.after;
};

test('with kms_key_arn: buckets SSE-KMS with bucket keys, tables, queues, topic and log groups under the key', () => {
  for (const bucket of ['landing', 'lake']) {
    const [rule] = after(`module.shop[0].aws_s3_bucket_server_side_encryption_configuration.${bucket}_encryption`)['rule'] as Array<{ apply_server_side_encryption_by_default: Array<Record<string, string>>; bucket_key_enabled: boolean }>;
    assert.equal(rule!.apply_server_side_encryption_by_default, [{ sse_algorithm: 'aws:kms', kms_master_key_id: KEY }], bucket);
    assert.is(rule!.bucket_key_enabled, true);
  }
  const tables = changes.filter((c) => c.type === 'aws_dynamodb_table');
  assert.is(tables.length, 3);
  for (const t of tables) assert.equal(t.change.after!['server_side_encryption'], [{ enabled: true, kms_key_arn: KEY }], t.address);
  const queues = changes.filter((c) => c.type === 'aws_sqs_queue');
  assert.is(queues.length, 3);
  for (const q of queues) assert.is(q.change.after!['kms_master_key_id'], KEY, q.address);
  assert.is(after('module.shop[0].aws_sns_topic.topic')['kms_master_key_id'], KEY);
  const groups = changes.filter((c) => c.type === 'aws_cloudwatch_log_group');
  assert.ok(groups.length >= 4);
  for (const g of groups) assert.is(g.change.after!['kms_key_id'], KEY, g.address);
});

test('with kms_key_arn: each role using a store gets its KMS policy on exactly that key', () => {
  const policies = changes.filter((c) => c.type === 'aws_iam_role_policy' && c.name.endsWith('_kms_policy'));
  assert.equal(policies.map((p) => p.name).sort(), ['aggregator_kms_policy', 'settle_scheduler_kms_policy', 'state_machine_kms_policy', 'transform_task_kms_policy', 'validate_task_kms_policy']);
  for (const p of policies) {
    const doc = JSON.parse(String(p.change.after!['policy'])) as { Statement: Array<{ Action: string | string[]; Resource: string; Condition: { StringEquals: Record<string, string> } }> };
    for (const s of doc.Statement) {
      assert.is(s.Resource, KEY, p.address);
      assert.match(s.Condition.StringEquals['kms:ViaService']!, /^(s3|dynamodb|sqs|sns)\.us-east-1\.amazonaws\.com$/);
    }
  }
});

test('names come from the example\'s prefix and environment', () => {
  const landing = changes.find((c) => c.address === 'module.shop[0].aws_s3_bucket.landing');
  // plus the per-account suffix of moto's account (bucket names are global)
  assert.is(landing?.change.after?.['bucket'], `acme-shop-prod-landing-${createHash('sha1').update('123456789012').digest('hex').slice(0, 8)}`);
});

test.run();
