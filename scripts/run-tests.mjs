// Runs every test file under uvu and fails unless every test ran and passed. uvu 0.5 swallows an
// error thrown in a before/after hook (its runner returns from `finally`): the suite then counts
// its tests in Total but not in Passed and still exits 0. Comparing the totals closes that hole.
import { spawn } from 'node:child_process';

// TESTS narrows the files, never widens them: a pattern such as 'local/' must not pick up a
// fixture (test/local/fixtures/…) as a test file.
const pattern = process.argv[2] ? `^(?=.*(?:${process.argv[2]})).*\\.test\\.ts$` : '\\.test\\.ts$';
const args = ['test', pattern, '--no-color'];
const child = spawn('node_modules/.bin/uvu', args, {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code, signal) => {
  const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(out)?.[1] ?? NaN);
  const [total, passed, skipped] = [count('Total'), count('Passed'), count('Skipped')];
  const failed = Number.isFinite(total) ? total - passed - skipped : NaN;
  if (Number.isFinite(failed)) console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (code !== 0 || signal) process.exit(code || 1);
  if (!Number.isFinite(total) || total === 0) {
    console.error('run-tests: no test ran');
    process.exit(1);
  }
  if (failed !== 0) {
    console.error(`run-tests: ${failed} test(s) did not pass (a failing before/after hook hides them from uvu's exit code)`);
    process.exit(1);
  }
});
