// terraform/examples/existing-state planned against moto: the team's aliased provider (assumed
// role, default tags) reaches every resource of the counted module call, and the plan creates the
// whole pipeline under module.shop[0].
import { test } from 'uvu';
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
  const counted = ['aws_sns_topic_subscription.email', 'aws_iam_role_policy.task_execution_ecr_policy'];
  const created = managed.map((c) => c.address.replace(/^module\.shop\[0\]\./, '').replace(/\[0\]$/, ''));
  assert.ok(managed.every((c) => c.address.startsWith('module.shop[0].')), managed.map((c) => c.address).join('\n'));
  assert.ok(managed.every((c) => c.change.actions.join() === 'create'));
  // The e-mail subscription and the ECR pull policy are counted on inputs the example leaves empty.
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

test('names come from the example\'s prefix and environment', () => {
  const landing = changes.find((c) => c.address === 'module.shop[0].aws_s3_bucket.landing');
  assert.is(landing?.change.after?.['bucket'], 'acme-shop-prod-landing');
});

test.run();
