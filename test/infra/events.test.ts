import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { policyDocumentOf, resource, statementsOf } from '../support/synth.js';

test('the rule matches Object Created events from aws.s3 for the landing bucket', () => {
  const pattern = String(resource('aws_cloudwatch_event_rule', 'landing_object_created')['event_pattern']);
  assert.ok(pattern.includes('"source" = ["aws.s3"]'), pattern);
  assert.ok(pattern.includes('"detail-type" = ["Object Created"]'), pattern);
  assert.ok(pattern.includes('"name" = [aws_s3_bucket.landing.bucket]'), pattern);
});

test('the rule targets the events queue, which may receive from this rule only', () => {
  const target = resource('aws_cloudwatch_event_target', 'landing_object_created_target');
  assert.is(target['rule'], '${aws_cloudwatch_event_rule.landing_object_created.name}');
  assert.is(target['arn'], '${aws_sqs_queue.events_queue.arn}');
  const policy = resource('aws_sqs_queue_policy', 'events_queue_policy');
  const [send] = statementsOf(policyDocumentOf(policy['policy']));
  assert.equal(send!.actions, ['sqs:SendMessage']);
  assert.equal(send!.principals, [{ type: 'Service', identifiers: ['events.amazonaws.com'] }]);
  assert.equal(send!.condition, [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ['${aws_cloudwatch_event_rule.landing_object_created.arn}'] }]);
});

test('the queue has a dead-letter queue and a visibility timeout of six Lambda timeouts', () => {
  const queue = resource('aws_sqs_queue', 'events_queue');
  assert.match(String(queue['redrive_policy']), /deadLetterTargetArn" = aws_sqs_queue\.events_dlq\.arn/);
  assert.is(queue['visibility_timeout_seconds'], 6 * Number(resource('aws_lambda_function', 'aggregator')['timeout']));
});

test('an event-source mapping feeds the queue to the aggregator with partial batch failures', () => {
  const mapping = resource('aws_lambda_event_source_mapping', 'aggregator_source');
  assert.is(mapping['event_source_arn'], '${aws_sqs_queue.events_queue.arn}');
  assert.is(mapping['function_name'], '${aws_lambda_function.aggregator.arn}');
  assert.equal(mapping['function_response_types'], ['ReportBatchItemFailures']);
});

test('events EventBridge cannot deliver are retried for a day, then kept in a standard dead-letter queue it may send to', () => {
  const target = resource('aws_cloudwatch_event_target', 'landing_object_created_target');
  assert.equal(target['retry_policy'], { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 });
  assert.equal(target['dead_letter_config'], { arn: '${aws_sqs_queue.events_undelivered.arn}' });
  assert.not.ok(resource('aws_sqs_queue', 'events_undelivered')['fifo_queue'], 'EventBridge dead-letter queues are standard queues');
  const [send] = statementsOf(policyDocumentOf(resource('aws_sqs_queue_policy', 'events_undelivered_policy')['policy']));
  assert.equal(send!.principals, [{ type: 'Service', identifiers: ['events.amazonaws.com'] }]);
});

test.run();
