// The limits and semantics real AWS enforces and moto does not (issue 9), checked on the
// synthesized Terraform: expressions are evaluated by terraform itself where they matter.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resource, resources, synthesized } from '../support/synth.js';
import { evaluate, unwrap } from '../support/tf-console.js';
import { FARGATE_MEMORY_BY_CPU, isFargateSize } from '../../infra/fargate.js';
import { recheckScheduleName } from '../../workers/aggregator/settle.js';
import { batchIdOf } from '../../workers/core/manifest.js';
import { forcedName } from '../../workers/reprocess/reprocess.js';
import { LOCAL_DEFAULT_VARS } from '../../workers/local/terraform.js';

const { variable, terraform, locals } = synthesized().json as unknown as {
  variable: Record<string, { default?: unknown; validation: Array<{ condition: string }> }>;
  terraform: { required_version: string };
  locals: Record<string, string>;
};

// ---- names ----------------------------------------------------------------------------------

/** AWS's length limit of each name attribute (and S3's character rules for buckets). */
const NAME_LIMITS: Record<string, Record<string, number>> = {
  aws_s3_bucket: { bucket: 63 },
  aws_sqs_queue: { name: 80 },
  aws_cloudwatch_event_rule: { name: 64 },
  aws_cloudwatch_event_target: { target_id: 64 },
  aws_lambda_function: { function_name: 64 },
  aws_iam_role: { name: 64 },
  aws_iam_role_policy: { name: 128 },
  aws_iam_policy: { name: 128 },
  aws_sfn_state_machine: { name: 80 },
  aws_ecs_cluster: { name: 255 },
  aws_ecs_task_definition: { family: 255 },
  aws_dynamodb_table: { name: 255 },
  aws_sns_topic: { name: 256 },
  aws_cloudwatch_log_group: { name: 512 },
  aws_cloudwatch_metric_alarm: { alarm_name: 255 },
  aws_cloudwatch_dashboard: { dashboard_name: 255 },
  aws_scheduler_schedule_group: { name: 64 },
  aws_scheduler_schedule: { name: 64 },
  aws_glue_catalog_database: { name: 255 },
  aws_glue_catalog_table: { name: 255 },
  aws_athena_workgroup: { name: 128 },
  aws_athena_named_query: { name: 128 },
  aws_kms_alias: { name: 256 },
};
const NAME_ATTRIBUTES = ['name', 'bucket', 'function_name', 'family', 'alarm_name', 'dashboard_name', 'target_id'];
/** Resource types whose `name`-like attribute is no AWS resource name (or is checked elsewhere). */
const NOT_NAMES: Record<string, string[]> = { aws_sqs_queue_policy: [], aws_dynamodb_table_item: [], aws_lambda_event_source_mapping: [] };
/** bucket_suffix at its longest: "-" and 8 characters. */
const LONGEST_SUFFIX = '-' + 'x'.repeat(8);

const namesOf = () =>
  Object.entries(synthesized().json.resource).flatMap(([type, byId]) =>
    Object.entries(byId).flatMap(([id, block]) =>
      NAME_ATTRIBUTES.filter(
        // a reference to another resource (a sub-resource naming its bucket) is that resource's name
        (a) => typeof block[a] === 'string' && !(type in NOT_NAMES) && !/^\$\{(aws_|data\.)[^}]*\}$/.test(block[a] as string),
      ).map((attribute) => ({
        type,
        id,
        attribute,
        template: block[attribute] as string,
      })),
    ),
  );

const render = (template: string, prefix: string, environment: string): string => {
  // Glue names swap hyphens for underscores: same length, same check
  const replaced = /^\$\{replace\("(.*)", "-", "_"\)\}$/.exec(template);
  if (replaced) return render(replaced[1]!, prefix, environment).replace(/-/g, '_');
  const out = template
    .split('${var.name_prefix}').join(prefix)
    .split('${var.environment}').join(environment)
    .split('${local.bucket_suffix}').join(LONGEST_SUFFIX);
  if (out.includes('${')) throw new Error(`cannot evaluate name ${template}`);
  return out;
};

const prefixArb = fc
  .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.stringMatching(/^[a-z0-9-]{1,30}$/), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'))
  .map(([a, b, c]) => `${a}${b}${c}`);
const envArb = fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.stringMatching(/^[a-z0-9]{0,11}$/)).map(([a, b]) => `${a}${b}`);

test('the variables allow name_prefix up to 32 and environment up to 12 characters (the longest the property uses)', () => {
  const [prefixOk, prefixLong, envOk, envLong] = evaluate(
    [
      unwrap(variable['name_prefix']!.validation[0]!.condition),
      unwrap(variable['name_prefix']!.validation[0]!.condition).split('var.name_prefix').join('"a' + 'b'.repeat(32) + '"'),
      unwrap(variable['environment']!.validation[0]!.condition),
      unwrap(variable['environment']!.validation[0]!.condition).split('var.environment').join('"a' + 'b'.repeat(12) + '"'),
    ],
    { name_prefix: 'a' + 'b'.repeat(31), environment: 'a' + 'b'.repeat(11) },
  );
  assert.equal([prefixOk, prefixLong, envOk, envLong], [true, false, true, false]);
});

test('every resource name fits its AWS limit at every allowed name_prefix and environment (the longest included)', () => {
  const names = namesOf();
  for (const n of names) assert.ok(NAME_LIMITS[n.type]?.[n.attribute], `no known AWS limit for ${n.type}.${n.attribute} (${n.id}): add it here`);
  const check = (prefix: string, environment: string) => {
    for (const n of names) {
      const name = render(n.template, prefix, environment);
      const limit = NAME_LIMITS[n.type]![n.attribute]!;
      assert.ok(name.length <= limit, `${n.type}.${n.id} ${n.attribute} "${name}" is ${name.length} > ${limit}`);
      if (n.type === 'aws_s3_bucket') assert.match(name, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, name);
    }
  };
  check('a' + 'b'.repeat(31), 'e' + 'f'.repeat(11));
  fc.assert(fc.property(prefixArb, envArb, (p, e) => check(p, e)));
});

test('names made at run time fit too: schedule names (64), execution names (80)', () => {
  const id = batchIdOf([{ key: 'orders/x.csv', etag: 'e' }]);
  assert.ok(recheckScheduleName(id).length <= 64);
  assert.ok(id.length <= 80 && forcedName(id, Date.now()).length <= 80);
});

// ---- buckets ----------------------------------------------------------------------------------

test('bucket names are unique by default (account id hash), overridable, and the override is validated', () => {
  const account = '123456789012';
  const expression = unwrap(locals['bucket_suffix']!).split('data.aws_caller_identity.caller.account_id').join(`"${account}"`);
  const suffix = (v: string) => evaluate([expression], { bucket_suffix: v })[0];
  assert.is(variable['bucket_suffix']!.default, 'account');
  assert.is(suffix('account'), `-${createHash('sha1').update(account).digest('hex').slice(0, 8)}`);
  assert.is(suffix(''), '');
  assert.is(suffix('team42'), '-team42');
  const condition = unwrap(variable['bucket_suffix']!.validation[0]!.condition);
  assert.equal(evaluate([condition], { bucket_suffix: 'team42' }), [true]);
  assert.equal(evaluate([condition], { bucket_suffix: 'TooLong123' }), [false]);
});

test('each bucket policy waits for its public-access block (S3 OperationAborted on parallel changes)', () => {
  for (const [id, policy] of resources('aws_s3_bucket_policy')) {
    const bucket = id.replace(/_policy$/, '');
    assert.ok(((policy['depends_on'] as string[]) ?? []).includes(`aws_s3_bucket_public_access_block.${bucket}_public_access_block`), id);
  }
});

test('landing expires delete markers left alone; archive expiry is at least transition + Glacier minimum (90 days)', () => {
  const rules = resource('aws_s3_bucket_lifecycle_configuration', 'landing_lifecycle')['rule'] as Array<Record<string, unknown>>;
  assert.ok(rules.some((r) => JSON.stringify(r['expiration']) === JSON.stringify([{ expired_object_delete_marker: true }])));
  const lake = resource('aws_s3_bucket_lifecycle_configuration', 'lake_lifecycle')['rule'] as Array<{ id: string; transition?: Array<{ days: number }> }>;
  const transition = lake.find((r) => r.id === 'archive-to-glacier-then-expire')!.transition![0]!.days;
  const condition = unwrap(variable['archive_expiration_days']!.validation[0]!.condition);
  const ok = (days: number) => evaluate([condition], { archive_expiration_days: days })[0];
  assert.is(ok(transition + 90), true);
  assert.is(ok(transition + 89), false);
  assert.ok(Number(variable['archive_expiration_days']!.default) >= transition + 90);
});

// ---- Fargate ----------------------------------------------------------------------------------

test('Fargate task sizes: the table', () => {
  for (const [cpu, memory] of [[256, 512], [256, 2048], [512, 4096], [1024, 8192], [2048, 16384], [4096, 30720], [8192, 61440], [16384, 122880]])
    assert.ok(isFargateSize(cpu!, memory!), `${cpu}/${memory}`);
  for (const [cpu, memory] of [[256, 1536], [256, 2560], [256, 4096], [512, 512], [1024, 1024], [4096, 31744], [8192, 18432], [16384, 36864], [384, 1024]])
    assert.not.ok(isFargateSize(cpu!, memory!), `${cpu}/${memory}`);
});

test('the memory variables accept exactly the pairs of the table (terraform evaluates the synthesized validation)', () => {
  for (const worker of ['validate', 'transform']) {
    const condition = unwrap(variable[`${worker}_memory`]!.validation[0]!.condition);
    const cpus = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);
    const memories = Array.from({ length: 240 }, (_, i) => (i + 1) * 512);
    // one for-expression over the whole grid: the condition with the variables bound by the loop
    const body = condition.split(`var.${worker}_cpu`).join('c').split(`var.${worker}_memory`).join('m');
    const [accepted] = evaluate([`[for c in [${cpus.join(', ')}] : [for m in [${memories.join(', ')}] : ${body}]]`]) as [boolean[][]];
    cpus.forEach((cpu, i) => memories.forEach((memory, j) => assert.is(accepted[i]![j], isFargateSize(cpu, memory), `${worker} ${cpu}/${memory}`)));
    assert.ok(isFargateSize(Number(variable[`${worker}_cpu`]!.default), Number(variable[`${worker}_memory`]!.default)), 'the defaults are a pair');
  }
});

// ---- Terraform, tables, task definitions ------------------------------------------------------

test('required_version admits no Terraform older than the backend example needs (use_lockfile: 1.10)', () => {
  const example = readFileSync('terraform/backend.s3.example.hcl', 'utf8');
  const min = /^>=\s*(\d+)\.(\d+)/.exec(terraform.required_version)!;
  const minor = Number(min[1]) * 1000 + Number(min[2]);
  if (/^\s*use_lockfile\s*=\s*true/m.test(example)) assert.ok(minor >= 1010, terraform.required_version);
  assert.ok(minor >= 1009, 'validations that read another variable need 1.9');
});

test('deletion protection on both KPI tables (on by default; the local runtime, which destroys its stack, turns it off)', () => {
  for (const table of ['category_kpis', 'order_kpis'])
    assert.is(resource('aws_dynamodb_table', table)['deletion_protection_enabled'], '${var.kpi_table_deletion_protection}', table);
  assert.is(variable['kpi_table_deletion_protection']!.default, true);
  assert.is(LOCAL_DEFAULT_VARS['kpi_table_deletion_protection'], false);
});

test('the task definitions run on the CPU architecture of the image, a validated variable', () => {
  for (const td of ['validate_task', 'transform_task'])
    assert.equal(resource('aws_ecs_task_definition', td)['runtime_platform'], { cpu_architecture: '${var.cpu_architecture}', operating_system_family: 'LINUX' });
  const condition = unwrap(variable['cpu_architecture']!.validation[0]!.condition);
  assert.equal(['X86_64', 'ARM64', 'arm64'].map((a) => evaluate([condition], { cpu_architecture: a })[0]), [true, true, false]);
});

test.run();
