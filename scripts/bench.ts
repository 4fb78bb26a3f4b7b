// make bench: throughput and peak RSS of the workers against a csv-parser baseline and a DuckDB
// peer, in one run, on a shop shaped like a real one.
//
//   BENCH_ITEMS (1000000)    items in the generated shop; BENCH_PARTS (4) parts per kind
//   BENCH_DAYS (1461)        days the orders spread over (four years: ~1,461 date partitions per kind)
//   BENCH_PRODUCTS           products in the catalogue (default: the generator's, items/40 up to 29,120)
//   BENCH_FORMAT (csv)       csv, or mixed: parts rotate CSV, CSV.gz, JSON array, NDJSON.gz
//   BENCH_SEED ("bench")     generator seed; BENCH_THREADS: validate's threads (default: one per core)
//
// Shops are generated once per arguments and generator bundle, cached under .bench/. Every
// measurement runs in its own child process; its time is wall-clock from spawn to exit, its peak
// RSS the kernel's ru_maxrss of each process (scripts/bench/rss-probe.cjs), the largest reported.
// "rows" is every row of the batch (products + orders + items) on every line. The baseline is
// csv-parser, parse only, over the same rows as CSV (for the mixed shape: the CSV twin of the same
// shop), so ratio = baseline seconds / worker seconds compares like with like; the DuckDB peer
// validates and computes the KPIs in SQL from the very files the workers read.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuRatio, failed, filesUnder, fmt, line, measure, shop, type Measured } from './bench/harness.js';
import { historyLine } from './bench/history.js';
import { parquetLine } from './bench/parquet.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const PARTS = Number(process.env.BENCH_PARTS ?? 4);
const DAYS = Number(process.env.BENCH_DAYS ?? 1461);
const PRODUCTS = process.env.BENCH_PRODUCTS;
const FORMAT = process.env.BENCH_FORMAT ?? 'csv';
const SEED = process.env.BENCH_SEED ?? 'bench';
const THREADS = process.env.BENCH_THREADS;
const RSS_TARGET_MB = 600;
const BATCH = 'b-bench';

if (FORMAT !== 'csv' && FORMAT !== 'mixed') throw new Error(`BENCH_FORMAT must be csv or mixed, got ${FORMAT}`);

const generatorArgs = (format: 'csv' | 'real'): string[] => [
  '--items', String(ITEMS), '--parts', String(PARTS), '--days', String(DAYS), '--seed', SEED, '--format', format,
  ...(PRODUCTS === undefined ? [] : ['--products', PRODUCTS]),
];

const inputsOf = async (dir: string) => (await filesUnder(dir)).filter((f) => /\/(orders|order_items|products)\//.test(f));

interface Kpis {
  readonly order: ReadonlyArray<{ total_orders: number; total_revenue: number }>;
  readonly category: ReadonlyArray<unknown>;
}

/** The DuckDB peer's line, and whether it computed what the pipeline computed. */
const duckdbLine = async (dir: string, rows: number, bytes: number, ours: Measured | undefined, kpis: Kpis | undefined): Promise<void> => {
  const peer = await measure(['scripts/bench/duckdb-peer.mjs', dir]);
  if (peer.code !== 0) return console.log(failed('duckdb', peer));
  console.log(line('duckdb', rows, bytes, peer));
  const got = JSON.parse(peer.stdout) as { orders: string; revenue_cents: string; order_kpi_rows: string; category_kpi_rows: string };
  if (kpis) {
    const orders = kpis.order.reduce((s, r) => s + r.total_orders, 0);
    const cents = Math.round(kpis.order.reduce((s, r) => s + r.total_revenue * 100, 0));
    const same = orders === Number(got.orders) && cents === Number(got.revenue_cents) && kpis.category.length === Number(got.category_kpi_rows);
    console.log(`duckdb_agrees=${same ? 'yes' : 'NO'} (orders ${got.orders} vs ${orders}, revenue_cents ${got.revenue_cents} vs ${cents}, category rows ${got.category_kpi_rows} vs ${kpis.category.length})`);
  }
  if (ours?.code === 0) {
    const r = ours.seconds / peer.seconds;
    console.log(`ratio_vs_duckdb=${fmt(r, 2)} validate+transform seconds / DuckDB seconds (target <= 1, aim 0.5: ${r <= 1 ? 'met' : 'NOT met'})${ours.cpuSeconds && peer.cpuSeconds ? `; on CPU seconds ${fmt(ours.cpuSeconds / peer.cpuSeconds, 2)}` : ''}`);
  }
};

const main = async (): Promise<void> => {
  const { dir, manifest } = await shop(generatorArgs(FORMAT === 'mixed' ? 'real' : 'csv'));
  const twin = FORMAT === 'mixed' ? (await shop(generatorArgs('csv'))).dir : dir;
  const inputs = await inputsOf(dir);
  const bytes = (await Promise.all(inputs.map((f) => stat(f)))).reduce((s, i) => s + i.size, 0);
  const k = manifest.kinds;
  const rows = k.products.rows_read + k.orders.rows_read + k.order_items.rows_read;
  console.log(
    `bench: ${ITEMS} items over ${DAYS} days -> ${rows} rows (products ${k.products.rows_read}, orders ${k.orders.rows_read}, order_items ${k.order_items.rows_read}), ` +
      `${fmt(bytes / 1e6, 1)} MB ${FORMAT} in ${inputs.length} files; node ${process.version}. ` +
      `rows = every row of the batch on every line; seconds = wall clock; MB/s = input MB / wall s; cpu_s = user+sys CPU; peak_rss = max ru_maxrss of the measured process(es)`,
  );

  const baseline = await measure(['scripts/bench/csv-baseline.mjs', ...(await inputsOf(twin))]);
  if (baseline.code !== 0 || Number(baseline.stdout) !== rows) throw new Error(`baseline failed or miscounted: ${baseline.stdout} ${baseline.stderr}`);
  console.log(line('baseline', rows, bytes, baseline));

  const threads: Record<string, string> = THREADS === undefined ? {} : { VALIDATE_THREADS: THREADS };
  const lake = await mkdtemp(join(tmpdir(), 'bench-lake-'));
  const lake2 = await mkdtemp(join(tmpdir(), 'bench-lake-'));
  try {
    const validate = await measure(['dist/validate.js', '--input', dir, '--out', lake, '--batch-id', BATCH], threads);
    if (validate.code !== 0) console.log(failed('validate', validate));
    else {
      console.log(line('validate', rows, bytes, validate));
      const report = JSON.parse(await readFile(join(lake, 'reports', BATCH, 'validation.json'), 'utf8')) as {
        kinds: Record<string, { rows_read: number; rows_quarantined: number }>;
      };
      const read = Object.values(report.kinds).reduce((s, x) => s + x.rows_read, 0);
      const quarantined = Object.values(report.kinds).reduce((s, x) => s + x.rows_quarantined, 0);
      const expected = k.products.rows_quarantined + k.orders.rows_quarantined + k.order_items.rows_quarantined;
      if (read !== rows || quarantined !== expected) console.log(`WARNING: report read ${read}/${rows} rows, quarantined ${quarantined}/${expected}`);
      const ratio = baseline.seconds / validate.seconds;
      console.log(`ratio=${fmt(ratio, 2)} validate/baseline rows/s (target >= 0.7: ${ratio >= 0.7 ? 'met' : 'NOT met'})${cpuRatio(baseline, validate)}`);
    }

    let transformed: Measured | undefined;
    if (validate.code === 0) {
      transformed = await measure(['dist/transform.js', '--lake', lake, '--batch-id', BATCH]);
      console.log(transformed.code === 0 ? line('transform', rows, bytes, transformed) : failed('transform', transformed));
      if (transformed.code === 0) console.log(await parquetLine(lake, BATCH));
    }
    const json = join(lake2, 'kpis.json');
    const both = await measure(['dist/run-local.js', '--input', dir, '--lake', lake2, '--batch-id', BATCH, '--quiet', '--json', json], threads);
    console.log(both.code === 0 ? line('validate+transform', rows, bytes, both) : failed('validate+transform', both));
    if (both.code === 0) {
      const r = baseline.seconds / both.seconds;
      console.log(`ratio=${fmt(r, 2)} validate+transform/baseline rows/s (target >= 0.5: ${r >= 0.5 ? 'met' : 'NOT met'})${cpuRatio(baseline, both)}`);
    }
    const kpis = both.code === 0 && existsSync(json) ? (JSON.parse(await readFile(json, 'utf8')) as Kpis) : undefined;
    await duckdbLine(dir, rows, bytes, both, kpis);

    // The budget is per worker (each runs as its own Fargate task); run-local holds both in one
    // process, so its peak is shown beside them but is not what the budget is about.
    const peak = Math.max(...[validate, transformed].map((m) => (m?.code === 0 ? (m.peakRssMb ?? 0) : 0)));
    const verdict = ITEMS >= 4_000_000 ? `: ${peak <= RSS_TARGET_MB ? 'met' : 'NOT met'}` : `; this run has ${ITEMS}`;
    console.log(
      `peak_rss_mb=${fmt(peak, 1)} of the larger worker (validate ${fmt(validate.peakRssMb ?? 0, 1)}, transform ${fmt(transformed?.peakRssMb ?? 0, 1)}; target <= ${RSS_TARGET_MB} MB each at 4000000 items${verdict}); run-local, both in one process: ${fmt(both.peakRssMb ?? 0, 1)}`,
    );
  } finally {
    await rm(lake, { recursive: true, force: true });
    await rm(lake2, { recursive: true, force: true });
  }
  await historyLine();
};

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
