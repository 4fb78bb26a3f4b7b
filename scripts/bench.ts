// make bench: throughput and peak RSS of the workers against a csv-parser baseline, in one run.
//
//   BENCH_ITEMS (1000000)  items in the generated shop; BENCH_PARTS (4) parts per kind
//   BENCH_SEED ("bench")   generator seed
//
// The shop is generated once per (arguments, generator bundle) and cached under .bench/. Every
// measurement runs in its own child process; its time is wall-clock from spawn to exit, its peak
// RSS the kernel's ru_maxrss of each process (scripts/bench/rss-probe.cjs), the largest reported.
// "rows" is every row of the batch (products + orders + items) on every line, and "MB" the batch's
// input bytes: the baseline parses exactly the files the workers read, so rows/s compare like
// with like and ratio = baseline seconds / worker seconds.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GeneratorManifest } from '../workers/generate/shop/manifest.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const PARTS = Number(process.env.BENCH_PARTS ?? 4);
const SEED = process.env.BENCH_SEED ?? 'bench';
const RSS_TARGET_MB = 600;
const PROBE = resolve('scripts/bench/rss-probe.cjs');

interface Measured {
  readonly code: number | null;
  readonly seconds: number;
  readonly peakRssMb: number | undefined;
  /** User + system CPU seconds of the measured process(es): robust to a machine shared with others. */
  readonly cpuSeconds: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node args` with the RSS probe preloaded; resolves when it exits. */
const measure = async (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Measured> => {
  const rssDir = await mkdtemp(join(tmpdir(), 'bench-rss-'));
  const rssFile = join(rssDir, 'rss');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, NODE_OPTIONS: `--require ${PROBE}`, BENCH_RSS_FILE: rssFile, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = existsSync(rssFile) ? (await readFile(rssFile, 'utf8')).trim().split('\n') : [];
  await rm(rssDir, { recursive: true, force: true });
  const probes = lines.map((l) => l.split(' ').map(Number)).filter((p) => p.length === 4 && p.every(Number.isFinite));
  const kib = probes.map((p) => p[1] ?? 0);
  const cpu = probes.reduce((s, p) => s + (p[2] ?? 0) + (p[3] ?? 0), 0) / 1e6;
  return { code, seconds, peakRssMb: kib.length ? Math.max(...kib) / 1024 : undefined, cpuSeconds: probes.length ? cpu : undefined, stdout, stderr };
};

const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();

/** The cached shop for these arguments and this generator bundle. */
const shop = async (): Promise<{ dir: string; manifest: GeneratorManifest }> => {
  const bundle = createHash('sha256').update(await readFile('dist/generate.js')).digest('hex').slice(0, 12);
  const dir = resolve('.bench', `shop-items=${ITEMS}-parts=${PARTS}-seed=${SEED}-gen=${bundle}`);
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    process.stderr.write(`bench: generating ${ITEMS} items into ${dir} …\n`);
    const run = await measure(['dist/generate.js', '--items', String(ITEMS), '--parts', String(PARTS), '--seed', SEED, '--out', tmp]);
    if (run.code !== 0) throw new Error(`generate failed: ${run.stderr.trim()}`);
    await rename(tmp, dir);
    process.stderr.write(`bench: generated in ${fmt(run.seconds, 1)} s, cpu ${fmt(run.cpuSeconds ?? 0, 1)} s, peak RSS ${fmt(run.peakRssMb ?? 0, 1)} MB\n`);
  }
  return { dir, manifest: JSON.parse(await readFile(join(dir, 'generator-manifest.json'), 'utf8')) as GeneratorManifest };
};

const fmt = (n: number, digits = 0): string => n.toFixed(digits);

const line = (name: string, rows: number, bytes: number, m: Measured): string =>
  `${name.padEnd(18)} rows=${rows} seconds=${fmt(m.seconds, 2)} rows/s=${fmt(rows / m.seconds)} MB/s=${fmt(bytes / 1e6 / m.seconds, 1)} cpu_s=${m.cpuSeconds === undefined ? 'n/a' : fmt(m.cpuSeconds, 2)} peak_rss_mb=${m.peakRssMb === undefined ? 'n/a' : fmt(m.peakRssMb, 1)}`;

/** The same ratio on CPU seconds: what it would be on an idle machine (one core each). */
const cpuRatio = (baseline: Measured, worker: Measured): string =>
  baseline.cpuSeconds && worker.cpuSeconds ? `; on CPU seconds ${fmt(baseline.cpuSeconds / worker.cpuSeconds, 2)}` : '';

const firstLine = (s: string): string => s.trim().split('\n').pop() ?? '';

const main = async (): Promise<void> => {
  const { dir, manifest } = await shop();
  const inputs = (await filesUnder(dir)).filter((f) => /\/(orders|order_items|products)\//.test(f));
  const bytes = (await Promise.all(inputs.map((f) => stat(f)))).reduce((s, i) => s + i.size, 0);
  const k = manifest.kinds;
  const rows = k.products.rows_read + k.orders.rows_read + k.order_items.rows_read;
  console.log(
    `bench: ${ITEMS} items -> ${rows} rows (products ${k.products.rows_read}, orders ${k.orders.rows_read}, order_items ${k.order_items.rows_read}), ` +
      `${fmt(bytes / 1e6, 1)} MB CSV in ${inputs.length} files; node ${process.version}. ` +
      `rows = every row of the batch on every line; seconds = wall clock; MB/s = input MB / wall s; cpu_s = user+sys CPU; peak_rss = max ru_maxrss of the measured process(es)`,
  );

  const baseline = await measure(['scripts/bench/csv-baseline.mjs', ...inputs]);
  if (baseline.code !== 0 || Number(baseline.stdout) !== rows) throw new Error(`baseline failed or miscounted: ${baseline.stdout} ${baseline.stderr}`);
  console.log(line('baseline', rows, bytes, baseline));

  const lake = await mkdtemp(join(tmpdir(), 'bench-lake-'));
  try {
    const validate = await measure(['dist/validate.js', '--input', dir, '--out', lake, '--batch-id', 'b-bench']);
    if (validate.code !== 0) {
      console.log(`validate           failed (exit ${validate.code}): ${firstLine(validate.stderr)}`);
    } else {
      console.log(line('validate', rows, bytes, validate));
      const report = JSON.parse(await readFile(join(lake, 'reports', 'b-bench', 'validation.json'), 'utf8')) as {
        kinds: Record<string, { rows_read: number; rows_quarantined: number }>;
      };
      const read = Object.values(report.kinds).reduce((s, x) => s + x.rows_read, 0);
      const quarantined = Object.values(report.kinds).reduce((s, x) => s + x.rows_quarantined, 0);
      const expected = k.products.rows_quarantined + k.orders.rows_quarantined + k.order_items.rows_quarantined;
      if (read !== rows || quarantined !== expected) console.log(`WARNING: report read ${read}/${rows} rows, quarantined ${quarantined}/${expected}`);
    }
    if (validate.code === 0) {
      const ratio = baseline.seconds / validate.seconds;
      console.log(`ratio=${fmt(ratio, 2)} validate/baseline rows/s (target >= 0.7: ${ratio >= 0.7 ? 'met' : 'NOT met'})${cpuRatio(baseline, validate)}`);
    }

    let both: Measured | undefined;
    let transformed: Measured | undefined;
    if (existsSync('dist/transform.js') && validate.code === 0) {
      const transform = await measure(['dist/transform.js', '--lake', lake, '--batch-id', 'b-bench']);
      transformed = transform;
      console.log(transform.code === 0 ? line('transform', rows, bytes, transform) : `transform          failed (exit ${transform.code}): ${firstLine(transform.stderr)}`);
    } else console.log('transform          skipped (no dist/transform.js)');
    if (existsSync('dist/run-local.js')) {
      const lake2 = await mkdtemp(join(tmpdir(), 'bench-lake-'));
      both = await measure(['dist/run-local.js', '--input', dir, '--lake', lake2, '--batch-id', 'b-bench', '--quiet']);
      await rm(lake2, { recursive: true, force: true });
      console.log(both.code === 0 ? line('validate+transform', rows, bytes, both) : `validate+transform failed (exit ${both.code}): ${firstLine(both.stderr)}`);
    } else console.log('validate+transform skipped (no dist/run-local.js)');
    if (both?.code === 0) {
      const r = baseline.seconds / both.seconds;
      console.log(`ratio=${fmt(r, 2)} validate+transform/baseline rows/s (target >= 0.5: ${r >= 0.5 ? 'met' : 'NOT met'})${cpuRatio(baseline, both)}`);
    }
    const peak = Math.max(...[validate, transformed, both].map((m) => (m?.code === 0 ? (m.peakRssMb ?? 0) : 0)));
    console.log(
      `peak_rss_mb=${fmt(peak, 1)} of the workers (target <= ${RSS_TARGET_MB} MB at 4000000 items${ITEMS === 4_000_000 ? `: ${peak <= RSS_TARGET_MB ? 'met' : 'NOT met'}` : '; this run has ' + ITEMS})`,
    );
  } finally {
    await rm(lake, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
