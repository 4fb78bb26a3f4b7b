// The committed Terraform is a child module (the stack without provider and backend) and a thin
// root calling it: what a platform team needs to call it from its own root with count, for_each
// and its own provider (issue 13).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MODULE_NAME, MODULE_PROVIDER_RANGE, moduleOf, rootOf, synthStack, type TerraformJson } from '../../infra/synth.js';

const stack = synthStack();
const module = moduleOf(stack);
const root = rootOf(stack, module) as {
  terraform: Record<string, unknown>;
  provider: Record<string, unknown>;
  variable: Record<string, Record<string, unknown>>;
  module: Record<string, Record<string, unknown>>;
  output: Record<string, { value: string; description: string }>;
  moved: Array<{ from: string; to: string }>;
  resource?: unknown;
  data?: unknown;
};

test('the module has no provider and no backend, and accepts a provider range that includes 5.100', () => {
  assert.not.ok('provider' in module);
  assert.not.ok('backend' in module.terraform);
  assert.equal(module.terraform['required_providers'], { aws: { source: 'hashicorp/aws', version: MODULE_PROVIDER_RANGE } });
  assert.is(MODULE_PROVIDER_RANGE, '>= 5.100.0, < 6.0.0');
  assert.is(module.terraform['required_version'], '>= 1.10.0');
});

test('the module holds every resource and data source of the stack, unchanged', () => {
  assert.equal(module.resource, stack.resource);
  assert.equal(module.data, stack.data);
  assert.ok(Object.keys(module.resource).length > 20);
});

test('module variables: all of the stack\'s but the provider\'s region, each described and validated', () => {
  assert.equal(Object.keys(module.variable).sort(), Object.keys(stack.variable).filter((n) => n !== 'region').sort());
  for (const [name, v] of Object.entries(module.variable)) {
    assert.ok(String(v['description'] ?? '').length > 10, `${name}: no description`);
    assert.ok(Array.isArray(v['validation']) && v['validation'].length > 0, `${name}: no validation`);
  }
  for (const [name, o] of Object.entries(module.output)) assert.ok(String(o['description'] ?? '').length > 10, `${name}: no description`);
});

test('moduleOf refuses a stack whose resources read the root-only region variable (the split can fail)', () => {
  const leaky: TerraformJson = { ...stack, resource: { ...stack.resource, aws_sns_topic: { t: { name: '${var.region}' } } } };
  assert.throws(() => moduleOf(leaky), /root-only variables: region/);
});

test('the thin root: backend, pinned provider, one module call passing every module variable, no resources', () => {
  assert.equal(root.terraform['backend'], { local: { path: 'terraform.tfstate' } });
  assert.equal(root.terraform['required_providers'], { aws: { source: 'hashicorp/aws', version: '5.100.0' } });
  assert.equal(root.provider, stack.provider);
  assert.equal(root.variable, stack.variable);
  assert.not.ok('resource' in root);
  assert.not.ok('data' in root);
  assert.equal(Object.keys(root.module), [MODULE_NAME]);
  const { source, ...args } = root.module[MODULE_NAME]!;
  assert.is(source, './modules/ecommerce-pipeline');
  assert.equal(args, Object.fromEntries(Object.keys(module.variable).map((n) => [n, `\${var.${n}}`])));
});

test('the root re-exports every module output with its description', () => {
  assert.equal(Object.keys(root.output).sort(), Object.keys(module.output).sort());
  for (const [name, o] of Object.entries(root.output)) {
    assert.is(o.value, `\${module.${MODULE_NAME}.${name}}`);
    assert.is(o.description, module.output[name]!['description']);
  }
});

test('a moved block for every resource: state of the old one-file root follows into the module', () => {
  const addresses = Object.entries(module.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
  assert.equal(root.moved.map((m) => m.from).sort(), addresses.sort());
  for (const m of root.moved) assert.is(m.to, `module.${MODULE_NAME}.${m.from}`);
});

test.run();
