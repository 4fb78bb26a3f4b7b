// End to end under faults (issue 14 item 12), on one `terraform apply` for the suite: every SDK
// call of the pipeline (aggregator, state machine bindings, worker bundles, reprocess) goes through
// the fault proxy of test/support/fault-proxy.ts in front of moto.
// - 10 % of S3 and DynamoDB requests fail transiently: the execution succeeds through retries (or
//   fails cleanly and a re-run succeeds); KPIs exact; lock released.
// - SIGKILL at a named point of each worker (workers/io/crash-point.ts): mid-read and before the
//   batch record (validate), mid DynamoDB writes and mid-archive (transform). The execution fails
//   cleanly, and `reprocess --force` (itself under 10 % faults) gives the exact KPIs with no orphan
//   left visible.
// The faults injected and survived are printed at the end (the counts go in the closing report).
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchRecordKey, parseCleanedKey } from '../../workers/core/lake-layout.js';
import type { ExecutionOutcome } from '../../workers/local/execution-driver.js';
import { deployLocalStack, type LocalStack } from '../../workers/local/local-stack.js';
import { startMoto } from '../../workers/local/moto-server.js';
import { startRuntime, type LocalRuntime } from '../../workers/local/runtime.js';
import { stackEnv } from '../../workers/local/stack-outputs.js';
import { startFaultProxy, totalFaults, type FaultCounts, type FaultProxy } from '../support/fault-proxy.js';
import { comparable, generateShop, listKeys, lockHolder, referenceKpis, ROOT, runCli, tableKpis, taggedPlan, upload } from './support.js';

let local: LocalStack;
let runtime: LocalRuntime;
let proxy: FaultProxy;
/** Straight to moto, never faulted: the shop's own uploads are not under test. */
let direct: S3Client;
const accepted: string[] = [];
const survived: Array<{ scenario: string; counts: FaultCounts }> = [];

const within = async <T>(ms: number, what: string, p: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const finished = async (before: number, n: number, ms = 150_000): Promise<ExecutionOutcome[]> => {
  await within(ms, `${n} execution(s)`, runtime.driver.waitForOutcomes(before + n, ms));
  await runtime.settle(ms, 2000);
  return runtime.driver.outcomes().slice(before);
};

const batchOf = (o: ExecutionOutcome) => (o.input as { batch_id: string }).batch_id;
const cliEnv = () => ({ ...process.env, ...stackEnv(local.stack) });

const uploadShop = async (shop: string, tag: string): Promise<ReadonlyArray<string>> => {
  const plan = await taggedPlan(shop, tag);
  await direct.send(new PutObjectCommand({ Bucket: local.stack.landingBucket, Key: `${tag}/_manifest.json`, Body: JSON.stringify({ keys: plan.map((p) => p.key) }) }));
  for (const item of plan) await upload(direct, local.stack.landingBucket, item);
  return plan.map((p) => p.key);
};

/** KPIs exact, lock free, landing empty, the batch archived whole, and no cleaned file without its batch record. */
const assertConsistent = async (label: string, batch: string, keys: ReadonlyArray<string>) => {
  const [actual, expected] = comparable(await tableKpis(local.stack.orderKpiTable, local.stack.categoryKpiTable), await referenceKpis(accepted));
  assert.ok(actual.order.length > 0, `${label}: the tables hold KPIs`);
  assert.equal(actual.order, expected.order, `${label}: order KPIs = run-local's`);
  assert.equal(actual.category, expected.category, `${label}: category KPIs = run-local's`);
  assert.is(await lockHolder(local.stack.lockTable), undefined, `${label}: lock released`);
  assert.equal(await listKeys(local.stack.landingBucket), [], `${label}: landing empty`);
  assert.equal(await listKeys(local.stack.lakeBucket, `archive/${batch}/`), keys.map((k) => `archive/${batch}/${k}`).sort(), `${label}: archived whole`);
  const records = new Set(await listKeys(local.stack.lakeBucket, 'cleaned/_batches/'));
  const orphans = (await listKeys(local.stack.lakeBucket, 'cleaned/'))
    .map((k) => [k, parseCleanedKey(k)] as const)
    .filter(([, parsed]) => parsed !== undefined && !records.has(batchRecordKey(parsed.batchId)))
    .map(([k]) => k);
  assert.equal(orphans, [], `${label}: every cleaned file belongs to a published batch`);
  assert.equal(await listKeys(local.stack.lakeBucket, `quarantine/${batch}/files/`), [], `${label}: no stale quarantined files`);
};

const reprocess = async (batch: string) => {
  const rerun = await within(150_000, 'reprocess', runCli('reprocess', ['--batch', batch, '--force', '--timeout', '140'], cliEnv()));
  // Files copied back to landing raise events the poller still plays, under faults too: wait
  // for them on a loaded machine as the other scenarios do (a bound, not a timing assertion).
  await runtime.settle(120_000);
  return rerun;
};

test.before(async () => {
  process.env.LOG_LEVEL ??= 'warn';
  // Terraform applies through the proxy too (faults off), so the URLs moto hands out (SQS queue
  // URLs) name the proxy and every later call goes through it.
  const moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint, { seed: 14 });
  const viaProxy = { ...moto, endpoint: proxy.url, env: { ...moto.env, AWS_ENDPOINT_URL: proxy.url } };
  // uvu swallows an error thrown in a hook (run-tests.mjs only sees the missing passes): say it
  local = await within(240_000, 'terraform apply', deployLocalStack({ root: ROOT, moto: viaProxy })).catch((error: Error) => {
    console.error(`faults suite: ${error.message}`);
    throw error;
  });
  direct = new S3Client({ forcePathStyle: true, endpoint: moto.endpoint });
  runtime = await startRuntime({
    stack: local.stack,
    awsEnv: viaProxy.env,
    root: ROOT,
    waitTimeOverrides: { WaitForLock: 1000 },
    taskOutput: () => undefined,
  });
});

test.after(async () => {
  await runtime?.stop();
  await proxy?.close();
  await local?.stop();
  for (const { scenario, counts } of survived) {
    console.log(`faults survived, ${scenario}: ${totalFaults(counts)} of ${counts.requests.s3 + counts.requests.dynamodb} S3+DynamoDB requests (${JSON.stringify(counts)})`);
  }
});

test('10 % of S3 and DynamoDB requests fail transiently: the batch succeeds (through retries or one re-run), KPIs exact, lock released', async () => {
  const shop = await generateShop(['--items', '1500', '--format', 'mixed', '--parts', '2', '--seed', 'faults-a', '--days', '20']);
  const before = runtime.driver.outcomes().length;
  proxy.resetCounts();
  proxy.setRate(0.1);
  try {
    const keys = await uploadShop(shop, 'fa');
    const [outcome] = await finished(before, 1);
    const batch = batchOf(outcome!);
    if (outcome!.status !== 'SUCCEEDED') {
      // failing cleanly is allowed: the lock is free and a re-run (under the same faults) succeeds
      assert.ok(outcome!.path.some((s) => s.startsWith('ReleaseLock')), `${outcome!.error}: released on the way out`);
      const rerun = await reprocess(batch);
      assert.is(rerun.code, 0, rerun.stderr);
    }
    proxy.setRate(0);
    accepted.push(shop);
    const counts = proxy.counts();
    assert.ok(totalFaults(counts) > 0, `faults were injected: ${JSON.stringify(counts)}`);
    assert.ok((counts.faults.s3.InternalError ?? 0) + (counts.faults.s3.SlowDown ?? 0) > 0 && Object.keys(counts.faults.dynamodb).length > 0);
    survived.push({ scenario: `10 % faults (${outcome!.status === 'SUCCEEDED' ? 'succeeded through retries' : 'one re-run'})`, counts });
    await assertConsistent('under faults', batch, keys);
  } finally {
    proxy.setRate(0);
  }
});

const KILLS = [
  ['validate:mid-read', 'Validate'],
  ['validate:before-record', 'Validate'],
  ['transform:mid-kpi-writes', 'Transform'],
  ['transform:mid-archive', 'Transform'],
] as const;

for (const [i, [point, state]] of KILLS.entries()) {
  test(`SIGKILL at ${point}: the execution fails cleanly; reprocess --force gives exact KPIs, no orphan`, async () => {
    // overlapping dates with the batches before it, so a half-written batch would show in their KPIs
    const shop = await generateShop(['--items', '900', '--format', 'mixed', '--parts', '2', '--seed', `faults-kill-${i}`, '--days', '12', '--start-date', `2024-01-${String(5 + 3 * i).padStart(2, '0')}`]);
    runtime.taskEnv.PIPELINE_CRASH_AT = point;
    const onceDir = await mkdtemp(join(tmpdir(), 'crash-once-'));
    runtime.taskEnv.PIPELINE_CRASH_ONCE_DIR = onceDir;
    try {
      const before = runtime.driver.outcomes().length;
      const keys = await uploadShop(shop, `k${i}`);
      const [outcome] = await finished(before, 1);
      assert.is(outcome!.status, 'FAILED', `killed at ${point}: ${outcome!.status}`);
      assert.ok(outcome!.path.includes(state), outcome!.path.join(' > '));
      assert.ok(outcome!.path.includes('ReleaseLockOnFailure'), outcome!.path.join(' > '));
      assert.ok(existsSync(join(onceDir, point.replace(':', '_'))), `the worker reached ${point} and killed itself`);
      assert.is(await lockHolder(local.stack.lockTable), undefined, 'lock released after the kill');
      const batch = batchOf(outcome!);
      // the point fires once: the re-run passes it, under 10 % faults as well
      proxy.resetCounts();
      proxy.setRate(0.1);
      const rerun = await reprocess(batch).finally(() => proxy.setRate(0));
      survived.push({ scenario: `re-run after a kill at ${point}`, counts: proxy.counts() });
      assert.is(rerun.code, 0, `${rerun.stdout}\n${rerun.stderr}`);
      assert.match(rerun.stdout, /SUCCEEDED/, `${rerun.stdout}\n${rerun.stderr}`);
      accepted.push(shop);
      await assertConsistent(`after a kill at ${point}`, batch, keys);
    } finally {
      delete runtime.taskEnv.PIPELINE_CRASH_AT;
      delete runtime.taskEnv.PIPELINE_CRASH_ONCE_DIR;
    }
  });
}

test.run();
