// Plays EventBridge Scheduler's one-time schedules locally (moto stores schedules but never runs
// them): lists the settle group, and for each `at(...)` schedule that is due sends its target input
// to its SQS target (with the target's message group, as Scheduler does for a FIFO queue), then
// deletes it, as ActionAfterCompletion DELETE does. Send before delete: at least once, like AWS;
// the FIFO queue's content-based deduplication drops a repeat.
import { DeleteScheduleCommand, GetScheduleCommand, ListSchedulesCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { atInstant } from '../aggregator/settle.js';

export interface SchedulePlayerOptions {
  readonly scheduler: SchedulerClient;
  readonly sqs: SQSClient;
  readonly group: string;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const queueNameOf = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

export const schedulePlayer = (options: SchedulePlayerOptions) => {
  const { scheduler, sqs, group } = options;
  const now = options.now ?? (() => Date.now());
  let pending = 0;
  let running = false;
  let loop: Promise<void> | undefined;
  const urls = new Map<string, string>();

  const urlOf = async (arn: string) => {
    let url = urls.get(arn);
    if (!url) {
      url = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueNameOf(arn) }))).QueueUrl!;
      urls.set(arn, url);
    }
    return url;
  };

  /** Fires every due schedule once; returns how many fired. */
  const tick = async (): Promise<number> => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await scheduler.send(new ListSchedulesCommand({ GroupName: group, NextToken: token }));
      (page.Schedules ?? []).forEach((s) => s.Name && names.push(s.Name));
      token = page.NextToken;
    } while (token);
    let fired = 0;
    for (const name of names) {
      const s = await scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name }));
      const at = atInstant(s.ScheduleExpression ?? '');
      if (at === undefined || at > now() || !s.Target?.Arn) continue;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: await urlOf(s.Target.Arn),
          MessageBody: s.Target.Input ?? '',
          ...(s.Target.SqsParameters?.MessageGroupId ? { MessageGroupId: s.Target.SqsParameters.MessageGroupId } : {}),
        }),
      );
      await scheduler.send(new DeleteScheduleCommand({ GroupName: group, Name: name }));
      fired += 1;
    }
    pending = names.length - fired;
    return fired;
  };

  return {
    start: () => {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          await tick().catch((error) => process.stderr.write(`schedule player: ${String(error)}\n`));
          await new Promise((ok) => setTimeout(ok, options.intervalMs ?? 250));
        }
      })();
    },
    stop: async () => {
      running = false;
      await loop;
    },
    tick,
    /** Schedules seen waiting at the last tick: the pipeline is not at rest while any wait. */
    pending: () => pending,
  };
};

export type SchedulePlayer = ReturnType<typeof schedulePlayer>;
