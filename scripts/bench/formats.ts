// Per-row time of each input format, the same shop written as CSV, a JSON array and NDJSON
// (issue 10 item 4: JSON formats within 1.5x CSV per row). Two figures per format and kind, both
// in CPU time of this process (user + system, all its threads), which a machine shared with
// other jobs disturbs far less than wall-clock time:
//   read     - the reader alone (workers/io/readers) into a sink that drops the rows;
//   validate - validateBatch on that format's shop, in process, the CPU spent from one file's
//              "file read" log line to the next (reading + row rules + spill), per row.
// Best of 3 runs. Run under the shared lock:
//   flock /tmp/bench.lock node --import tsx scripts/bench/formats.ts
//   FORMATS_ITEMS (200000) items; FORMATS_DIR (/tmp/formats-bench) where the shops are cached.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStore } from '../../workers/io/local-store.js';
import type { Logger } from '../../workers/io/log.js';
import { readRows } from '../../workers/io/readers/index.js';
import { validateBatch } from '../../workers/validate/validate-batch.js';

const ITEMS = Number(process.env.FORMATS_ITEMS ?? 200_000);
const ROOT = process.env.FORMATS_DIR ?? '/tmp/formats-bench';
const FORMATS = ['csv', 'json', 'ndjson'] as const;
const KINDS = ['orders', 'order_items'] as const;
const REPEAT = 3;

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const shopOf = (format: string): string => {
  const dir = join(ROOT, `${format}-${ITEMS}`);
  if (!existsSync(dir)) {
    const r = spawnSync(process.execPath, ['dist/generate.js', '--items', String(ITEMS), '--out', dir, '--format', format], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`generate ${format} failed`);
  }
  return dir;
};

const fileOf = async (dir: string, kind: string): Promise<string> => join(dir, kind, (await readdir(join(dir, kind)))[0]!);

const readOnly = async (file: string): Promise<{ rows: number; ms: number }> => {
  let best = Infinity;
  let rows = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = cpuMs();
    const out = await readRows(file, async () => createReadStream(file, { highWaterMark: 1 << 16 }), { row: () => undefined, ready: () => undefined });
    best = Math.min(best, cpuMs() - t0);
    rows = out.rows;
  }
  return { rows, ms: best };
};

/** CPU per file between validate's "file read" lines, best of REPEAT runs. */
const validateTimes = async (dir: string): Promise<Map<string, { rows: number; ms: number }>> => {
  const best = new Map<string, { rows: number; ms: number }>();
  for (let i = 0; i < REPEAT; i++) {
    const out = await mkdtemp(join(tmpdir(), 'formats-out-'));
    let mark = cpuMs();
    const quiet = () => undefined;
    const log: Logger = {
      debug: (msg, fields) => {
        if (msg !== 'file read') return;
        const now = cpuMs();
        const { key, rows } = fields as { key: string; rows: number };
        const kind = key.split('/')[0]!;
        const seen = best.get(kind);
        if (seen === undefined || now - mark < seen.ms) best.set(kind, { rows, ms: now - mark });
        mark = now;
      },
      info: quiet,
      warn: quiet,
      error: quiet,
    };
    await validateBatch({ source: localStore(dir), lake: localStore(out), batchId: 'formats', maxRejectRate: 1, log });
    await rm(out, { recursive: true, force: true });
  }
  return best;
};
const us = (x: { rows: number; ms: number }): number => (x.ms * 1000) / x.rows;

const table: Record<string, Record<string, { read: number; validate: number }>> = {};
for (const format of FORMATS) {
  const dir = shopOf(format);
  const validated = await validateTimes(dir);
  for (const kind of KINDS) {
    const read = await readOnly(await fileOf(dir, kind));
    const v = validated.get(kind);
    (table[kind] ??= {})[format] = { read: us(read), validate: v ? us(v) : NaN };
  }
}
for (const kind of KINDS) {
  for (const format of FORMATS) {
    const { read, validate } = table[kind]![format]!;
    const csv = table[kind]!.csv!;
    process.stdout.write(
      `formats kind=${kind} format=${format} items=${ITEMS} read_us_per_row=${read.toFixed(2)} validate_us_per_row=${validate.toFixed(2)} ` +
        `read_vs_csv=${(read / csv.read).toFixed(2)} validate_vs_csv=${(validate / csv.validate).toFixed(2)}\n`,
    );
  }
}
