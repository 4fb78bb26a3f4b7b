// Every usage error of every CLI is one line on stderr that names the flag (issue 14 item 7): a
// negative number after a flag is that flag's value (refused by its own check), and Node's
// multi-sentence parser errors are rewritten. Runs the bundles in dist/ (make test builds them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'usage-'));
// no AWS settings leak in from the caller: each case is decided by its flags alone
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(LANDING_BUCKET|LAKE_BUCKET|BATCH_|MAX_REJECT_RATE|CATEGORY_KPI_TABLE|ORDER_KPI_TABLE|STATE_MACHINE_ARN|AWS_ENDPOINT_URL)/.test(k)),
);

const CASES: ReadonlyArray<readonly [cli: string, args: ReadonlyArray<string>, flag: string]> = [
  ['validate', ['--input', dir, '--out', dir, '--max-reject-rate', '-1'], '--max-reject-rate'],
  ['validate', ['--input', dir, '--out', dir, '--max-reject-rate', '1.5'], '--max-reject-rate'],
  ['validate', ['--input', dir, '--out', dir, '--batch-id', 'no spaces'], '--batch-id'],
  ['validate', ['--input', dir, '--out'], '--out'],
  ['validate', ['--input', dir, '--out', dir, '--progress=yes'], '--progress'],
  ['validate', ['--input', dir, '--out', dir, '--bogus'], '--bogus'],
  ['run-local', ['--input', dir, '--lake', dir, '--max-reject-rate', '-1'], '--max-reject-rate'],
  ['run-local', ['--input', dir, '--lake', dir, '--batch-id', 'a/b'], '--batch-id'],
  ['generate', ['--out', dir, '--items', '-5'], '--items'],
  ['generate', ['--out', dir, '--items', '10', '--defect-rate', '-0.1'], '--defect-rate'],
  ['generate', ['--out', dir, '--items', '10', '--max-reject-rate', '-1'], '--max-reject-rate'],
  ['generate', ['--out', dir, '--items', '10', '--parts', '-2'], '--parts'],
  ['transform', ['--lake', dir, '--batch-id'], '--batch-id'],
  ['transform', ['--lake', dir, '--batch-id', 'b 1'], '--batch-id'],
  ['kpis', ['--lake', dir, '--date', '-1'], '--date'],
  ['kpis', ['--lake', dir, '--category', 'Jeans', '--from', '2024'], '--from'],
  ['reprocess', ['--all', '--timeout', '-5'], '--timeout'],
  ['reprocess', ['--all', '--from', '2024-1-1'], '--from'],
  ['reprocess', ['--batch'], '--batch'],
  ['demo', ['--keep'], '--keep'],
];

for (const [cli, args, flag] of CASES) {
  test(`${cli} ${args.join(' ').replace(dir, 'DIR').replace(dir, 'DIR')}: one line naming ${flag}`, () => {
    const r = spawnSync(process.execPath, [`dist/${cli}.js`, ...args], { encoding: 'utf8', env, timeout: 30_000 });
    assert.ok(r.status !== 0 && r.status !== null, `exit ${r.status}`);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.is(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.startsWith(`${cli}: `), lines[0]);
    assert.ok(lines[0]!.includes(flag), lines[0]);
  });
}

test.run();
