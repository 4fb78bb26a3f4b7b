// terraform/ is committed for teams without Node; it must be exactly what main.ts synthesizes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizedFiles } from '../../infra/synth.js';

test('a fresh synth equals the committed thin root and module (run `make synth` and commit)', () => {
  const files = synthesizedFiles();
  assert.equal(Object.keys(files).sort(), ['cdk.tf.json', join('modules', 'ecommerce-pipeline', 'main.tf.json')]);
  for (const [file, fresh] of Object.entries(files)) {
    const path = join('terraform', file);
    assert.ok(existsSync(path), `${path} missing: run \`make synth\` and commit it`);
    assert.ok(fresh === readFileSync(path, 'utf8'), `${path} is stale: run \`make synth\` and commit it`);
  }
});

test('terraform/ holds only what teams need: the root, the module, the example and the documented samples', () => {
  const committed = readdirSync('terraform').filter((f) => !f.startsWith('.') && !f.endsWith('.tfplan') && !f.endsWith('_override.tf.json') && !f.startsWith('terraform.tfstate'));
  assert.equal(committed.sort(), ['backend.s3.example.hcl', 'cdk.tf.json', 'example.tfvars', 'examples', 'modules', 'terraform.d']);
  assert.equal(readdirSync('terraform/modules/ecommerce-pipeline').sort(), ['main.tf.json']);
});

test.run();
