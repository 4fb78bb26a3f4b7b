// The local-only provider override covers every service the committed config talks to, and local
// mode never writes next to the committed config.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OFFLINE_CLI_CONFIG, PROVIDER_MIRROR, prepareLocal, providerOverride, terraformEnv,
} from '../../workers/local/terraform.js';

const config = JSON.parse(readFileSync('terraform/modules/ecommerce-pipeline/main.tf.json', 'utf8')) as {
  resource: Record<string, unknown>;
  data: Record<string, unknown>;
};

/** The provider endpoint each resource or data source type is served by; undefined: no API call. */
const serviceOf = (type: string): string | undefined => {
  const rules: Array<[RegExp, string | undefined]> = [
    [/^aws_s3_/, 's3'], [/^aws_dynamodb_/, 'dynamodb'], [/^aws_sqs_/, 'sqs'], [/^aws_sns_/, 'sns'],
    [/^aws_cloudwatch_event_/, 'events'], [/^aws_cloudwatch_log_/, 'logs'], [/^aws_cloudwatch_(metric_alarm|dashboard)$/, 'cloudwatch'],
    [/^aws_lambda_/, 'lambda'], [/^aws_iam_policy_document$/, undefined], [/^aws_iam_/, 'iam'], [/^aws_ecs_/, 'ecs'],
    [/^aws_sfn_/, 'sfn'], [/^aws_scheduler_/, 'scheduler'], [/^aws_glue_/, 'glue'], [/^aws_athena_/, 'athena'], [/^aws_caller_identity$/, 'sts'], [/^aws_(region|partition)$/, undefined],
  ];
  const rule = rules.find(([pattern]) => pattern.test(type));
  if (!rule) throw new Error(`no service known for ${type}: extend this map and providerOverride`);
  return rule[1];
};

test('the override points every service the config uses at the endpoint', () => {
  const override = providerOverride('http://127.0.0.1:1');
  const endpoints = override.provider.aws[0]!.endpoints[0]!;
  const types = [...Object.keys(config.resource), ...Object.keys(config.data)];
  assert.ok(types.length > 20);
  for (const type of types) {
    const service = serviceOf(type);
    if (service) assert.is((endpoints as Record<string, string>)[service], 'http://127.0.0.1:1', `${type} → ${service}`);
  }
});

test('an aliased provider is overridden by its alias (override files merge provider blocks by name and alias)', () => {
  assert.is(providerOverride('http://127.0.0.1:1', 'us-east-1', 'shop').provider.aws[0]!.alias, 'shop');
  assert.not.ok('alias' in providerOverride('http://127.0.0.1:1').provider.aws[0]!);
});

test('the override carries what moto needs and no real credentials', () => {
  const aws = providerOverride('http://127.0.0.1:1').provider.aws[0]!;
  assert.is(aws.skip_credentials_validation, true);
  assert.is(aws.skip_metadata_api_check, true);
  assert.is(aws.skip_requesting_account_id, true);
  assert.is(aws.s3_use_path_style, true);
  assert.ok(aws.max_retries <= 3);
  assert.equal([aws.access_key, aws.secret_key], ['test', 'test']);
});

test('terraform runs offline through the project CLI config where the mirror exists', () => {
  const env = terraformEnv({});
  assert.is(env['CHECKPOINT_DISABLE'], '1');
  assert.is(env['TF_CLI_CONFIG_FILE'], existsSync(PROVIDER_MIRROR) ? OFFLINE_CLI_CONFIG : undefined);
  const rc = readFileSync(OFFLINE_CLI_CONFIG, 'utf8');
  assert.match(rc, /filesystem_mirror\s*\{\s*path\s*=\s*"\/opt\/tf-plugins"\s*include\s*=\s*\["registry\.terraform\.io\/\*\/\*"\]/);
  assert.match(rc, /direct\s*\{\s*exclude\s*=\s*\["registry\.terraform\.io\/\*\/\*"\]/);
  assert.match(rc, /disable_checkpoint\s*=\s*true/);
});

test('local mode works in its own directory: terraform/ gains no override, variables or state', async () => {
  const before = readdirSync('terraform').sort();
  const dir = mkdtempSync(join(tmpdir(), 'local-stack-'));
  try {
    await prepareLocal({ endpoint: 'http://127.0.0.1:1', dir, vars: { environment: 'unit' } });
    assert.ok(existsSync(join(dir, 'local_override.tf.json')));
    assert.ok(existsSync(join(dir, 'cdk.tf.json')));
    assert.ok(existsSync(join(dir, 'modules', 'ecommerce-pipeline', 'main.tf.json')), 'the module the root calls is copied too');
    assert.equal(JSON.parse(readFileSync(join(dir, 'caller.tfvars.json'), 'utf8')), { environment: 'unit' });
    assert.equal(readdirSync('terraform').sort(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
