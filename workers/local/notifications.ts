// Shows what the pipeline tells its subscribers: a local SQS queue subscribed to the SNS topic
// (moto delivers SNS -> SQS itself), read back as parsed notifications.
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface Notification {
  readonly subject: string;
  readonly status: string;
  readonly message: Record<string, unknown>;
  readonly receivedAt: string;
}

/** SNS wraps the published message in an envelope when delivering to SQS (no raw delivery). */
export const parseNotification = (body: string): Notification => {
  const envelope = JSON.parse(body) as { Subject?: string; Message?: string; MessageAttributes?: Record<string, { Value?: string }> };
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(envelope.Message ?? '{}') as Record<string, unknown>;
  } catch {
    message = { text: envelope.Message };
  }
  return {
    subject: envelope.Subject ?? '',
    status: envelope.MessageAttributes?.status?.Value ?? String(message.status ?? ''),
    message,
    receivedAt: new Date().toISOString(),
  };
};

export const subscribeNotifications = async (sns: SNSClient, sqs: SQSClient, topicArn: string, queueName: string) => {
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  const received: Notification[] = [];

  /** Drains what has arrived so far; returns everything received since subscribing. */
  const drain = async (): Promise<ReadonlyArray<Notification>> => {
    for (;;) {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const messages = res.Messages ?? [];
      if (messages.length === 0) return [...received];
      messages.forEach((m) => received.push(parseNotification(m.Body ?? '{}')));
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  };
  return { queueUrl, drain };
};

export type NotificationFeed = Awaited<ReturnType<typeof subscribeNotifications>>;
