// Plain terraform, no Node: `terraform init -backend=false && terraform validate` on copies of the
// thin root terraform/ and of the module alone, offline through the project's CLI config where the
// provider mirror exists; no warnings either.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyConfig, terraform } from '../../workers/local/terraform.js';

const validateJson = async (dir: string) => {
  const init = await terraform(['init', '-backend=false', '-input=false', '-no-color'], dir);
  assert.is(init.code, 0, init.stderr);
  const validate = await terraform(['validate', '-json', '-no-color'], dir);
  return { code: validate.code, report: JSON.parse(validate.stdout) as { valid: boolean; warning_count: number; diagnostics: unknown[] } };
};

test('terraform init -backend=false and validate succeed on the committed root, with no warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-validate-'));
  try {
    copyConfig('terraform', dir);
    const { code, report } = await validateJson(dir);
    assert.is(code, 0, JSON.stringify(report.diagnostics));
    assert.ok(report.valid);
    assert.is(report.warning_count, 0, JSON.stringify(report.diagnostics));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the module validates on its own, with no warning (no provider or backend block to ignore)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-validate-module-'));
  try {
    cpSync('terraform/modules/ecommerce-pipeline', dir, { recursive: true });
    const { code, report } = await validateJson(dir);
    assert.is(code, 0, JSON.stringify(report.diagnostics));
    assert.is(report.warning_count, 0, JSON.stringify(report.diagnostics));
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
    copyConfig('terraform', dir);
    cpSync('terraform/cdk.tf.json', join(dir, 'again.tf.json'));
    await terraform(['init', '-backend=false', '-input=false', '-no-color'], dir);
    const validate = await terraform(['validate', '-no-color'], dir);
    assert.is.not(validate.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
