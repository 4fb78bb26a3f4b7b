// The settle re-check through EventBridge Scheduler: a one-time schedule that sends the re-check
// message to the events FIFO queue in its single message group (a FIFO queue takes no per-message
// delay), then deletes itself. A schedule of the same name already waiting means the same set
// already asked: nothing to do.
import { CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { atExpression, recheckBody, recheckScheduleName, type Recheck } from './settle.js';

export interface RecheckTarget {
  readonly group: string;
  readonly roleArn: string;
  readonly queueArn: string;
  readonly messageGroupId: string;
  /** Standard queue keeping re-checks the scheduler could not deliver. */
  readonly deadLetterArn?: string;
}

export const scheduleRecheck = (client: SchedulerClient, target: RecheckTarget) => async (r: Recheck): Promise<void> => {
  await client
    .send(
      new CreateScheduleCommand({
        Name: recheckScheduleName(r.batchId),
        GroupName: target.group,
        ScheduleExpression: atExpression(r.dueAt),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: target.queueArn,
          RoleArn: target.roleArn,
          Input: recheckBody(r),
          SqsParameters: { MessageGroupId: target.messageGroupId },
          RetryPolicy: { MaximumEventAgeInSeconds: 24 * 3600, MaximumRetryAttempts: 185 },
          ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
        },
      }),
    )
    .catch((error: { name?: string }) => {
      if (error.name !== 'ConflictException') throw error;
    });
};
