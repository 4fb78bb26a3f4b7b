import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EVENTS_MAX_AGE_SECONDS } from '../../infra/monitoring.js';
import { resources } from '../support/synth.js';

const TOPIC = '${aws_sns_topic.topic.arn}';
const alarms = resources('aws_cloudwatch_metric_alarm');

test('every alarm notifies the SNS topic', () => {
  assert.ok(alarms.length >= 4);
  for (const [name, alarm] of alarms) assert.ok((alarm['alarm_actions'] as string[]).includes(TOPIC), name);
});

test('alarms on failed, timed-out and aborted executions, staleness (no success), reject rate, Lambda errors, DLQ depth, undelivered events and a stalled events queue', () => {
  const watched = alarms.map(([, a]) => `${a['namespace']}/${a['metric_name']}`).sort();
  assert.equal(watched, [
    'AWS/Lambda/Errors', 'AWS/SQS/ApproximateAgeOfOldestMessage', 'AWS/SQS/ApproximateNumberOfMessagesVisible', 'AWS/SQS/ApproximateNumberOfMessagesVisible',
    'AWS/States/ExecutionsAborted', 'AWS/States/ExecutionsFailed', 'AWS/States/ExecutionsSucceeded', 'AWS/States/ExecutionsTimedOut',
    'EcommercePipeline/RejectRate',
  ]);
  const depth = alarms.filter(([, a]) => a['metric_name'] === 'ApproximateNumberOfMessagesVisible').map(([, a]) => a['dimensions']);
  assert.equal(depth, [{ QueueName: '${aws_sqs_queue.events_dlq.name}' }, { QueueName: '${aws_sqs_queue.events_undelivered.name}' }]);
  for (const [, a] of alarms.filter(([, a]) => a['namespace'] === 'AWS/States'))
    assert.equal(a['dimensions'], { StateMachineArn: '${aws_sfn_state_machine.pipeline.arn}' });
});

test('the aggregator swallows its own evaluation errors into batchItemFailures (Errors stays 0): the events queue age pages instead', () => {
  const [, age] = alarms.find(([, a]) => a['metric_name'] === 'ApproximateAgeOfOldestMessage')!;
  assert.equal(age['dimensions'], { QueueName: '${aws_sqs_queue.events_queue.name}' });
  assert.is(age['statistic'], 'Maximum');
  assert.is(age['threshold'], EVENTS_MAX_AGE_SECONDS);
  assert.ok(EVENTS_MAX_AGE_SECONDS < 6 * 60 * 10, 'pages well before the events reach the DLQ (10 receives x visibility timeout)');
});

test('every log group has a retention', () => {
  const groups = resources('aws_cloudwatch_log_group');
  // four, plus the scheduled generator's (counted on generator_schedule)
  assert.is(groups.length, 5);
  for (const [name, g] of groups) assert.is(g['retention_in_days'], '${var.log_retention_days}', name);
});

test('a dashboard shows the pipeline', () => {
  const [[, dashboard] = ['', {}]] = resources('aws_cloudwatch_dashboard');
  const body = String(dashboard['dashboard_body']);
  for (const metric of ['ExecutionsFailed', 'Errors', 'ApproximateNumberOfMessagesVisible']) assert.ok(body.includes(metric), metric);
});

test.run();
