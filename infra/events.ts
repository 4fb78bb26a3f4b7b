// The event path of DESIGN §10: landing bucket → EventBridge rule (aws.s3 / Object Created / this
// bucket) → SQS FIFO queue, one message group (DLQ after 10 receives) → Lambda event-source
// mapping → aggregator.
//
// Why FIFO with one group: the aggregator decides on a listing of landing and of the running
// executions, so two invocations at once could both start overlapping batches. Reserved
// concurrency 1 is no fix in AWS (it fails apply on accounts whose concurrency quota is 10, and an
// SQS mapping ignores it: throttled batches come back after the visibility timeout and reach the
// DLQ), and a mapping's maximum_concurrency is at least 2. A FIFO queue whose messages all share
// one group is handed to Lambda one batch at a time, the next only after the previous one returned.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { Namer } from './naming.js';
import { keyOrNull, sqsManagedSse } from './encryption.js';

/** Lambda's timeout; the queue's visibility timeout is six times it, as AWS advises for SQS sources. */
export const AGGREGATOR_TIMEOUT_SECONDS = 60;
/**
 * Generous because the aggregator runs one invocation at a time: under a burst the event-source
 * mapping is throttled and every throttled receive counts, so a small limit would send healthy
 * events to the DLQ.
 */
export const MAX_RECEIVE_COUNT = 10;

/** The one message group of the events queue: one group = one aggregator invocation at a time. */
export const EVENTS_MESSAGE_GROUP = 'landing';

export interface EventPath {
  readonly rule: CloudwatchEventRule;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  /** Events EventBridge (or the settle scheduler) could not deliver to the queue after its retries. */
  readonly undeliveredQueue: SqsQueue;
}

export const landingEvents = (scope: Construct, name: Namer, landing: S3Bucket): EventPath => {
  // A FIFO queue's dead-letter queue must be FIFO too.
  const deadLetterQueue = new SqsQueue(scope, 'events_dlq', {
    name: `${name('landing-events-dlq')}.fifo`,
    fifoQueue: true,
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: sqsManagedSse(),
    kmsMasterKeyId: keyOrNull(),
  });
  const queue = new SqsQueue(scope, 'events_queue', {
    name: `${name('landing-events')}.fifo`,
    fifoQueue: true,
    // EventBridge sends to a FIFO queue only with content-based deduplication (its messages carry
    // no deduplication id); the body holds the event id, so distinct events never collapse.
    contentBasedDeduplication: true,
    visibilityTimeoutSeconds: 6 * AGGREGATOR_TIMEOUT_SECONDS,
    messageRetentionSeconds: 4 * 24 * 3600,
    sqsManagedSseEnabled: sqsManagedSse(),
    kmsMasterKeyId: keyOrNull(),
    redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  // EventBridge's own dead-letter queue must be a standard queue.
  const undeliveredQueue = new SqsQueue(scope, 'events_undelivered', {
    name: name('landing-events-undelivered'),
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: sqsManagedSse(),
    kmsMasterKeyId: keyOrNull(),
  });
  const rule = new CloudwatchEventRule(scope, 'landing_object_created', {
    name: name('landing-created'),
    description: 'Objects created in the landing bucket, for the aggregator',
    eventPattern: Fn.jsonencode({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [landing.bucket] } },
    }),
  });
  new CloudwatchEventTarget(scope, 'landing_object_created_target', {
    rule: rule.name,
    targetId: 'aggregator-queue',
    arn: queue.arn,
    sqsTarget: { messageGroupId: EVENTS_MESSAGE_GROUP },
    // An event EventBridge cannot deliver (queue policy, KMS, throttling) is retried for a day,
    // then kept in the undelivered queue instead of being dropped.
    retryPolicy: { maximumEventAgeInSeconds: 24 * 3600, maximumRetryAttempts: 185 },
    deadLetterConfig: { arn: undeliveredQueue.arn },
  });
  const sendFromRule = (id: string, target: SqsQueue, sid: string) =>
    new DataAwsIamPolicyDocument(scope, id, {
      statement: [{
        sid,
        effect: 'Allow',
        actions: ['sqs:SendMessage'],
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        resources: [target.arn],
        condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [rule.arn] }],
      }],
    });
  new SqsQueuePolicy(scope, 'events_queue_policy', { queueUrl: queue.url, policy: sendFromRule('events_queue_access', queue, 'EventBridgeRuleSends').json });
  new SqsQueuePolicy(scope, 'events_undelivered_policy', {
    queueUrl: undeliveredQueue.url,
    policy: sendFromRule('events_undelivered_access', undeliveredQueue, 'EventBridgeRuleDeadLetters').json,
  });
  return { rule, queue, deadLetterQueue, undeliveredQueue };
};

/** In AWS the event-source mapping feeds the queue to the aggregator; locally a poller plays it. */
export const feedAggregator = (scope: Construct, queue: SqsQueue, aggregator: LambdaFunction): LambdaEventSourceMapping =>
  new LambdaEventSourceMapping(scope, 'aggregator_source', {
    eventSourceArn: queue.arn,
    functionName: aggregator.arn,
    // 10 is the most a FIFO source allows; FIFO sources take no batching window.
    batchSize: 10,
    functionResponseTypes: ['ReportBatchItemFailures'],
  });
