// The alarms and widgets on the pipeline's own EMF metrics (infra/pipeline-metrics.ts), as
// synthesized: the dimensions they watch are the ones the workers and the Lambda emit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { METRICS_NAMESPACE } from '../../workers/core/metrics.js';
import { MAX_STALENESS_HOURS } from '../../infra/pipeline-metrics.js';
import { resource, resources, synthesized } from '../support/synth.js';

const TOPIC = '${aws_sns_topic.topic.arn}';
const PIPELINE = '${var.name_prefix}-${var.environment}-pipeline';

test('the reject-rate alarm watches the batch RejectRate of this deployment above max_reject_rate, as the verdict does', () => {
  const alarm = resource('aws_cloudwatch_metric_alarm', 'alarm_reject_rate');
  assert.equal(
    [alarm['namespace'], alarm['metric_name'], alarm['dimensions'], alarm['statistic'], alarm['threshold'], alarm['comparison_operator'], alarm['treat_missing_data']],
    [METRICS_NAMESPACE, 'RejectRate', { Pipeline: PIPELINE, Stage: 'validate' }, 'Maximum', '${var.max_reject_rate}', 'GreaterThanThreshold', 'notBreaching'],
  );
  assert.equal(alarm['alarm_actions'], [TOPIC]);
});

test('the staleness alarm: no succeeded execution in any of the last staleness_hours hours, missing data breaching', () => {
  const alarm = resource('aws_cloudwatch_metric_alarm', 'alarm_stale');
  assert.equal(
    [alarm['namespace'], alarm['metric_name'], alarm['dimensions'], alarm['statistic'], alarm['period'], alarm['comparison_operator'], alarm['threshold'], alarm['treat_missing_data']],
    ['AWS/States', 'ExecutionsSucceeded', { StateMachineArn: '${aws_sfn_state_machine.pipeline.arn}' }, 'Sum', 3600, 'LessThanThreshold', 1, 'breaching'],
  );
  assert.is(alarm['evaluation_periods'], '${var.staleness_hours}');
  assert.is(alarm['datapoints_to_alarm'], '${var.staleness_hours}');
  assert.equal(alarm['alarm_actions'], [TOPIC]);
  assert.ok(MAX_STALENESS_HOURS * 3600 <= 7 * 86_400, 'CloudWatch caps period x evaluation periods at 7 days');
});

test('staleness_hours: a described number, default 24, validated to whole hours within the 7-day cap', () => {
  const v = (synthesized().json as unknown as { variable: Record<string, Record<string, unknown>> }).variable['staleness_hours']!;
  assert.equal([v['type'], v['default']], ['number', 24]);
  assert.ok(String(v['description']).length > 20);
  assert.match(JSON.stringify(v['validation']), new RegExp(`<= ${MAX_STALENESS_HOURS}`));
});

test('workers and the aggregator get the Pipeline dimension value the alarm and widgets watch', () => {
  const [[, fn] = ['', {}]] = resources('aws_lambda_function');
  assert.is((fn['environment'] as { variables: Record<string, string> }).variables['METRICS_PIPELINE'], PIPELINE);
  for (const [name, task] of resources('aws_ecs_task_definition'))
    assert.ok(String(task['container_definitions']).includes('METRICS_PIPELINE'), name);
});

test('the dashboard shows rows per kind, reject rate, duration, bytes, KPI rows, revenue and orders', () => {
  const [[, dashboard] = ['', {}]] = resources('aws_cloudwatch_dashboard');
  const body = String(dashboard['dashboard_body']);
  for (const metric of ['RowsRead', 'RowsQuarantined', 'RejectRate', 'Duration', 'BytesRead', 'BytesWritten', 'KpiRowsWritten', 'RevenueCents', 'Orders', 'BatchesStarted'])
    assert.ok(body.includes(`"${metric}"`), metric);
  assert.ok(body.includes(METRICS_NAMESPACE));
  assert.ok(body.includes('"Kind","orders"') || body.includes('"Kind", "orders"'), 'per-kind lines');
});

test.run();
