// What every bench line shares: measuring a child process (wall clock, CPU seconds, peak RSS of
// every process it starts, via scripts/bench/rss-probe.cjs), the cached generated shops, and the
// line format. A bench of its own lives in scripts/bench/<name>.ts and prints its lines.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GeneratorManifest } from '../../workers/generate/shop/manifest.js';

const PROBE = resolve('scripts/bench/rss-probe.cjs');

export interface Measured {
  readonly code: number | null;
  readonly seconds: number;
  readonly peakRssMb: number | undefined;
  /** User + system CPU seconds of the measured process(es): robust to a machine shared with others. */
  readonly cpuSeconds: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node args` with the RSS probe preloaded; resolves when it exits. */
export const measure = async (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Measured> => {
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

export const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();

export const fmt = (n: number, digits = 0): string => n.toFixed(digits);

export const line = (name: string, rows: number, bytes: number, m: Measured): string =>
  `${name.padEnd(18)} rows=${rows} seconds=${fmt(m.seconds, 2)} rows/s=${fmt(rows / m.seconds)} MB/s=${fmt(bytes / 1e6 / m.seconds, 1)} cpu_s=${m.cpuSeconds === undefined ? 'n/a' : fmt(m.cpuSeconds, 2)} peak_rss_mb=${m.peakRssMb === undefined ? 'n/a' : fmt(m.peakRssMb, 1)}`;

export const failed = (name: string, m: Measured): string => `${name.padEnd(18)} failed (exit ${m.code}): ${m.stderr.trim().split('\n').pop() ?? ''}`;

/** The same ratio on CPU seconds: what it would be on an idle machine (one core each). */
export const cpuRatio = (baseline: Measured, worker: Measured): string =>
  baseline.cpuSeconds && worker.cpuSeconds ? `; on CPU seconds ${fmt(baseline.cpuSeconds / worker.cpuSeconds, 2)}` : '';

/** The cached shop for these generator arguments and this generator bundle (under .bench/). */
export const shop = async (args: ReadonlyArray<string>): Promise<{ dir: string; manifest: GeneratorManifest }> => {
  const bundle = createHash('sha256').update(await readFile('dist/generate.js')).digest('hex').slice(0, 12);
  const name = createHash('sha256').update(args.join(' ')).digest('hex').slice(0, 12);
  const dir = resolve('.bench', `shop-${name}-gen=${bundle}`);
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    process.stderr.write(`bench: generating ${args.join(' ')} into ${dir} …\n`);
    const run = await measure(['dist/generate.js', ...args, '--out', tmp]);
    if (run.code !== 0) throw new Error(`generate failed: ${run.stderr.trim()}`);
    await rename(tmp, dir);
    process.stderr.write(`bench: generated in ${fmt(run.seconds, 1)} s, cpu ${fmt(run.cpuSeconds ?? 0, 1)} s, peak RSS ${fmt(run.peakRssMb ?? 0, 1)} MB\n`);
  }
  return { dir, manifest: JSON.parse(await readFile(join(dir, 'generator-manifest.json'), 'utf8')) as GeneratorManifest };
};
