// CloudWatch embedded metric format (EMF) documents: one JSON log line that CloudWatch Logs turns
// into metrics. Pure construction here; workers/io/metrics.ts writes them, and the aggregator
// Lambda emits the same shape through @aws-lambda-powertools/metrics. Spec:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
import { KINDS, type Kind } from './records.js';
import type { ValidationReport } from './report.js';

/** One namespace for every deployment; the `Pipeline` dimension tells deployments apart. */
export const METRICS_NAMESPACE = 'EcommercePipeline';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes' | 'None';

export interface Metric {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly value: number;
}

export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<ReadonlyArray<string>>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: MetricUnit }>;
    }>;
  };
  readonly [member: string]: unknown;
}

// The spec's limits: a document over them is dropped by CloudWatch as a whole, so refuse early.
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 30;

/**
 * One EMF document: the dimensions as one dimension set, every metric's value at top level beside
 * them, and `properties` (searchable in Logs Insights, not metrics) too. Throws on a name used
 * twice, a non-finite value or over the spec's limits: those are programming errors.
 */
export const emfDocument = (
  timestamp: number,
  dimensions: Readonly<Record<string, string>>,
  metrics: ReadonlyArray<Metric>,
  properties: Readonly<Record<string, string | number>> = {},
): EmfDocument => {
  const dimensionNames = Object.keys(dimensions);
  if (dimensionNames.length > MAX_DIMENSIONS) throw new Error(`EMF: ${dimensionNames.length} dimensions, at most ${MAX_DIMENSIONS}`);
  if (metrics.length === 0 || metrics.length > MAX_METRICS) throw new Error(`EMF: ${metrics.length} metrics, 1 to ${MAX_METRICS}`);
  const members = new Set(['_aws', ...dimensionNames, ...Object.keys(properties)]);
  const values: Record<string, number> = {};
  for (const m of metrics) {
    if (members.has(m.name)) throw new Error(`EMF: member ${m.name} twice`);
    if (!Number.isFinite(m.value)) throw new Error(`EMF: ${m.name} is ${m.value}`);
    members.add(m.name);
    values[m.name] = m.value;
  }
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [dimensionNames], Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })) }],
    },
    ...properties,
    ...dimensions,
    ...values,
  };
};

const count = (name: string, value: number): Metric => ({ name, unit: 'Count', value });

/** Largest per-kind share of quarantined rows: the figure the batch verdict compares (DESIGN §4). */
export const batchRejectRate = (report: ValidationReport): number => Math.max(...KINDS.map((k) => report.kinds[k].reject_rate));

/**
 * The validate worker's metrics: one document per kind (dimension Kind) and one for the batch.
 * RejectRate is a share 0..1 (unit None), like max_reject_rate; the batch's is the largest kind's.
 */
export const validationMetrics = (
  report: ValidationReport,
  run: { readonly pipeline: string; readonly timestamp: number; readonly durationMs: number; readonly bytesRead: number },
): EmfDocument[] => {
  const stage = { Pipeline: run.pipeline, Stage: 'validate' };
  const props = { batch_id: report.batch_id, verdict: report.verdict };
  const perKind = KINDS.map((kind: Kind) => {
    const k = report.kinds[kind];
    return emfDocument(run.timestamp, { ...stage, Kind: kind }, [
      count('RowsRead', k.rows_read),
      count('RowsCleaned', k.rows_cleaned),
      count('RowsQuarantined', k.rows_quarantined),
      { name: 'RejectRate', unit: 'None', value: k.reject_rate },
    ], props);
  });
  const sum = (f: (k: ValidationReport['kinds'][Kind]) => number) => KINDS.reduce((s, kind) => s + f(report.kinds[kind]), 0);
  const batch = emfDocument(run.timestamp, stage, [
    count('RowsRead', sum((k) => k.rows_read)),
    count('RowsCleaned', sum((k) => k.rows_cleaned)),
    count('RowsQuarantined', sum((k) => k.rows_quarantined)),
    count('FilesQuarantined', report.files.filter((f) => f.file_reason !== undefined).length),
    { name: 'RejectRate', unit: 'None', value: batchRejectRate(report) },
    count('BatchesAccepted', report.verdict === 'ACCEPTED' ? 1 : 0),
    count('BatchesRejected', report.verdict === 'REJECTED' ? 1 : 0),
    { name: 'Duration', unit: 'Milliseconds', value: run.durationMs },
    { name: 'BytesRead', unit: 'Bytes', value: run.bytesRead },
  ], props);
  return [...perKind, batch];
};

/** What the transform worker's metrics are made of (a slice of its report). */
export interface TransformFigures {
  readonly batch_id: string;
  readonly dates_recomputed: ReadonlyArray<string>;
  readonly rows: { readonly order: { readonly written: number; readonly deleted: number }; readonly category: { readonly written: number; readonly deleted: number } };
  readonly counts: { readonly orders_counted: number; readonly items_counted: number };
  readonly analytics: { readonly bytes: number };
  /** Over the recomputed dates, after this batch; total_revenue in currency units with 2 decimals. */
  readonly summary: { readonly total_orders: number; readonly total_revenue: number };
}

/**
 * The transform worker's metrics, one document. Business metrics: Orders and RevenueCents are the
 * KPI totals of the dates the batch recomputed (integer cents, so sums stay exact), the figures a
 * re-delivery replaces rather than adds to.
 */
export const transformMetrics = (
  report: TransformFigures,
  run: { readonly pipeline: string; readonly timestamp: number; readonly durationMs: number },
): EmfDocument[] => [
  emfDocument(run.timestamp, { Pipeline: run.pipeline, Stage: 'transform' }, [
    count('DatesRecomputed', report.dates_recomputed.length),
    count('KpiRowsWritten', report.rows.order.written + report.rows.category.written),
    count('KpiRowsDeleted', report.rows.order.deleted + report.rows.category.deleted),
    count('OrdersCounted', report.counts.orders_counted),
    count('ItemsCounted', report.counts.items_counted),
    count('Orders', report.summary.total_orders),
    { name: 'RevenueCents', unit: 'None', value: Math.round(report.summary.total_revenue * 100) },
    count('BatchesTransformed', 1),
    { name: 'BytesWritten', unit: 'Bytes', value: report.analytics.bytes },
    { name: 'Duration', unit: 'Milliseconds', value: run.durationMs },
  ], { batch_id: report.batch_id }),
];
