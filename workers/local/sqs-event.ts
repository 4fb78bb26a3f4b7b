// The SQS event shape Lambda's event-source mapping hands to a function, built from messages as
// ReceiveMessage returns them, so the local poller calls the handler exactly as AWS would.
import type { Message } from '@aws-sdk/client-sqs';
import type { SqsEvent, SqsRecord } from '../aggregator/events.js';

export const sqsRecordOf = (message: Message, queueArn: string, region: string): SqsRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: Object.fromEntries(Object.entries(message.Attributes ?? {}).map(([k, v]) => [k, String(v)])),
  messageAttributes: message.MessageAttributes ?? {},
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

export const sqsEventOf = (messages: ReadonlyArray<Message>, queueArn: string, region: string): SqsEvent => ({
  Records: messages.map((m) => sqsRecordOf(m, queueArn, region)),
});

/** An EventBridge "Object Created" event as S3 sends it (tests and replays). */
export const objectCreatedBody = (bucket: string, key: string, etag = '', size = 0): string =>
  JSON.stringify({
    version: '0',
    id: `${bucket}/${key}/${etag}`,
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key, size, etag }, reason: 'PutObject' },
  });
