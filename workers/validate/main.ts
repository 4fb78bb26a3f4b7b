// node dist/validate.js: the validate worker's CLI. Thin: flags and environment to a config,
// validateBatch, the verdict to an exit code.
import { isMainThread } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { BatchManifest } from '../core/manifest.js';
import { validationReportKey } from '../core/lake-layout.js';
import { KINDS } from '../core/records.js';
import type { ValidationReport } from '../core/report.js';
import { openStore } from '../io/blob-store.js';
import { parseFlags } from '../io/cli.js';
import { decodeWith } from '../io/config.js';
import { showLocation, parseLocation } from '../io/location.js';
import { logger } from '../io/log.js';
import { emitMetrics, metricsPipeline } from '../io/metrics.js';
import { validationMetrics } from '../core/metrics.js';
import { s3Store } from '../io/s3-store.js';
import { decodeValidateConfig, DEFAULT_MAX_REJECT_RATE, type ValidateConfig } from './config.js';
import { validateBatch, type Progress } from './validate-batch.js';

const EXIT = { accepted: 0, failure: 1, rejected: 2, usage: 64 } as const;

const HELP = `Usage: node dist/validate.js --input <dir|s3://bucket/prefix> --out <dir|s3://bucket/prefix> [options]

Validates one batch of shop files (orders/, order_items/, products/ under --input; CSV, JSON,
NDJSON, each optionally .gz), writes cleaned rows, quarantined rows and files, and
reports/<batch>/validation.json under --out. Publishes the batch (cleaned/_batches/<batch>.json)
only when it is ACCEPTED.

Options (flags override the environment):
  --input LOC              landing root                      (env LANDING_BUCKET: bucket name)
  --out LOC                lake root                         (env LAKE_BUCKET: bucket name)
  --batch-id ID            batch id                          (env BATCH_ID; default: manifest's,
                           else a hash of the listed files' keys and ETags)
  --manifest FILE          BatchManifest JSON file or s3:// URL (env BATCH_MANIFEST: JSON text
                           or s3:// URL); default: every file under the three prefixes
  --max-reject-rate R      per-kind share of quarantined rows above which the batch is
                           rejected, 0..1                    (env MAX_REJECT_RATE; default ${DEFAULT_MAX_REJECT_RATE})
  --exit-zero-on-reject    exit 0 on a rejection too: the caller reads the verdict from the
                           report (env EXIT_ZERO_ON_REJECT=true; the state machine's mode)
  --progress               progress on stderr (default: on when stderr is a terminal)
  --threads N              threads reading and checking files; 1 = none besides the main
                           thread                            (env VALIDATE_THREADS; default: one
                           per core, os.availableParallelism())
  --help                   this text
Environment also: LOG_LEVEL (debug|info|warn|error), AWS_REGION, AWS_ENDPOINT_URL, …

Exit codes:
  0   batch ACCEPTED (or REJECTED with --exit-zero-on-reject)
  2   batch REJECTED; the report is written and says why
  1   failure: nothing decided (one-line reason on stderr)
  64  usage or configuration error
`;

const fail = (code: number, message: string): never => {
  process.stderr.write(`validate: ${message}\n`);
  process.exit(code);
};

const readManifest = async (m: NonNullable<ValidateConfig['manifest']>): Promise<BatchManifest> => {
  let text: string;
  if (m.kind === 'text') text = m.text;
  else if (m.path.startsWith('s3://')) {
    const loc = parseLocation(m.path);
    if (loc.kind !== 's3' || loc.prefix === '') throw new Error(`manifest ${m.path} is not an S3 object URL`);
    const bytes = await s3Store(loc.bucket, '').readSmall(loc.prefix.replace(/\/$/, ''));
    if (bytes === undefined) throw new Error(`manifest ${m.path} does not exist`);
    text = bytes.toString('utf8');
  } else text = await readFile(m.path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the batch manifest is not JSON');
  }
  const decoded = decodeWith(BatchManifest, json);
  if (E.isLeft(decoded)) throw new Error(`the batch manifest is invalid: ${decoded.left}`);
  return decoded.right;
};

const progressPrinter = (enabled: boolean, started: number) => {
  let last = 0;
  const tty = process.stderr.isTTY === true;
  return {
    tick: (p: Progress) => {
      if (!enabled) return;
      const t = Date.now();
      if (t - last < 1000) return;
      last = t;
      const s = (t - started) / 1000;
      const line = `validate: ${p.rows.toLocaleString('en-US')} rows, ${(p.bytes / 1e6 / s).toFixed(1)} MB/s, ${p.file}`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    done: () => {
      if (enabled && tty && last !== 0) process.stderr.write('\n');
    },
  };
};

const summary = (r: ValidationReport, out: string, seconds: number): string => {
  const kinds = KINDS.map((k) => `${k} ${r.kinds[k].rows_cleaned}/${r.kinds[k].rows_read}`).join(', ');
  const rows = KINDS.reduce((s, k) => s + r.kinds[k].rows_read, 0);
  const quarantinedFiles = r.files.filter((f) => f.file_reason).length;
  return (
    `${r.verdict} ${r.batch_id}: cleaned/read ${kinds}; ${KINDS.reduce((s, k) => s + r.kinds[k].rows_quarantined, 0)} rows quarantined` +
    `${quarantinedFiles ? `, ${quarantinedFiles} files quarantined` : ''}; ${seconds.toFixed(1)} s, ${Math.round(rows / Math.max(seconds, 1e-3)).toLocaleString('en-US')} rows/s; ` +
    `report ${out}${validationReportKey(r.batch_id)}`
  );
};

const main = async () => {
  let flags;
  try {
    flags = parseFlags({
      options: {
        input: { type: 'string' },
        out: { type: 'string' },
        'batch-id': { type: 'string' },
        manifest: { type: 'string' },
        'max-reject-rate': { type: 'string' },
        'exit-zero-on-reject': { type: 'boolean' },
        progress: { type: 'boolean' },
        threads: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return fail(EXIT.usage, `${(error as Error).message} (see --help)`);
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return process.exit(EXIT.accepted);
  }
  const decoded = decodeValidateConfig(flags, process.env, process.stderr.isTTY === true);
  if (E.isLeft(decoded)) return fail(EXIT.usage, `${decoded.left} (see --help)`);
  const config = decoded.right;
  if (config.logLevel) process.env.LOG_LEVEL = config.logLevel;
  const log = logger('validate');
  const started = Date.now();
  const progress = progressPrinter(config.progress, started);
  let bytesRead = 0;
  try {
    const manifest = config.manifest ? await readManifest(config.manifest) : undefined;
    const report = await validateBatch({
      source: openStore(config.input),
      lake: openStore(config.out),
      manifest,
      batchId: config.batchId,
      maxRejectRate: config.maxRejectRate,
      moveRejectedInputs: config.input.kind === 's3',
      onProgress: (p) => {
        bytesRead = Math.max(bytesRead, p.bytes);
        progress.tick(p);
      },
      log,
      sourceLocation: config.input,
      threads: config.threads,
    });
    progress.done();
    const out = showLocation(config.out);
    process.stdout.write(`${summary(report, out.endsWith('/') ? out : `${out}/`, (Date.now() - started) / 1000)}\n`);
    for (const reason of report.reasons) log.warn('rejected', { reason });
    emitMetrics(validationMetrics(report, { pipeline: metricsPipeline(), timestamp: Date.now(), durationMs: Date.now() - started, bytesRead }));
    process.exit(report.verdict === 'ACCEPTED' || config.exitZeroOnReject ? EXIT.accepted : EXIT.rejected);
  } catch (error) {
    progress.done();
    log.debug('failure', { stack: (error as Error).stack });
    fail(EXIT.failure, (error as Error).message.split('\n')[0] ?? 'unknown error');
  }
};

// The bundle is also the entry of its own check threads (threads/check-thread.ts): no CLI there.
if (isMainThread) void main();
