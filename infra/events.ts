// The event path of DESIGN §10: landing bucket → EventBridge rule (aws.s3 / Object Created / this
// bucket) → SQS queue (DLQ after 10 receives) → Lambda event-source mapping → aggregator.
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

export interface EventPath {
  readonly rule: CloudwatchEventRule;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
}

export const landingEvents = (scope: Construct, name: Namer, landing: S3Bucket): EventPath => {
  const deadLetterQueue = new SqsQueue(scope, 'events_dlq', {
    name: name('landing-events-dlq'),
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: sqsManagedSse(),
    kmsMasterKeyId: keyOrNull(),
  });
  const queue = new SqsQueue(scope, 'events_queue', {
    name: name('landing-events'),
    visibilityTimeoutSeconds: 6 * AGGREGATOR_TIMEOUT_SECONDS,
    messageRetentionSeconds: 4 * 24 * 3600,
    sqsManagedSseEnabled: sqsManagedSse(),
    kmsMasterKeyId: keyOrNull(),
    redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  const rule = new CloudwatchEventRule(scope, 'landing_object_created', {
    name: name('landing-object-created'),
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
  });
  const sendFromRule = new DataAwsIamPolicyDocument(scope, 'events_queue_access', {
    statement: [{
      sid: 'EventBridgeRuleSends',
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
      resources: [queue.arn],
      condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [rule.arn] }],
    }],
  });
  new SqsQueuePolicy(scope, 'events_queue_policy', { queueUrl: queue.url, policy: sendFromRule.json });
  return { rule, queue, deadLetterQueue };
};

/** In AWS the event-source mapping feeds the queue to the aggregator; locally a poller plays it. */
export const feedAggregator = (scope: Construct, queue: SqsQueue, aggregator: LambdaFunction): LambdaEventSourceMapping =>
  new LambdaEventSourceMapping(scope, 'aggregator_source', {
    eventSourceArn: queue.arn,
    functionName: aggregator.arn,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 5,
    functionResponseTypes: ['ReportBatchItemFailures'],
  });
