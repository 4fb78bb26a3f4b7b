// The aggregator's metrics, through Powertools (the Lambda's own EMF writer): same namespace and
// Pipeline/Stage dimensions as the workers' (core/metrics.ts). Powertools adds a `service`
// dimension of its own. It writes to stdout, which Lambda ships to CloudWatch Logs.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../core/metrics.js';
import { metricsPipeline } from '../io/metrics.js';
import type { Outcome } from './aggregate.js';

/** What one SQS batch came to. */
export interface Tally {
  readonly records: number;
  readonly unreadable: number;
  /** undefined: no evaluation (no record of the landing bucket); [] when it failed. */
  readonly outcomes: ReadonlyArray<Outcome> | undefined;
  readonly evaluationFailed: boolean;
}

export const aggregatorMetrics = (env: NodeJS.ProcessEnv = process.env): Metrics =>
  new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'aggregator', defaultDimensions: { Pipeline: metricsPipeline(env), Stage: 'aggregator' } });

export const recordTally = (metrics: Metrics, tally: Tally): void => {
  const of = (tag: Outcome['_tag']) => (tally.outcomes ?? []).filter((o) => o._tag === tag);
  const started = of('Started') as ReadonlyArray<Extract<Outcome, { _tag: 'Started' }>>;
  metrics.addMetric('EventsReceived', MetricUnit.Count, tally.records);
  metrics.addMetric('EventsUnreadable', MetricUnit.Count, tally.unreadable);
  metrics.addMetric('Evaluations', MetricUnit.Count, tally.outcomes === undefined ? 0 : 1);
  metrics.addMetric('EvaluationsFailed', MetricUnit.Count, tally.evaluationFailed ? 1 : 0);
  metrics.addMetric('BatchesStarted', MetricUnit.Count, started.length);
  metrics.addMetric('FilesStarted', MetricUnit.Count, started.reduce((n, o) => n + o.files, 0));
  metrics.addMetric('BatchesSettling', MetricUnit.Count, of('Settling').length);
};
