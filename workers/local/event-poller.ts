// Plays Lambda's SQS event-source mapping: long-polls the queue Terraform created (moto fills it
// from S3 -> EventBridge itself), calls the handler with the same SQS event shape, deletes what the
// handler did not report in batchItemFailures. Failed messages become visible again after the
// queue's visibility timeout and reach the DLQ through the queue's own redrive policy, as in AWS.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SqsBatchResponse, SqsEvent } from '../aggregator/events.js';
import { sqsEventOf } from './sqs-event.js';

export type SqsHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsHandler;
  readonly region: string;
  /** Lambda's BatchSize. */
  readonly batchSize?: number;
  /** Long-poll seconds per receive; short so that stop() is prompt. */
  readonly waitSeconds?: number;
  /** Seconds before a failed message is offered again (0 = at once; AWS waits the visibility timeout). */
  readonly retryDelaySeconds?: number;
  readonly onBatch?: (received: number, failed: number) => void;
}

export const eventPoller = (options: PollerOptions) => {
  const { sqs, queueUrl } = options;
  let running = false;
  let loop: Promise<void> | undefined;
  let handled = 0;
  let lastActivity = Date.now();
  let queueArn: string | undefined;

  const arnOf = async () => {
    queueArn ??=
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes
        ?.QueueArn ?? '';
    return queueArn;
  };

  const pollOnce = async (): Promise<number> => {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(options.batchSize ?? 10, 10),
        WaitTimeSeconds: options.waitSeconds ?? 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return 0;
    lastActivity = Date.now();
    const event = sqsEventOf(messages, await arnOf(), options.region);
    let failed: ReadonlySet<string>;
    try {
      const response = await options.handler(event);
      failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      // A handler that throws fails the whole batch, as in Lambda.
      failed = new Set(messages.map((m) => m.MessageId ?? ''));
    }
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    const retry = messages.filter((m) => failed.has(m.MessageId ?? ''));
    if (retry.length > 0 && options.retryDelaySeconds !== undefined) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: retry.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: options.retryDelaySeconds,
          })),
        }),
      );
    }
    handled += done.length;
    lastActivity = Date.now();
    options.onBatch?.(messages.length, retry.length);
    return messages.length;
  };

  return {
    start: () => {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          await pollOnce().catch((error) => {
            process.stderr.write(`event poller: ${String(error)}\n`);
            return new Promise((ok) => setTimeout(ok, 500));
          });
        }
      })();
    },
    stop: async () => {
      running = false;
      await loop;
    },
    pollOnce,
    handled: () => handled,
    /** Milliseconds since a message was last received or handled. */
    quietFor: () => Date.now() - lastActivity,
  };
};

export type EventPoller = ReturnType<typeof eventPoller>;
