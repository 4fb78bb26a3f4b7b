// The bench's analytics-lake line: what the transform's Parquet publishing cost in the measured
// transform run, from its report (the transform publishes every recomputed date; DESIGN §13).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransformReport } from '../../workers/transform/transform-batch.js';

export const parquetLine = async (lake: string, batchId: string): Promise<string> => {
  const report = JSON.parse(await readFile(join(lake, 'reports', batchId, 'transform.json'), 'utf8')) as TransformReport;
  const a = report.analytics;
  const rows = Object.values(a.rows).reduce((n, r) => n + r, 0);
  const secs = a.ms / 1000;
  return (
    `parquet            rows=${rows} (items ${a.rows.order_items}) dates=${a.dates_published} MB_written=${(a.bytes / 1e6).toFixed(1)} ` +
    `publish_s=${secs.toFixed(2)} rows/s=${secs > 0 ? Math.round(rows / secs) : 'n/a'} (inside the transform line: dates in flight overlap, so publish_s sums per-date time)`
  );
};
