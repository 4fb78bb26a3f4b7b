// terraform/examples/existing-state: a team's own root (its backend, an aliased provider with
// default tags, its network passed in) calls the module with count and providers, and validates
// offline with no warning (issue 13). The module's predecessor, a root with its own provider
// block, cannot be called that way: the check can fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { terraform } from '../../workers/local/terraform.js';
import { synthStack } from '../../infra/synth.js';
import { copyExampleTree, EXAMPLE } from '../support/example-tree.js';

interface Report { valid: boolean; warning_count: number; diagnostics: Array<{ severity: string; summary: string; detail?: string }> }

const initAndValidate = async (dir: string): Promise<Report> => {
  // -backend=false: the example's backend is the team's S3 state, not reachable from here.
  const init = await terraform(['init', '-backend=false', '-input=false', '-no-color'], dir);
  assert.is(init.code, 0, init.stderr);
  return JSON.parse((await terraform(['validate', '-json', '-no-color'], dir)).stdout) as Report;
};

test('the example calls the module with count = 1 and providers = { aws = aws.<alias> }, S3 backend, default tags', () => {
  const main = readFileSync(join('terraform', EXAMPLE, 'main.tf'), 'utf8');
  assert.match(main, /module "shop" \{\s*source\s*=\s*"\.\.\/\.\.\/modules\/ecommerce-pipeline"/);
  assert.match(main, /\n\s*count\s*=\s*1\n/);
  assert.match(main, /providers\s*=\s*\{\s*aws\s*=\s*aws\.shop\s*\}/);
  assert.match(main, /backend "s3" \{/);
  assert.match(main, /provider "aws" \{\s*alias\s*=\s*"shop"[\s\S]*default_tags \{/);
  assert.match(main, /subnet_ids\s*=\s*var\.network\.subnet_ids/);
});

test('terraform init (offline) and validate on the example: valid, no warning', async () => {
  const { root, example } = copyExampleTree('tf-example-');
  try {
    const report = await initAndValidate(example);
    assert.ok(report.valid, JSON.stringify(report.diagnostics));
    assert.is(report.warning_count, 0, JSON.stringify(report.diagnostics));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('terraform fmt -check: the example is canonically formatted', async () => {
  const fmt = await terraform(['fmt', '-check', '-diff', '-no-color'], join('terraform', EXAMPLE));
  assert.is(fmt.code, 0, fmt.stdout);
});

test('the same call of the old one-file root (its own provider block) is refused: count needs a provider-less module', async () => {
  const { root, example } = copyExampleTree('tf-example-legacy-');
  try {
    writeFileSync(join(root, 'modules', 'ecommerce-pipeline', 'main.tf.json'), JSON.stringify(synthStack()));
    await terraform(['init', '-backend=false', '-input=false', '-no-color'], example);
    const validate = await terraform(['validate', '-json', '-no-color'], example);
    const text = validate.stdout;
    assert.is.not(validate.code, 0, 'the legacy root validated as a counted module');
    assert.match(text, /Module is incompatible with count, for_each, and depends_on/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
