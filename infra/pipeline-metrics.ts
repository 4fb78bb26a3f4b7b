// Alarms and dashboard widgets on the workers' and the aggregator's own EMF metrics
// (workers/core/metrics.ts), plus the staleness alarm: no successful execution for a while.
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { METRICS_NAMESPACE } from '../workers/core/metrics.js';
import type { Namer } from './naming.js';

/** CloudWatch keeps an alarm's window (period x evaluation periods) within 7 days for hourly periods. */
export const MAX_STALENESS_HOURS = 168;

export interface MetricsInputs {
  readonly stalenessHours: TerraformVariable;
}

export const declareMetricsInputs = (scope: Construct): MetricsInputs => {
  const stalenessHours = new TerraformVariable(scope, 'var_staleness_hours', {
    type: 'number',
    default: 24,
    description: `Hours without one successful pipeline execution after which the staleness alarm notifies the topic (whole hours, 1 to ${MAX_STALENESS_HOURS}).`,
    // As in variables.ts: a validation condition is an expression only inside `${…}`.
    validation: [{
      condition: `\${var.staleness_hours >= 1 && var.staleness_hours <= ${MAX_STALENESS_HOURS} && floor(var.staleness_hours) == var.staleness_hours}`,
      errorMessage: `staleness_hours: whole hours between 1 and ${MAX_STALENESS_HOURS}.`,
    }],
  });
  stalenessHours.overrideLogicalId('staleness_hours');
  return { stalenessHours };
};

/** The `Pipeline` dimension value of this deployment (METRICS_PIPELINE in the workers' environment). */
export const metricsPipelineName = (name: Namer): string => name('pipeline');

export const pipelineMetricAlarms = (
  scope: Construct,
  props: { name: Namer; topic: SnsTopic; machine: SfnStateMachine; maxRejectRate: number; stalenessHours: number },
): CloudwatchMetricAlarm[] => {
  const { name, topic } = props;
  const notify = { alarmActions: [topic.arn], okActions: [topic.arn] };
  return [
    // The batch figure is the largest kind's share, the one the verdict compares: above the limit
    // the batch was rejected (executions_failed pages too, this one says why).
    new CloudwatchMetricAlarm(scope, 'alarm_reject_rate', {
      alarmName: name('reject-rate'),
      alarmDescription: 'A batch quarantined a larger share of some kind\'s rows than max_reject_rate allows',
      namespace: METRICS_NAMESPACE,
      metricName: 'RejectRate',
      dimensions: { Pipeline: metricsPipelineName(name), Stage: 'validate' },
      statistic: 'Maximum',
      period: 300,
      evaluationPeriods: 1,
      threshold: props.maxRejectRate,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      ...notify,
    }),
    // Hourly sums, every one of the last N missing or zero: no batch made it through for N hours.
    // Missing data is breaching, since silence is exactly what this alarm is for.
    new CloudwatchMetricAlarm(scope, 'alarm_stale', {
      alarmName: name('stale'),
      alarmDescription: 'No pipeline execution succeeded within staleness_hours',
      namespace: 'AWS/States',
      metricName: 'ExecutionsSucceeded',
      dimensions: { StateMachineArn: props.machine.arn },
      statistic: 'Sum',
      period: 3600,
      evaluationPeriods: props.stalenessHours,
      datapointsToAlarm: props.stalenessHours,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
      ...notify,
    }),
  ];
};

/** Dashboard widgets (the dashboard's JSON shape) on the EMF metrics, from row y on. */
export const pipelineMetricWidgets = (name: Namer, region: string, y: number): unknown[] => {
  const pipeline = metricsPipelineName(name);
  const ns = METRICS_NAMESPACE;
  const widget = (title: string, metrics: unknown[][], x: number, row: number, stat = 'Sum') => ({
    type: 'metric',
    x,
    y: y + row * 6,
    width: 12,
    height: 6,
    properties: { title, region, stat, period: 300, view: 'timeSeries', metrics },
  });
  const perKind = (metric: string) =>
    ['products', 'orders', 'order_items'].map((kind) => [ns, metric, 'Pipeline', pipeline, 'Stage', 'validate', 'Kind', kind]);
  return [
    widget('Rows read per kind', perKind('RowsRead'), 0, 0),
    widget('Rows quarantined per kind', perKind('RowsQuarantined'), 12, 0),
    widget('Reject rate (share, max per batch)', [
      [ns, 'RejectRate', 'Pipeline', pipeline, 'Stage', 'validate'],
      ...perKind('RejectRate'),
    ], 0, 1, 'Maximum'),
    widget('Batches', [
      [ns, 'BatchesAccepted', 'Pipeline', pipeline, 'Stage', 'validate'],
      [ns, 'BatchesRejected', 'Pipeline', pipeline, 'Stage', 'validate'],
      [ns, 'BatchesTransformed', 'Pipeline', pipeline, 'Stage', 'transform'],
      [ns, 'BatchesStarted', 'Pipeline', pipeline, 'Stage', 'aggregator', 'service', 'aggregator'],
    ], 12, 1),
    widget('Worker duration (ms)', [
      [ns, 'Duration', 'Pipeline', pipeline, 'Stage', 'validate'],
      [ns, 'Duration', 'Pipeline', pipeline, 'Stage', 'transform'],
    ], 0, 2, 'Maximum'),
    widget('Bytes read (validate) and Parquet written (transform)', [
      [ns, 'BytesRead', 'Pipeline', pipeline, 'Stage', 'validate'],
      [ns, 'BytesWritten', 'Pipeline', pipeline, 'Stage', 'transform'],
    ], 12, 2),
    widget('KPI rows written / deleted', [
      [ns, 'KpiRowsWritten', 'Pipeline', pipeline, 'Stage', 'transform'],
      [ns, 'KpiRowsDeleted', 'Pipeline', pipeline, 'Stage', 'transform'],
    ], 0, 3),
    widget('Revenue (cents) and orders of the recomputed dates', [
      [ns, 'RevenueCents', 'Pipeline', pipeline, 'Stage', 'transform', { yAxis: 'left' }],
      [ns, 'Orders', 'Pipeline', pipeline, 'Stage', 'transform', { yAxis: 'right' }],
    ], 12, 3, 'Maximum'),
  ];
};
