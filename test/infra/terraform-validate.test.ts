// Plain terraform, no Node: `terraform init -backend=false && terraform validate` on a copy of
// terraform/, offline through the project's CLI config where the provider mirror exists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terraform } from '../../workers/local/terraform.js';

test('terraform init -backend=false and validate succeed on the committed config', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-validate-'));
  try {
    cpSync('terraform/cdk.tf.json', join(dir, 'cdk.tf.json'));
    const init = await terraform(['init', '-backend=false', '-input=false', '-no-color'], dir);
    assert.is(init.code, 0, init.stderr);
    const validate = await terraform(['validate', '-no-color'], dir);
    assert.is(validate.code, 0, validate.stderr + validate.stdout);
    assert.match(validate.stdout, /The configuration is valid/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the literal `cd terraform && terraform init -backend=false && terraform validate`, no CLI config at all', () => {
  // terraform.d/plugins links to the provider mirror where there is one (Terraform's implied
  // local mirror); elsewhere the link dangles and init uses the public registry.
  if (!existsSync('/opt/tf-plugins')) return;
  const dir = mkdtempSync(join(tmpdir(), 'tf-plain-'));
  try {
    cpSync('terraform', dir, { recursive: true, verbatimSymlinks: true, filter: (src) => !/\.terraform(\/|$)|tfstate|_override\.tf\.json$/.test(src) });
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'no-such-terraformrc'), CHECKPOINT_DISABLE: '1' };
    const init = spawnSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
    assert.is(init.status, 0, init.stderr);
    const validate = spawnSync('terraform', ['validate', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
    assert.is(validate.status, 0, validate.stderr);
    assert.match(validate.stdout, /The configuration is valid/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate rejects a broken config (the check can fail)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-validate-'));
  try {
    cpSync('terraform/cdk.tf.json', join(dir, 'cdk.tf.json'));
    cpSync('terraform/cdk.tf.json', join(dir, 'again.tf.json'));
    await terraform(['init', '-backend=false', '-input=false', '-no-color'], dir);
    const validate = await terraform(['validate', '-no-color'], dir);
    assert.is.not(validate.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
