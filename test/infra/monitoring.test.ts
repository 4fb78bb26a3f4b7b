import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resources } from '../support/synth.js';

const TOPIC = '${aws_sns_topic.topic.arn}';
const alarms = resources('aws_cloudwatch_metric_alarm');

test('every alarm notifies the SNS topic', () => {
  assert.ok(alarms.length >= 4);
  for (const [name, alarm] of alarms) assert.ok((alarm['alarm_actions'] as string[]).includes(TOPIC), name);
});

test('alarms on failed and timed-out executions, Lambda errors and DLQ depth', () => {
  const watched = alarms.map(([, a]) => `${a['namespace']}/${a['metric_name']}`).sort();
  assert.equal(watched, ['AWS/Lambda/Errors', 'AWS/SQS/ApproximateNumberOfMessagesVisible', 'AWS/States/ExecutionsFailed', 'AWS/States/ExecutionsTimedOut']);
  const dlq = alarms.find(([, a]) => a['namespace'] === 'AWS/SQS')![1];
  assert.equal(dlq['dimensions'], { QueueName: '${aws_sqs_queue.events_dlq.name}' });
  for (const [, a] of alarms.filter(([, a]) => a['namespace'] === 'AWS/States'))
    assert.equal(a['dimensions'], { StateMachineArn: '${aws_sfn_state_machine.pipeline.arn}' });
});

test('every log group has a retention', () => {
  const groups = resources('aws_cloudwatch_log_group');
  assert.is(groups.length, 4);
  for (const [name, g] of groups) assert.is(g['retention_in_days'], '${var.log_retention_days}', name);
});

test('a dashboard shows the pipeline', () => {
  const [[, dashboard] = ['', {}]] = resources('aws_cloudwatch_dashboard');
  const body = String(dashboard['dashboard_body']);
  for (const metric of ['ExecutionsFailed', 'Errors', 'ApproximateNumberOfMessagesVisible']) assert.ok(body.includes(metric), metric);
});

test.run();
