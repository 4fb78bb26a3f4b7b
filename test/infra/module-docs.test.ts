// README "Use it from your own Terraform": its inputs and outputs tables are the module's own
// variables and outputs (regenerate with `make docs`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { inputsTable, outputsTable, withModuleTables, INPUTS_BEGIN, INPUTS_END } from '../../infra/module-docs.js';

const readme = readFileSync('README.md', 'utf8');
const module = JSON.parse(readFileSync('terraform/modules/ecommerce-pipeline/main.tf.json', 'utf8')) as Parameters<typeof withModuleTables>[1];

test('the README tables are what the committed module declares (run `make docs`)', () => {
  assert.ok(withModuleTables(readme, module) === readme, 'README module tables are stale: run `make docs`');
});

test('one row per variable and per output, required inputs marked, pipes escaped', () => {
  const inputs = inputsTable(module.variable).split('\n');
  assert.is(inputs.length, 2 + Object.keys(module.variable).length);
  assert.ok(inputs.some((row) => row.startsWith('| `subnet_ids` | `list(string)` | **required** |')));
  assert.ok(inputs.some((row) => row.startsWith('| `log_level` | `string` | `"info"` |')));
  assert.is(outputsTable(module.output).split('\n').length, 2 + Object.keys(module.output).length);
  assert.match(inputsTable({ x: { type: 'string', description: 'a | b' } }), /a \\\| b/);
});

test('a changed module changes the tables; missing markers are an error', () => {
  const grown = { ...module, variable: { ...module.variable, zz_new: { type: 'string', default: '', description: 'a new knob' } } };
  assert.ok(withModuleTables(readme, grown) !== readme);
  assert.throws(() => withModuleTables(readme.replace(INPUTS_END, ''), module), /markers/);
  assert.throws(() => withModuleTables(readme.replace(INPUTS_BEGIN, ''), module), /markers/);
});

test.run();
