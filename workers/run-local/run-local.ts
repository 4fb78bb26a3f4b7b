// validate + transform in one process on local directories, no AWS: the input directory is only
// read; the lake directory holds the cleaned zone, reports and the KPI store (kpis/), so a second
// run on the same lake is a second batch on top of the first.
import type { KpiRows } from '../core/kpi-rows.js';
import type { ValidationReport } from '../core/report.js';
import { blobKpiStore } from '../io/blob-kpi-store.js';
import { localStore } from '../io/local-store.js';
import type { Logger } from '../io/log.js';
import { transformBatch, type TransformReport } from '../transform/transform-batch.js';
import { validateBatch } from '../validate/validate-batch.js';

export interface RunLocalOptions {
  readonly input: string;
  readonly lake: string;
  readonly batchId?: string;
  readonly maxRejectRate: number;
  /** Copy the inputs to the lake's archive/<batch>/ as the pipeline does (never moves them). */
  readonly archive: boolean;
  readonly log?: Logger;
  /** Validate's check threads (default: one per core). */
  readonly threads?: number;
  /** The transform's analytics Parquet on a worker thread, as the transform task runs it (default: inline). */
  readonly analyticsThread?: boolean;
}

export interface RunLocalResult {
  readonly validation: ValidationReport;
  /** Absent when the batch was rejected: nothing was published, the KPIs are unchanged. */
  readonly transform?: TransformReport;
  /** The whole KPI state of the lake after this run, sorted by key. */
  readonly kpis: KpiRows;
}

export const runLocal = async (options: RunLocalOptions): Promise<RunLocalResult> => {
  const source = localStore(options.input);
  const lake = localStore(options.lake);
  const store = blobKpiStore(lake);
  const validation = await validateBatch({
    source,
    lake,
    maxRejectRate: options.maxRejectRate,
    sourceLocation: { kind: 'local', root: options.input },
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.batchId !== undefined ? { batchId: options.batchId } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const transform =
    validation.verdict === 'ACCEPTED'
      ? await transformBatch(
          {
            lake,
            store,
            ...(options.archive ? { landing: source } : {}),
            removeFromLanding: false,
            ...(options.log ? { log: options.log } : {}),
            ...(options.analyticsThread ? { analyticsThread: { kind: 'local', root: options.lake } as const } : {}),
          },
          validation.batch_id,
        )
      : undefined;
  return { validation, ...(transform ? { transform } : {}), kpis: await store.allRows() };
};

/** The --json document: KPI rows of both tables, then the validation report. */
export const kpiJson = (result: RunLocalResult): string =>
  `${JSON.stringify({ order: result.kpis.order, category: result.kpis.category, validation: result.validation }, null, 2)}\n`;
