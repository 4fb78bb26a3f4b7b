// The history line of make bench (issue 11: cost flat in history). One lake through run-local: an
// initial shop, then daily batches, each of fresh orders placed on its own new day (new ids, the
// initial shop's catalogue) plus re-deliveries of a share of the initial shop's orders, spread
// over its whole history. Prints each batch's wall and CPU seconds, the first and the last, and
// the lake's object count: with compaction the last batch costs about what the first does and the
// cleaned zone holds a few objects per date, not one per date and batch.
//
//   BENCH_HISTORY_BATCHES (40; 0 skips the line)   BENCH_HISTORY_ITEMS (200000) over
//   BENCH_HISTORY_DAYS (730)   BENCH_HISTORY_DAILY_ITEMS (10000)   BENCH_HISTORY_REDELIVER (0.02)
//
// Generated inputs are cached under .bench/ (per arguments and generator bundle); the lake is a
// fresh temporary directory.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const BATCHES = env('BENCH_HISTORY_BATCHES', 40);
const ITEMS = env('BENCH_HISTORY_ITEMS', 200_000);
const DAYS = env('BENCH_HISTORY_DAYS', 730);
const DAILY = env('BENCH_HISTORY_DAILY_ITEMS', 10_000);
const REDELIVER = env('BENCH_HISTORY_REDELIVER', 0.02);
const START = Date.UTC(2023, 0, 1);
const PROBE = resolve('scripts/bench/rss-probe.cjs');

interface Run {
  readonly code: number | null;
  readonly seconds: number;
  readonly cpu: number;
  readonly stderr: string;
}

const node = async (args: ReadonlyArray<string>): Promise<Run> => {
  const probeDir = await mkdtemp(join(tmpdir(), 'bench-history-'));
  const probe = join(probeDir, 'rss');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NODE_OPTIONS: `--require ${PROBE}`, BENCH_RSS_FILE: probe, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = existsSync(probe) ? (await readFile(probe, 'utf8')).trim().split('\n') : [];
  await rm(probeDir, { recursive: true, force: true });
  const cpu = lines.map((l) => l.split(' ').map(Number)).reduce((s, p) => s + ((p[2] ?? 0) + (p[3] ?? 0)) / 1e6, 0);
  return { code, seconds, cpu, stderr };
};

const must = async (what: string, args: ReadonlyArray<string>): Promise<Run> => {
  const run = await node(args);
  if (run.code !== 0) {
    // the whole error (a bug prints its stack), not only its last line
    process.stderr.write(run.stderr.trim().split('\n').slice(-40).join('\n') + '\n');
    throw new Error(`${what} failed (exit ${run.code}): ${run.stderr.trim().split('\n').pop() ?? ''}`);
  }
  return run;
};

/** Generates into `dir` once (cached): `make` writes into the temporary directory it is given. */
const cached = async (dir: string, make: (tmp: string) => Promise<void>): Promise<string> => {
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await make(tmp);
  await rename(tmp, dir);
  return dir;
};

const day = (n: number): string => new Date(START + n * 86_400_000).toISOString().slice(0, 10);

/**
 * One daily batch as one input directory: the fresh shop (its products are the initial catalogue)
 * with the re-delivery's orders and items beside it (its products would repeat the same rows).
 */
const dailyBatch = async (root: string, initial: string, k: number): Promise<string> =>
  join(await cached(join(root, `day-${k}`), async (out) => {
    const fresh = join(out, 'fresh');
    const again = join(out, 'again');
    await must('generate', [
      'dist/generate.js', '--items', String(DAILY), '--out', fresh, '--seed', `day-${k}`, '--start-date', day(DAYS + k), '--days', '1',
      '--id-offset', String((k + 1) * 100_000_000), '--products-from', initial,
    ]);
    await must('generate', ['dist/generate.js', '--redeliver-from', initial, '--redeliver-rate', String(REDELIVER), '--out', again, '--seed', `again-${k}`]);
    for (const kind of ['orders', 'order_items']) {
      for (const name of await readdir(join(again, kind))) await rename(join(again, kind, name), join(fresh, kind, `again-${name}`));
    }
    await rm(again, { recursive: true, force: true });
  }), 'fresh');

const countFiles = async (dir: string): Promise<number> => {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let n = 0;
  for (const e of entries) n += e.isDirectory() ? await countFiles(join(dir, e.name)) : 1;
  return n;
};

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const f2 = (n: number) => n.toFixed(2);

export const historyLine = async (): Promise<void> => {
  if (!(BATCHES > 0)) return;
  const bundle = createHash('sha256').update(await readFile('dist/generate.js')).digest('hex').slice(0, 12);
  const root = resolve('.bench', `history-items=${ITEMS}-days=${DAYS}-daily=${DAILY}-redeliver=${REDELIVER}-gen=${bundle}`);
  await mkdir(root, { recursive: true });
  const initial = await cached(join(root, 'initial'), async (out) => {
    await must('generate', ['dist/generate.js', '--items', String(ITEMS), '--out', out, '--seed', 'history', '--start-date', day(0), '--days', String(DAYS)]);
  });
  const lake = await mkdtemp(join(tmpdir(), 'bench-history-lake-'));
  let kept = false;
  try {
    const load = await must('run-local (initial)', ['dist/run-local.js', '--input', initial, '--lake', lake, '--quiet']);
    console.log(`history: initial ${ITEMS} items over ${DAYS} days in ${f2(load.seconds)} s; then ${BATCHES} daily batches of ${DAILY} fresh items + re-delivery of ${REDELIVER * 100}% of the initial orders, each through run-local on the same lake`);
    const runs: Run[] = [];
    for (let k = 0; k < BATCHES; k++) {
      const input = await dailyBatch(root, initial, k);
      const run = await must(`run-local (day ${k})`, ['dist/run-local.js', '--input', input, '--lake', lake, '--quiet']);
      runs.push(run);
      if (process.env.BENCH_HISTORY_VERBOSE) console.log(`history batch ${k + 1}: seconds=${f2(run.seconds)} cpu_s=${f2(run.cpu)}`);
    }
    const first = runs[0]!;
    const last = runs[runs.length - 1]!;
    const firstFew = runs.slice(0, 3);
    const lastFew = runs.slice(-3);
    const dates = (await readdir(join(lake, 'cleaned', 'orders'))).length;
    const cleaned = await countFiles(join(lake, 'cleaned'));
    const ratio = last.seconds / first.seconds;
    console.log(
      `history first=${f2(first.seconds)}s (cpu ${f2(first.cpu)}) last=${f2(last.seconds)}s (cpu ${f2(last.cpu)}) ratio=${f2(ratio)} (target <= 1.2: ${ratio <= 1.2 ? 'met' : 'NOT met'}); ` +
        `mean of first 3 ${f2(mean(firstFew.map((r) => r.seconds)))}s, last 3 ${f2(mean(lastFew.map((r) => r.seconds)))}s, cpu ratio ${f2(mean(lastFew.map((r) => r.cpu)) / mean(firstFew.map((r) => r.cpu)))}`,
    );
    console.log(`history lake: ${await countFiles(lake)} objects, cleaned zone ${cleaned} objects for ${dates} dates and ${BATCHES + 1} batches (${f2(cleaned / dates)} per date)`);
  } catch (error) {
    kept = true;
    console.error(`history: the lake is kept at ${lake} for a look`);
    throw error;
  } finally {
    if (!kept) await rm(lake, { recursive: true, force: true });
  }
};
