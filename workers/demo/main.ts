// `make demo`: the whole pipeline on loopback. moto through the project's launcher, the committed
// Terraform applied to it, a generated shop (or DEMO_INPUT) uploaded in parts, the aggregator fed
// by the event poller, the state machine run by the local driver with the workers as child
// processes; then the KPI tables, the validation summary and reports/demo.html (checked in
// headless Chromium). KEEP=1 leaves moto up. Exit 0 when every batch succeeded.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseFlags, UsageError } from '../io/cli.js';
import { s3Store } from '../io/s3-store.js';
import { startDetachedMoto } from '../local/detached-moto.js';
import { deployLocalStack } from '../local/local-stack.js';
import { startRuntime } from '../local/runtime.js';
import { stackEnv } from '../local/stack-outputs.js';
import { findChromium, renderCheck } from './chromium.js';
import { renderReport, type ExecutionSummary, type ValidationSummary } from './html-report.js';
import { kpiRows, validationOf } from './results.js';
import { analystQuery, table } from './analyst-query.js';
import { planUploads, shopFiles, upload } from './upload.js';

const run = promisify(execFile);
const root = resolve(process.env.DEMO_ROOT ?? process.cwd());
const t0 = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** Worker output is JSON lines; the demo shows their messages, not the envelopes. */
const workerLine = (line: string): string | undefined => {
  const m = /^\[(\w+)\] (.*)$/.exec(line);
  if (!m) return line;
  try {
    const j = JSON.parse(m[2]!) as { level?: string; msg?: string } & Record<string, unknown>;
    // EMF metric documents (README "Metrics") are for CloudWatch, not for the demo's reader.
    if (j.level === 'debug' || '_aws' in j) return undefined;
    const { ts: _ts, level: _l, component: _c, msg, ...rest } = j;
    const extra = Object.entries(rest)
      .filter(([, v]) => typeof v !== 'object')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    return `  ${m[1]}: ${msg ?? ''} ${extra}`.slice(0, 180);
  } catch {
    return `  ${m[1]}: ${m[2]}`.slice(0, 180);
  }
};

const pad = (s: string | number, n: number) => String(s).padStart(n);

const USAGE = `Usage: make demo [DEMO_INPUT=DIR] [DEMO_ITEMS=N] [KEEP=1]
       (or: node dist/demo.js, from the repository, after make build)

The whole pipeline on a local moto_server: apply the committed Terraform, upload a generated shop
(or DEMO_INPUT) in parts, let the aggregator and the state machine run, print the KPIs and the
validation summary, write reports/demo.html, stop moto.

Environment:
  DEMO_INPUT=DIR   a shop directory with orders/, order_items/, products/ (default: a generated one)
  DEMO_ITEMS=N     items of the generated shop (default 6000)
  KEEP=1           leave moto running afterwards and print its endpoint and environment
Exit: 0 when every batch succeeded, 1 otherwise.`;

const main = async (): Promise<number> => {
  // The demo takes no flags but --help: anything else is refused before a two-minute run starts.
  const { values } = parseFlags({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  for (const b of ['aggregator', 'validate', 'transform', 'generate', 'kpis']) {
    if (!existsSync(join(root, 'dist', `${b}.js`))) throw new Error(`dist/${b}.js missing: run make build`);
  }
  const keep = process.env.KEEP === '1';
  const input = process.env.DEMO_INPUT ? resolve(process.env.DEMO_INPUT) : undefined;
  const items = Number(process.env.DEMO_ITEMS ?? 6000);

  say('starting moto and applying the committed Terraform (about 90 s; the provider waits on S3 lifecycle and SQS)');
  let last = Date.now();
  const detached = keep ? await startDetachedMoto() : undefined;
  const local = await deployLocalStack({
    root,
    ...(detached ? { moto: detached } : {}),
    log: (line) => {
      if (/Creation complete|Apply complete/.test(line) && Date.now() - last > 5000) {
        last = Date.now();
        say(`  terraform: ${line.trim().slice(0, 120)}`);
      }
    },
  });
  const { stack, moto } = local;
  say(`stack ready on ${moto.endpoint}: landing=${stack.landingBucket} lake=${stack.lakeBucket}`);

  const work = await mkdtemp(join(tmpdir(), 'demo-'));
  const cleanup: Array<() => Promise<void>> = [() => rm(work, { recursive: true, force: true })];
  try {
    let shop = input;
    if (!shop) {
      shop = join(work, 'shop');
      const gen = await run(
        process.execPath,
        [join(root, 'dist/generate.js'), '--items', String(items), '--out', shop, '--format', 'mixed', '--parts', '3', '--defect-rate', '0.01', '--seed', 'demo', '--days', '60'],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      say(`generated a shop of ${items} items: ${gen.stdout.trim().slice(0, 200)}`);
    }
    process.env.LOG_FORMAT = 'text';
    const runtime = await startRuntime({
      stack,
      awsEnv: moto.env,
      root,
      // lock waits of 30 s pass in 1 s here: a waiting batch retries promptly, the lease still
      // spans minutes of real time
      waitTimeOverrides: { WaitForLock: 1000 },
      onState: (execution, state) => say(`${execution.slice(0, 14)}… ${state}`),
      onOutcome: (o) => say(`${o.name} ${o.status}${o.error ? ` (${o.error})` : ''}`),
      taskOutput: (line) => {
        const shown = workerLine(line);
        if (shown) say(shown);
      },
    });
    cleanup.unshift(() => runtime.stop());

    const s3 = new S3Client({ forcePathStyle: true });
    const plan = planUploads(await shopFiles(shop), shop);
    if (plan.length === 0) throw new Error(`no orders/, order_items/ or products/ files under ${shop}`);
    // Several parts per kind make one batch: the manifest names them all, so the batch starts when
    // the last one lands, not when the first part of the last kind does.
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.landingBucket,
        Key: '_manifest.json',
        Body: JSON.stringify({ keys: plan.map((p) => p.key) }),
      }),
    );
    say(`uploaded _manifest.json naming ${plan.length} parts`);
    let kind = '';
    for (const item of plan) {
      const k = item.key.slice(0, item.key.indexOf('/'));
      if (kind !== '' && k !== kind) await sleep(1500); // let the aggregator say what it still misses
      kind = k;
      const bytes = await upload(s3, stack.landingBucket, item);
      say(`uploaded ${item.key} (${(bytes / 1024).toFixed(0)} KiB${item.gzip ? ', gzipped on the way' : ''})`);
    }
    await runtime.settle(150_000, 2500);
    const outcomes = runtime.driver.outcomes();
    if (outcomes.length === 0) throw new Error('no execution ran');
    for (const n of await runtime.notifications.drain()) {
      say(`notification ${n.subject}: ${JSON.stringify(n.message).slice(0, 200)}`);
    }

    const env = { ...process.env, ...moto.env, ...stackEnv(stack), LOG_FORMAT: 'text' };
    const { order, category } = await kpiRows(stack.orderKpiTable, stack.categoryKpiTable);
    process.stdout.write(`\nOrder KPIs (${order.length} dates)\n`);
    process.stdout.write(`${'order_date'.padEnd(12)}${pad('orders', 8)}${pad('revenue', 14)}${pad('items', 8)}${pad('return', 8)}${pad('customers', 11)}\n`);
    for (const r of order) {
      process.stdout.write(
        `${r.order_date.padEnd(12)}${pad(r.total_orders, 8)}${pad(r.total_revenue.toFixed(2), 14)}${pad(r.total_items_sold ?? 0, 8)}${pad((r.return_rate ?? 0).toFixed(4), 8)}${pad(r.unique_customers ?? 0, 11)}\n`,
      );
    }
    const busiest = [...order].sort((a, b) => b.total_revenue - a.total_revenue)[0];
    if (busiest) {
      process.stdout.write(`\nnode dist/kpis.js --date ${busiest.order_date}   (the busiest day, by key from DynamoDB)\n`);
      process.stdout.write((await run(process.execPath, [join(root, 'dist/kpis.js'), '--date', busiest.order_date], { env })).stdout);
    }
    process.stdout.write('\nAnalyst query top_categories (infra/queries/top_categories.sql, the Athena named query, run by DuckDB on the lake\'s Parquet)\n');
    process.stdout.write(table(await analystQuery(s3Store(stack.lakeBucket, ''), 'top_categories')));
    const validations: ValidationSummary[] = [];
    for (const o of outcomes) {
      const batch = (o.input as { batch_id?: string }).batch_id ?? o.name;
      const v = await validationOf(s3Store(stack.lakeBucket, ''), batch);
      if (v) validations.push(v);
    }
    process.stdout.write('\nValidation\n');
    for (const v of validations) {
      process.stdout.write(`batch ${v.batch_id}: ${v.verdict}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}\n`);
      for (const [k, s] of Object.entries(v.kinds)) {
        process.stdout.write(`  ${k.padEnd(12)} read ${pad(s.rows_read, 7)}  cleaned ${pad(s.rows_cleaned, 7)}  quarantined ${pad(s.rows_quarantined, 5)}\n`);
      }
      const reasons = Object.entries(v.reason_counts).map(([c, n]) => `${c} ${n}`);
      if (reasons.length) process.stdout.write(`  quarantine reasons: ${reasons.join(', ')}\n`);
    }
    const executions: ExecutionSummary[] = outcomes.map((o) => ({
      name: o.name,
      status: o.status,
      ...(o.error ? { error: o.error } : {}),
      seconds: (Date.parse(o.stoppedAt) - Date.parse(o.startedAt)) / 1000,
    }));
    await mkdir(join(root, 'reports'), { recursive: true });
    const html = join(root, 'reports', 'demo.html');
    await writeFile(
      html,
      renderReport({
        title: `ecommerce-pipeline demo${input ? ` — ${input}` : ''}`,
        generatedAt: new Date().toISOString(),
        orders: order,
        categories: category,
        validations,
        executions,
      }),
    );
    say(`wrote ${html}`);
    const chromium = findChromium();
    if (chromium) {
      const check = await renderCheck(chromium, html, join(root, 'reports', 'demo.png'));
      if (check.svgs < 4 || check.width < 900) throw new Error(`report did not render as expected: ${JSON.stringify(check)}`);
      say(`rendered in headless Chromium: ${check.screenshot} ${check.width}x${check.height}, ${check.svgs} charts`);
    } else {
      say('chromium not installed (apt-get install -y chromium): render check skipped');
    }
    const ok = outcomes.every((o) => o.status === 'SUCCEEDED');
    say(`${outcomes.length} execution(s), ${ok ? 'all succeeded' : 'NOT all succeeded'}`);
    if (keep) {
      await runtime.stop(true);
      cleanup.shift();
      process.stdout.write(
        `\nKEEP=1: moto stays up on ${moto.endpoint}\n  export ${Object.entries({ ...moto.env, ...stackEnv(stack) })
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}\n  stop it with: kill ${detached?.pid ?? '?'}\n`,
      );
    }
    return ok ? 0 : 1;
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
    if (!keep) await local.stop();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const hint = error instanceof UsageError ? ' (see --help)' : '';
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
    process.exit(1);
  },
);
