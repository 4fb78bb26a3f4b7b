// The settle window's delayed re-check (issue 14 item 11): when a complete set of loose parts is
// younger than settle_seconds, the aggregator creates a one-time EventBridge Scheduler schedule
// that, once the newest part has settled, puts a re-check message into the same FIFO queue and
// message group as the S3 events, then deletes itself. One-time schedules rather than a delayed
// SQS message because FIFO queues take no per-message delay, and a second (standard) queue
// feeding the aggregator would run it beside the FIFO group, undoing the serialization.
import { Construct } from 'constructs';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { allow, serviceRole, type ServiceRole } from './iam.js';
import type { Namer } from './naming.js';
import type { AwsContext } from './context.js';
import { grantKeyUse, WRITE } from './encryption.js';

export interface SettleRecheck {
  readonly group: SchedulerScheduleGroup;
  /** The role the schedules send with (the aggregator passes it). */
  readonly role: ServiceRole;
  /** ARN pattern of the group's schedules, for the aggregator's CreateSchedule grant. */
  readonly schedulesArn: string;
}

export const settleRecheck = (
  scope: Construct,
  props: { name: Namer; aws: AwsContext; queue: SqsQueue; undelivered: SqsQueue },
): SettleRecheck => {
  const { name, aws } = props;
  const group = new SchedulerScheduleGroup(scope, 'settle_schedules', { name: name('settle') });
  const role = serviceRole(scope, 'settle_scheduler', {
    name: name('settle-scheduler'),
    service: 'scheduler.amazonaws.com',
    sourceAccount: aws.accountId,
    statements: [allow('SendRechecks', ['sqs:SendMessage'], [props.queue.arn, props.undelivered.arn])],
  });
  // With kms_key_arn the queues are encrypted under the key: sending needs it through SQS.
  grantKeyUse(scope, 'settle_scheduler', role, aws, { sqs: WRITE });
  const schedulesArn = `arn:${aws.partition}:scheduler:${aws.region}:${aws.accountId}:schedule/${group.name}/*`;
  return { group, role, schedulesArn };
};
