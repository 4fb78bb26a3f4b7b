// node dist/run-local.js --input DIR --lake DIR [--json OUT] [--batch-id ID] [--max-reject-rate R] [--archive]
import * as E from 'fp-ts/Either';
import { writeFile } from 'node:fs/promises';
import { categoryTable, orderTable } from '../core/kpi-table.js';
import type { ValidationReport } from '../core/report.js';
import { parseFlags, runCli, UsageError } from '../io/cli.js';
import { BatchId, PositiveIntFromString, RejectRate } from '../io/config.js';
import { decodeFlag } from '../io/kpi-config.js';
import { logger } from '../io/log.js';
import { DEFAULT_MAX_REJECT_RATE } from '../validate/config.js';
import { analyticsThreads } from '../transform/config.js';
import { kpiJson, runLocal } from './run-local.js';

const HELP = `Usage: node dist/run-local.js --input DIR --lake DIR [options]

Validates the shop files under DIR (orders/, order_items/, products/) and, when the batch is
accepted, transforms it: all in this process, no AWS. The input directory is only read. The lake
directory keeps the cleaned zone, quarantine, reports and the KPIs (kpis/), so a second run on the
same lake with another input is a second batch; the same input again is the same batch (a re-run
that changes nothing). Prints the lake's KPI tables and the validation summary.

Options:
  --input DIR            the batch's files (read only)
  --lake DIR             the local lake (created when missing)
  --json OUT             also write {"order": [...], "category": [...], "validation": {...}}
  --batch-id ID          batch id (default: a hash of the input files' keys, sizes and times)
  --max-reject-rate R    per-kind share of rejected rows that rejects the batch (default ${DEFAULT_MAX_REJECT_RATE})
  --archive              copy the inputs to <lake>/archive/<batch>/ as the pipeline does
  --quiet                no tables on stdout
  --help                 this text
Environment: VALIDATE_THREADS (check threads, default one per core), ANALYTICS_THREADS (1, the
default: the transform's Parquet on a thread of its own; 0: on the main thread).
Exit codes: 0 accepted (KPIs updated), 2 rejected (report written, KPIs unchanged), 1 failure.
`;

const validationSummary = (v: ValidationReport): string => {
  const kinds = (['products', 'orders', 'order_items'] as const)
    .map((k) => `  ${k.padEnd(12)} read ${v.kinds[k].rows_read}, cleaned ${v.kinds[k].rows_cleaned}, quarantined ${v.kinds[k].rows_quarantined}`)
    .join('\n');
  const reasons = Object.entries(v.reason_counts)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return `Validation of ${v.batch_id}: ${v.verdict}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}\n${kinds}\n${reasons ? `  reasons: ${reasons}\n` : ''}`;
};

runCli('run-local', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      input: { type: 'string' },
      lake: { type: 'string' },
      json: { type: 'string' },
      'batch-id': { type: 'string' },
      'max-reject-rate': { type: 'string' },
      archive: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.input || !values.lake) throw new UsageError('--input and --lake are required (see --help)');
  if (/^s3:\/\//.test(values.input) || /^s3:\/\//.test(values.lake)) throw new UsageError('run-local works on local directories only');
  const rate = values['max-reject-rate'] === undefined ? E.right(DEFAULT_MAX_REJECT_RATE) : decodeFlag('max-reject-rate', RejectRate, values['max-reject-rate']);
  if (E.isLeft(rate)) throw new UsageError(rate.left);
  const batchId = values['batch-id'] === undefined ? E.right(undefined) : decodeFlag('batch-id', BatchId, values['batch-id']);
  if (E.isLeft(batchId)) throw new UsageError(batchId.left);
  const threads = process.env.VALIDATE_THREADS === undefined ? E.right(undefined) : decodeFlag('VALIDATE_THREADS', PositiveIntFromString, process.env.VALIDATE_THREADS);
  if (E.isLeft(threads)) throw new UsageError(threads.left);
  const analytics = analyticsThreads(process.env.ANALYTICS_THREADS);
  if (E.isLeft(analytics)) throw new UsageError(analytics.left);

  const result = await runLocal({
    input: values.input,
    lake: values.lake,
    ...(batchId.right !== undefined ? { batchId: batchId.right } : {}),
    maxRejectRate: rate.right,
    archive: values.archive === true,
    log: logger('run-local'),
    ...(threads.right !== undefined ? { threads: threads.right } : {}),
    analyticsThread: analytics.right === 1,
  });
  if (values.json) await writeFile(values.json, kpiJson(result));
  if (!values.quiet) {
    process.stdout.write(`Order KPIs (${result.kpis.order.length} dates)\n${orderTable(result.kpis.order)}\n`);
    process.stdout.write(`Category KPIs (${result.kpis.category.length} rows)\n${categoryTable(result.kpis.category)}\n`);
  }
  process.stdout.write(validationSummary(result.validation));
  return result.validation.verdict === 'ACCEPTED' ? 0 : 2;
});
