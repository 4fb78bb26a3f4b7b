// The settle re-check through moto's EventBridge Scheduler: the aggregator's CreateSchedule (once
// per set), and the local player that fires due one-time schedules into the FIFO queue's group.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateScheduleGroupCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useMoto } from '../support/moto.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { scheduleRecheck } from '../../workers/aggregator/recheck-scheduler.js';
import { schedulePlayer } from '../../workers/local/schedule-player.js';

let moto: MotoServer;
let scheduler: SchedulerClient;
let sqs: SQSClient;
let queueUrl: string;
let queueArn: string;

test.before(async () => {
  moto = await useMoto();
  scheduler = new SchedulerClient({});
  sqs = new SQSClient({});
  await scheduler.send(new CreateScheduleGroupCommand({ Name: 'settle' }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'events.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }))).QueueUrl!;
  queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
});
test.after(async () => moto.stop());

test('one schedule per set; it fires once, when due, into the FIFO group, and is gone', async () => {
  const recheck = scheduleRecheck(scheduler, { group: 'settle', roleArn: 'arn:aws:iam::123456789012:role/s', queueArn, messageGroupId: 'landing' });
  let clock = Date.parse('2026-12-01T12:00:00Z');
  const due = clock + 2500;
  await recheck({ bucket: 'landing', batchId: 'b-1', dueAt: due });
  await recheck({ bucket: 'landing', batchId: 'b-1', dueAt: due }); // a second evaluation of the same set
  assert.is((await scheduler.send(new ListSchedulesCommand({ GroupName: 'settle' }))).Schedules?.length, 1);

  const player = schedulePlayer({ scheduler, sqs, group: 'settle', now: () => clock });
  assert.is(await player.tick(), 0, 'not due yet');
  assert.is(player.pending(), 1);
  clock = due + 1000;
  assert.is(await player.tick(), 1);
  assert.is(player.pending(), 0);
  assert.is(await player.tick(), 0, 'fired once');
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }));
  assert.is(got.Messages?.length, 1);
  assert.is(got.Messages![0]!.Attributes?.MessageGroupId, 'landing');
  assert.match(got.Messages![0]!.Body!, /"batch_id":"b-1"/);
  assert.is((await scheduler.send(new ListSchedulesCommand({ GroupName: 'settle' }))).Schedules?.length ?? 0, 0);
});

test.run();
