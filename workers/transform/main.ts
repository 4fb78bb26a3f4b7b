// node dist/transform.js --lake <dir|s3://…> --batch-id ID [--landing <dir|s3://…>]
//   [--category-table T --order-table T] [--help]
import * as E from 'fp-ts/Either';
import { openStore } from '../io/blob-store.js';
import { parseFlags, runCli, UsageError } from '../io/cli.js';
import { openKpiStore } from '../io/kpi-config.js';
import { showLocation } from '../io/location.js';
import { logger } from '../io/log.js';
import { emitMetrics, metricsPipeline } from '../io/metrics.js';
import { transformMetrics } from '../core/metrics.js';
import { decodeTransformConfig } from './config.js';
import { transformBatch } from './transform-batch.js';

const HELP = `Usage: node dist/transform.js --lake <dir|s3://bucket/prefix> --batch-id ID [options]

Recomputes the KPIs of every order date a committed batch touches, from the cleaned zone of all
committed batches (latest version of each order wins), replaces those dates' rows in the KPI
store, writes reports/<batch>/transform.json, then archives the batch's inputs.

Options (environment variable in brackets; flags override):
  --lake L             lake root, a directory or s3://bucket/prefix   [LAKE_BUCKET]
  --batch-id ID        the committed batch to transform               [BATCH_ID]
  --landing L          where the batch's inputs were read; they are copied to archive/<batch>/ and,
                       from S3 only, deleted (a local directory is never changed) [LANDING_BUCKET]
  --category-table T   category KPI table (DynamoDB)                  [CATEGORY_KPI_TABLE]
  --order-table T      order KPI table (DynamoDB)                     [ORDER_KPI_TABLE]
                       without tables, KPIs are files under <lake>/kpis/
  --help               this text
Also: DYNAMODB_BATCH_SIZE (1-25, default 25), DYNAMODB_MAX_RETRIES (default 8), LOG_LEVEL,
ANALYTICS_THREADS (1, default: the analytics Parquet is built and written on a worker thread;
0: on the main thread).
Exit 0 when done, 1 with a one-line reason on stderr otherwise.
`;

runCli('transform', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      lake: { type: 'string' },
      'batch-id': { type: 'string' },
      landing: { type: 'string' },
      'category-table': { type: 'string' },
      'order-table': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = decodeTransformConfig(values, process.env);
  if (E.isLeft(config)) throw new UsageError(config.left);
  const { lake: lakeAt, batchId, landing: landingAt, store, analyticsThreads } = config.right;
  const lake = openStore(lakeAt);
  const log = logger('transform');
  const started = Date.now();
  const report = await transformBatch(
    {
      lake,
      store: openKpiStore(store, lake),
      ...(landingAt ? { landing: openStore(landingAt) } : {}),
      removeFromLanding: landingAt?.kind === 's3',
      log,
      ...(analyticsThreads === 1 ? { analyticsThread: lakeAt } : {}),
    },
    batchId,
  );
  log.info('done', {
    batch_id: batchId,
    lake: showLocation(lakeAt),
    dates: report.dates_recomputed.length,
    rows: report.rows,
    orders: report.counts.orders_counted,
    items: report.counts.items_counted,
  });
  emitMetrics(transformMetrics(report, { pipeline: metricsPipeline(), timestamp: Date.now(), durationMs: Date.now() - started }));
  return 0;
});
