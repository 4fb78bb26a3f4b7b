// terraform/ is committed for teams without Node; it must be exactly what main.ts synthesizes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthInto } from '../../infra/synth.js';

test('a fresh synth equals the committed terraform/cdk.tf.json (run `make synth` and commit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synth-'));
  try {
    const fresh = readFileSync(synthInto(dir), 'utf8');
    const committed = readFileSync('terraform/cdk.tf.json', 'utf8');
    assert.ok(fresh === committed, 'terraform/cdk.tf.json is stale: run `make synth` and commit it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('terraform/ holds only what teams need: the config and the documented examples', () => {
  const committed = readdirSync('terraform').filter((f) => !f.startsWith('.') && !f.endsWith('.tfplan') && !f.endsWith('_override.tf.json') && !f.startsWith('terraform.tfstate'));
  assert.equal(committed.sort(), ['backend.s3.example.hcl', 'cdk.tf.json', 'example.tfvars', 'terraform.d']);
});

test.run();
