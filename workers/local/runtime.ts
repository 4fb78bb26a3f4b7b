// The local pipeline around a deployed stack on moto: the event poller feeding the aggregator
// handler (the Lambda's part), the execution driver (Step Functions' part, ECS tasks as child
// processes) and a notification feed on the SNS topic. Used by `make demo`, the e2e tests and
// `node dist/local.js`.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ecsTaskRunner, type RunningTask } from './ecs-task.js';
import { eventPoller, type SqsHandler } from './event-poller.js';
import { executionDriver, type ExecutionOutcome } from './execution-driver.js';
import { subscribeNotifications } from './notifications.js';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { schedulePlayer } from './schedule-player.js';

/** The Lambda's own settings the local handler needs (the rest come from the emulator's env). */
const AGGREGATOR_SETTINGS = /^(SETTLE_|EVENTS_)/;

/** What the runtime needs to know about the deployed stack (from `terraform output -json`). */
export interface StackOutputs {
  readonly landingBucket: string;
  readonly lakeBucket: string;
  readonly eventQueueUrl: string;
  readonly stateMachineArn: string;
  readonly topicArn: string;
  readonly categoryKpiTable: string;
  readonly orderKpiTable: string;
  readonly lockTable: string;
  /** The aggregator Lambda's environment as Terraform sets it (settle window, re-check target). */
  readonly aggregatorEnvironment?: Readonly<Record<string, string>>;
}

export interface RuntimeOptions {
  readonly stack: StackOutputs;
  /** Environment of the emulator (AWS_ENDPOINT_URL, region, credentials) for clients and children. */
  readonly awsEnv: Readonly<Record<string, string>>;
  /** The repository root: bundles are `<root>/dist/*.js`. */
  readonly root?: string;
  /** The aggregator's handler; default: the bundle `dist/aggregator.js`, as Lambda loads it. */
  readonly handler?: SqsHandler;
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  readonly onState?: (execution: string, state: string) => void;
  readonly onOutcome?: (outcome: ExecutionOutcome) => void;
  readonly onTaskStart?: (task: RunningTask) => void;
  readonly taskOutput?: (line: string) => void;
  readonly log?: (line: string) => void;
}

/** Loads the Lambda bundle the way Lambda does: CommonJS, exported `handler`. */
export const bundledHandler = (root: string): SqsHandler => {
  const require = createRequire(join(root, 'package.json'));
  const bundle = join(root, 'dist', 'aggregator.js');
  // Each runtime is a new deployment, so a cold start: the handler keeps its SDK clients between
  // invocations, and a cached module would keep talking to the previous runtime's endpoint (two
  // e2e suites in one test process, each with its own moto).
  delete require.cache[require.resolve(bundle)];
  return (require(bundle) as { handler: SqsHandler }).handler;
};

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export const startRuntime = async (options: RuntimeOptions) => {
  const { stack, awsEnv } = options;
  const root = resolve(options.root ?? process.cwd());
  // SDK clients in this process and the aggregator bundle read their endpoint from the environment.
  const settings = Object.entries(stack.aggregatorEnvironment ?? {}).filter(([k]) => AGGREGATOR_SETTINGS.test(k));
  Object.assign(process.env, Object.fromEntries(settings), awsEnv, {
    LANDING_BUCKET: stack.landingBucket,
    LAKE_BUCKET: stack.lakeBucket,
    STATE_MACHINE_ARN: stack.stateMachineArn,
    // The handler's EMF lines go to stdout, which here is the demo's or a test's own output.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  });
  const region = awsEnv.AWS_REGION ?? 'us-east-1';
  const s3 = new S3Client({ forcePathStyle: true });
  const sqs = new SQSClient({});
  const sns = new SNSClient({});
  const sfn = new SFNClient({});
  // Read at every task start (ecs-task copies it then): a caller may add or remove entries between
  // runs, e.g. the crash points of workers/io/crash-point.ts in the e2e tests.
  const taskEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    LOG_FORMAT: 'json',
    // the SDK's Node 20 notice would otherwise end up in every worker's log
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    NODE_NO_WARNINGS: '1',
    ...awsEnv,
  };
  const ecs = ecsTaskRunner({
    ecs: new ECSClient({}),
    distDir: join(root, 'dist'),
    baseEnv: taskEnv,
    ...(options.onTaskStart ? { onStart: options.onTaskStart } : {}),
    ...(options.taskOutput ? { output: options.taskOutput } : {}),
  });
  const driver = executionDriver({
    sfn,
    stateMachineArn: stack.stateMachineArn,
    clients: { dynamodb: new DynamoDBClient({}), sns, s3, ecs },
    ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
    ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
    ...(options.onState ? { onState: options.onState } : {}),
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
  });
  const poller = eventPoller({
    sqs,
    queueUrl: stack.eventQueueUrl,
    handler: options.handler ?? bundledHandler(root),
    region,
    waitSeconds: 1,
    retryDelaySeconds: 1,
  });
  // EventBridge Scheduler's part: the settle window's one-time re-checks.
  const group = stack.aggregatorEnvironment?.SETTLE_SCHEDULE_GROUP;
  const schedules = group ? schedulePlayer({ scheduler: new SchedulerClient({}), sqs, group }) : undefined;
  const notifications = await subscribeNotifications(sns, sqs, stack.topicArn, `local-notifications-${Date.now()}`);
  driver.start();
  poller.start();
  schedules?.start();

  const queueDepth = async () => {
    const attrs = (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.eventQueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes;
    return Number(attrs?.ApproximateNumberOfMessages ?? 0) + Number(attrs?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };

  /**
   * Resolves once the pipeline is at rest: no event waiting in the queue, no execution running,
   * and nothing new for `quietMs` (events trail their uploads a little). Rejects after timeoutMs.
   */
  const settle = async (timeoutMs: number, quietMs = 1500): Promise<ReadonlyArray<ExecutionOutcome>> => {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    for (;;) {
      const busy = driver.activeCount() > 0 || (await queueDepth()) > 0 || poller.quietFor() < 300 || (schedules?.pending() ?? 0) > 0;
      if (busy) quietSince = Date.now();
      else if (Date.now() - quietSince >= quietMs) return driver.outcomes();
      if (Date.now() > deadline) throw new Error(`pipeline not at rest after ${timeoutMs} ms`);
      await sleep(100);
    }
  };

  return {
    stack,
    driver,
    poller,
    schedules,
    notifications,
    settle,
    queueDepth,
    /** The environment every worker task starts with; mutable (see above). */
    taskEnv,
    /** Stops polling; aborts running executions and kills their workers unless `drain`. */
    stop: async (drain = false) => {
      await schedules?.stop();
      await poller.stop();
      await driver.stop(drain);
    },
  };
};

export type LocalRuntime = Awaited<ReturnType<typeof startRuntime>>;
