// Lambda entry (dist/aggregator.js, handler `handler`): an SQS batch of EventBridge S3 "Object
// Created" events in, at most a few StartExecution calls out. The events only say "look again":
// the decision is made from the listing, so duplicated, replayed or reordered events converge on
// the same batch ids.
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { logger } from '../io/log.js';
import { evaluateLanding, type AggregatorDeps, type SettleWindow } from './aggregate.js';
import { scheduleRecheck } from './recheck-scheduler.js';
import { aggregatorMetrics, recordTally, type Tally } from './metrics.js';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { parseRecord, type SqsBatchResponse, type SqsEvent } from './events.js';

export type { SqsBatchResponse, SqsEvent, SqsRecord } from './events.js';

const NonEmpty = new t.Type<string, string, unknown>(
  'NonEmptyString',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.trim().length > 0 ? t.success(u.trim()) : t.failure(u, c)),
  (s) => s,
);

const Config = t.type({ LANDING_BUCKET: NonEmpty, LAKE_BUCKET: NonEmpty, STATE_MACHINE_ARN: NonEmpty });

const SettleSeconds = new t.Type<number, string, unknown>(
  'SettleSeconds',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'string' && /^\d+$/.test(u.trim()) ? Number(u) : NaN;
    return Number.isInteger(n) && n <= 3600 ? t.success(n) : t.failure(u, c);
  },
  String,
);

/** With SETTLE_SECONDS > 0 the re-check target must be named too (Terraform sets all of them). */
const SettleConfig = t.intersection([
  t.type({ SETTLE_SCHEDULE_GROUP: NonEmpty, SETTLE_SCHEDULER_ROLE_ARN: NonEmpty, EVENTS_QUEUE_ARN: NonEmpty, EVENTS_MESSAGE_GROUP: NonEmpty }),
  t.partial({ EVENTS_UNDELIVERED_ARN: NonEmpty }),
]);

const log = logger('aggregator');

let scheduler: SchedulerClient | undefined;
export const settleFromEnv = (env: NodeJS.ProcessEnv): SettleWindow | undefined => {
  const seconds = pipe(
    SettleSeconds.decode(env.SETTLE_SECONDS ?? '0'),
    E.getOrElseW(() => {
      throw new Error(`SETTLE_SECONDS must be whole seconds between 0 and 3600, not ${JSON.stringify(env.SETTLE_SECONDS)}`);
    }),
  );
  if (seconds === 0) return undefined;
  const target = pipe(
    SettleConfig.decode(env),
    E.getOrElseW(() => {
      throw new Error('SETTLE_SECONDS > 0 needs SETTLE_SCHEDULE_GROUP, SETTLE_SCHEDULER_ROLE_ARN, EVENTS_QUEUE_ARN and EVENTS_MESSAGE_GROUP');
    }),
  );
  scheduler ??= new SchedulerClient({});
  return {
    seconds,
    now: () => Date.now(),
    scheduleRecheck: scheduleRecheck(scheduler, {
      group: target.SETTLE_SCHEDULE_GROUP,
      roleArn: target.SETTLE_SCHEDULER_ROLE_ARN,
      queueArn: target.EVENTS_QUEUE_ARN,
      messageGroupId: target.EVENTS_MESSAGE_GROUP,
      ...(target.EVENTS_UNDELIVERED_ARN ? { deadLetterArn: target.EVENTS_UNDELIVERED_ARN } : {}),
    }),
  };
};

let clients: { s3: S3Client; sfn: SFNClient } | undefined;
const depsFromEnv = (env: NodeJS.ProcessEnv): AggregatorDeps => {
  const config = pipe(
    Config.decode(env),
    E.getOrElseW(() => {
      throw new Error('aggregator needs LANDING_BUCKET, LAKE_BUCKET and STATE_MACHINE_ARN in the environment');
    }),
  );
  // Created once per container: Lambda reuses it across invocations.
  clients ??= { s3: new S3Client(env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {}), sfn: new SFNClient({}) };
  const settle = settleFromEnv(env);
  return {
    ...clients,
    landingBucket: config.LANDING_BUCKET,
    lakeBucket: config.LAKE_BUCKET,
    stateMachineArn: config.STATE_MACHINE_ARN,
    log,
    ...(settle ? { settle } : {}),
  };
};

/** Handles one SQS batch; `deps` is for tests and the local runtime, Lambda passes none. */
export const handleBatch = async (event: SqsEvent, deps: AggregatorDeps): Promise<SqsBatchResponse> => (await handleTallied(event, deps)).response;

/** handleBatch, and what the batch came to (for the metrics). */
export const handleTallied = async (event: SqsEvent, deps: AggregatorDeps): Promise<{ response: SqsBatchResponse; tally: Tally }> => {
  const failures: string[] = [];
  let relevant = 0;
  for (const record of event.Records) {
    const parsed = parseRecord(record);
    if (E.isLeft(parsed)) {
      // Retried until the queue's redrive policy moves it to the DLQ, where someone can look.
      log.warn('unreadable record', { messageId: record.messageId, reason: parsed.left });
      failures.push(record.messageId);
    } else if (parsed.right.bucket === deps.landingBucket) {
      relevant += 1;
    } else {
      log.debug('ignoring event of another bucket', { bucket: parsed.right.bucket });
    }
  }
  const tally = (outcomes: Tally['outcomes'], evaluationFailed = false): Tally => ({ records: event.Records.length, unreadable: failures.length, outcomes, evaluationFailed });
  let outcomes: Tally['outcomes'];
  if (relevant > 0) {
    try {
      outcomes = await evaluateLanding(deps);
    } catch (error) {
      // The listing, a manifest read or StartExecution failed: every event of this batch is
      // retried, since any one of them may be the one that completes a set.
      log.error('evaluation failed', { error: String(error) });
      return { response: { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) }, tally: tally([], true) };
    }
  }
  return { response: { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) }, tally: tally(outcomes) };
};

let metrics: Metrics | undefined;
export const handler = async (event: SqsEvent): Promise<SqsBatchResponse> => {
  metrics ??= aggregatorMetrics(process.env);
  const { response, tally } = await handleTallied(event, depsFromEnv(process.env));
  recordTally(metrics, tally);
  metrics.publishStoredMetrics();
  return response;
};
