// The aggregator Lambda (DESIGN §7): SQS batches of S3 events in, StartExecution out. The zip is
// a build artefact (dist/aggregator.zip, reproducible), passed in through a variable.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { allow, serviceRole, type ServiceRole } from './iam.js';
import { AGGREGATOR_TIMEOUT_SECONDS } from './events.js';
import type { Namer } from './naming.js';
import type { Inputs } from './variables.js';
import type { AwsContext } from './context.js';
import type { SettleRecheck } from './settle.js';
import { EVENTS_MESSAGE_GROUP } from './events.js';
import { grantKeyUse, keyOrNull, READ, WRITE } from './encryption.js';

export const AGGREGATOR_HANDLER = 'aggregator.handler';
export const AGGREGATOR_RUNTIME = 'nodejs22.x';

export interface Aggregator {
  readonly fn: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
}

export const aggregator = (
  scope: Construct,
  props: {
    name: Namer;
    inputs: Inputs;
    aws: AwsContext;
    queue: SqsQueue;
    landing: S3Bucket;
    lake: S3Bucket;
    stateMachine: SfnStateMachine;
    environment: Readonly<Record<string, string>>;
    settle: SettleRecheck;
    undelivered: SqsQueue;
  },
): Aggregator => {
  const { name, inputs } = props;
  const functionName = name('aggregator');
  // Created here rather than by Lambda on first write, so that it has a retention and is destroyed
  // with the stack.
  const logGroup = new CloudwatchLogGroup(scope, 'aggregator_logs', {
    name: `/aws/lambda/${functionName}`,
    retentionInDays: inputs.logRetentionDays.numberValue,
    kmsKeyId: keyOrNull(),
  });
  const role = serviceRole(scope, 'aggregator', {
    name: name('aggregator'),
    service: 'lambda.amazonaws.com',
    sourceAccount: props.aws.accountId,
    statements: [
      allow('ConsumeLandingEvents', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], [props.queue.arn]),
      // Lists the three landing prefixes and reads an explicit _manifest.json ...
      allow('ListInputs', ['s3:ListBucket'], [props.landing.arn]),
      allow('ReadManifests', ['s3:GetObject'], [`${props.landing.arn}/*`]),
      // ... which it deletes once its batch has started (the execution input now carries the list).
      allow('ConsumeManifests', ['s3:DeleteObject'], [`${props.landing.arn}/*_manifest.json`]),
      // A manifest too large for the ECS overrides goes to the lake, the execution gets its s3:// URL;
      // pointers of running executions are read back to know their keys.
      allow('WriteLargeManifests', ['s3:PutObject', 's3:GetObject'], [`${props.lake.arn}/manifests/*`]),
      allow('StartBatch', ['states:StartExecution', 'states:ListExecutions'], [props.stateMachine.arn]),
      // Keys named in the input of a running execution are claimed: not put in a new batch.
      allow('ReadRunningBatches', ['states:DescribeExecution'], [
        `arn:${props.aws.partition}:states:${props.aws.region}:${props.aws.accountId}:execution:${props.stateMachine.name}:*`,
      ]),
      // The settle window's delayed re-check: a one-time schedule in its own group, sending with
      // the scheduler role.
      allow('ScheduleRechecks', ['scheduler:CreateSchedule'], [props.settle.schedulesArn]),
      allow('PassSchedulerRole', ['iam:PassRole'], [props.settle.role.role.arn], [
        { test: 'StringEquals', variable: 'iam:PassedToService', values: ['scheduler.amazonaws.com'] },
      ]),
      allow('WriteLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${logGroup.arn}:*`]),
    ],
  });
  grantKeyUse(scope, 'aggregator', role, props.aws, { sqs: READ, s3: WRITE });
  const fn = new LambdaFunction(scope, 'aggregator', {
    functionName,
    description: 'Starts one Step Functions execution per complete landing file set',
    role: role.role.arn,
    runtime: AGGREGATOR_RUNTIME,
    handler: AGGREGATOR_HANDLER,
    architectures: ['arm64'],
    filename: inputs.lambdaZipPath.stringValue,
    sourceCodeHash: Fn.filebase64sha256(inputs.lambdaZipPath.stringValue),
    memorySize: 256,
    timeout: AGGREGATOR_TIMEOUT_SECONDS,
    // No reserved concurrency: one invocation at a time comes from the FIFO queue's single
    // message group (infra/events.ts says why).
    environment: {
      variables: {
        ...props.environment,
        STATE_MACHINE_ARN: props.stateMachine.arn,
        SETTLE_SECONDS: Fn.tostring(inputs.settleSeconds.numberValue),
        SETTLE_SCHEDULE_GROUP: props.settle.group.name,
        SETTLE_SCHEDULER_ROLE_ARN: props.settle.role.role.arn,
        EVENTS_QUEUE_ARN: props.queue.arn,
        EVENTS_MESSAGE_GROUP,
        EVENTS_UNDELIVERED_ARN: props.undelivered.arn,
      },
    },
    loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
    dependsOn: [logGroup, role.policy],
  });
  return { fn, role, logGroup };
};
