// Alarms that page through the pipeline topic, and one dashboard for the whole flow. A rejected
// batch ends its execution in Fail, so it counts as a failed execution: a rejection needs a person.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { Namer } from './naming.js';
import type { AwsContext } from './context.js';
import { pipelineMetricAlarms, pipelineMetricWidgets } from './pipeline-metrics.js';

export interface Monitoring {
  readonly alarms: readonly CloudwatchMetricAlarm[];
  readonly dashboard: CloudwatchDashboard;
}

interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: 'Sum' | 'Maximum';
  /** Default 1: any occurrence pages. */
  readonly threshold?: number;
}

/**
 * An event older than this in the events queue means the aggregator keeps failing on it: it
 * catches its own evaluation errors (AccessDenied included) into batchItemFailures, so Lambda's
 * Errors metric stays at 0 while the FIFO group stalls behind the failing message. A healthy
 * queue drains in seconds; the settle window's re-checks do not wait in the queue (the scheduler
 * holds them).
 */
export const EVENTS_MAX_AGE_SECONDS = 900;

export const monitoring = (
  scope: Construct,
  props: {
    name: Namer;
    aws: AwsContext;
    topic: SnsTopic;
    machine: SfnStateMachine;
    aggregator: LambdaFunction;
    queue: SqsQueue;
    deadLetterQueue: SqsQueue;
    undeliveredQueue: SqsQueue;
    /** Thresholds of the alarms on the workers' metrics (infra/pipeline-metrics.ts). */
    thresholds: { maxRejectRate: number; stalenessHours: number };
  },
): Monitoring => {
  const { name, topic, machine, aggregator, deadLetterQueue, queue } = props;
  const specs: AlarmSpec[] = [
    { id: 'executions_failed', description: 'A pipeline execution failed or rejected its batch', namespace: 'AWS/States', metric: 'ExecutionsFailed', dimensions: { StateMachineArn: machine.arn }, statistic: 'Sum' },
    { id: 'executions_timed_out', description: 'A pipeline execution timed out', namespace: 'AWS/States', metric: 'ExecutionsTimedOut', dimensions: { StateMachineArn: machine.arn }, statistic: 'Sum' },
    { id: 'executions_aborted', description: 'A pipeline execution was aborted (stopped by hand or by an apply): its lock may be held until the lease passes', namespace: 'AWS/States', metric: 'ExecutionsAborted', dimensions: { StateMachineArn: machine.arn }, statistic: 'Sum' },
    { id: 'aggregator_errors', description: 'The aggregator Lambda failed', namespace: 'AWS/Lambda', metric: 'Errors', dimensions: { FunctionName: aggregator.functionName }, statistic: 'Sum' },
    { id: 'events_stalled', description: `A landing event waited over ${EVENTS_MAX_AGE_SECONDS} s: the aggregator keeps failing to evaluate landing (see its log)`, namespace: 'AWS/SQS', metric: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: queue.name }, statistic: 'Maximum', threshold: EVENTS_MAX_AGE_SECONDS },
    { id: 'events_undelivered', description: 'EventBridge or the settle scheduler could not deliver events to the queue', namespace: 'AWS/SQS', metric: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: props.undeliveredQueue.name }, statistic: 'Maximum' },
    { id: 'events_dlq_depth', description: 'Landing events reached the dead-letter queue: some uploads were not aggregated', namespace: 'AWS/SQS', metric: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: deadLetterQueue.name }, statistic: 'Maximum' },
  ];
  const alarms = specs.map((spec) =>
    new CloudwatchMetricAlarm(scope, `alarm_${spec.id}`, {
      alarmName: name(spec.id.replace(/_/g, '-')),
      alarmDescription: spec.description,
      namespace: spec.namespace,
      metricName: spec.metric,
      dimensions: spec.dimensions,
      statistic: spec.statistic,
      period: 300,
      evaluationPeriods: 1,
      threshold: spec.threshold ?? 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    }),
  );
  alarms.push(...pipelineMetricAlarms(scope, { name, topic, machine, ...props.thresholds }));

  const widget = (title: string, metrics: unknown[][], x: number, y: number) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: props.aws.region, stat: 'Sum', period: 300, view: 'timeSeries', metrics },
  });
  const dashboard = new CloudwatchDashboard(scope, 'dashboard', {
    dashboardName: name('pipeline'),
    dashboardBody: Fn.jsonencode({
      widgets: [
        widget('Executions', [
          ['AWS/States', 'ExecutionsStarted', 'StateMachineArn', machine.arn],
          ['AWS/States', 'ExecutionsSucceeded', 'StateMachineArn', machine.arn],
          ['AWS/States', 'ExecutionsFailed', 'StateMachineArn', machine.arn],
          ['AWS/States', 'ExecutionsTimedOut', 'StateMachineArn', machine.arn],
          ['AWS/States', 'ExecutionsAborted', 'StateMachineArn', machine.arn],
        ], 0, 0),
        widget('Aggregator', [
          ['AWS/Lambda', 'Invocations', 'FunctionName', aggregator.functionName],
          ['AWS/Lambda', 'Errors', 'FunctionName', aggregator.functionName],
          ['AWS/Lambda', 'Throttles', 'FunctionName', aggregator.functionName],
        ], 12, 0),
        widget('Landing events', [
          ['AWS/SQS', 'NumberOfMessagesReceived', 'QueueName', queue.name],
          ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', deadLetterQueue.name, { stat: 'Maximum' }],
          ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', queue.name, { stat: 'Maximum' }],
        ], 0, 6),
        widget('Execution time (ms)', [
          ['AWS/States', 'ExecutionTime', 'StateMachineArn', machine.arn, { stat: 'Maximum' }],
        ], 12, 6),
        ...pipelineMetricWidgets(name, props.aws.region, 12),
      ],
    }),
  });
  return { alarms, dashboard };
};
