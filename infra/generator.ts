// The generator on a schedule (issue 12 item 4, seed 004's "every 5 minutes"): a Lambda that puts
// a small shop with its _manifest.json into landing, invoked by an EventBridge Scheduler schedule.
// All of it exists only when `generator_schedule` is set (count): a production stack fed by a real
// shop gets no synthetic orders, and its plan does not change. Every reference to a counted
// resource goes through one(…[*].attr), which is null when it is absent.
import { Construct } from 'constructs';
import { Fn, Token, ref, TerraformVariable, type TerraformResource } from 'cdktf';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { allow, type Statement } from './iam.js';
import { keyOrNull, KMS_KEY_VARIABLE, WRITE } from './encryption.js';
import { AGGREGATOR_RUNTIME } from './aggregator.js';
import type { Namer } from './naming.js';
import type { Inputs } from './variables.js';
import type { AwsContext } from './context.js';

export const GENERATOR_HANDLER = 'generator-lambda.handler';
export const GENERATOR_SCHEDULE_VARIABLE = 'generator_schedule';
/** What the Lambda is handed: the slot's own time, so a retried slot writes the same batch. */
export const GENERATOR_INPUT = '{"scheduled_time":"<aws.scheduler.scheduled-time>"}';

const variable = (scope: Construct, name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => {
  // As in variables.ts: a validation condition is an expression only inside `${…}`.
  const validation = config.validation?.map((rule) => ({ ...rule, condition: `\${${rule.condition}}` }));
  const v = new TerraformVariable(scope, `var_${name}`, { ...config, ...(validation ? { validation } : {}) });
  v.overrideLogicalId(name);
  return v;
};

const ON = `var.${GENERATOR_SCHEDULE_VARIABLE} != ""`;
const count = (condition: string): number => Token.asNumber(ref(`${condition} ? 1 : 0`));
const attr = (resource: TerraformResource, name: string): string =>
  Token.asString(ref(`one(${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${name})`));

const trust = (scope: Construct, id: string, service: string, aws: AwsContext) =>
  new DataAwsIamPolicyDocument(scope, id, {
    statement: [{
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: [service] }],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [aws.accountId] }],
    }],
  });

/** A counted role with one inline least-privilege policy (iam.ts's serviceRole, under `count`). */
const countedRole = (scope: Construct, id: string, props: { name: string; service: string; aws: AwsContext; statements: Statement[] }) => {
  const role = new IamRole(scope, `${id}_role`, {
    count: count(ON),
    name: props.name,
    assumeRolePolicy: trust(scope, `${id}_trust`, props.service, props.aws).json,
  });
  const document = new DataAwsIamPolicyDocument(scope, `${id}_permissions`, { statement: props.statements });
  const policy = new IamRolePolicy(scope, `${id}_policy`, { count: count(ON), name: 'least-privilege', role: attr(role, 'id'), policy: document.json });
  return { role, policy };
};

export const scheduledGenerator = (scope: Construct, props: { name: Namer; inputs: Inputs; aws: AwsContext; landing: S3Bucket }) => {
  const { name, inputs, aws } = props;
  const schedule = variable(scope, GENERATOR_SCHEDULE_VARIABLE, {
    type: 'string',
    default: '',
    description: 'EventBridge Scheduler expression running the synthetic generator Lambda, e.g. "rate(5 minutes)"; each run puts a small shop with its _manifest.json into landing. Empty (the default): no generator, no schedule.',
    validation: [{
      condition: `var.${GENERATOR_SCHEDULE_VARIABLE} == "" || can(regex("^(rate|cron|at)\\\\(.+\\\\)$", var.${GENERATOR_SCHEDULE_VARIABLE}))`,
      errorMessage: 'generator_schedule: empty, or a rate(...), cron(...) or at(...) expression.',
    }],
  });
  const zipPath = variable(scope, 'generator_zip_path', {
    type: 'string',
    default: '../dist/generator-lambda.zip',
    description: 'Path of the generator Lambda zip (`make lambda-zip` builds it reproducibly from dist/generator-lambda.js), relative to the directory terraform runs in. Read only when generator_schedule is set. A build artefact: never committed.',
    validation: [{ condition: 'endswith(var.generator_zip_path, ".zip")', errorMessage: 'generator_zip_path: a path to a .zip file.' }],
  });

  const functionName = name('generator');
  const logGroup = new CloudwatchLogGroup(scope, 'generator_logs', {
    count: count(ON),
    name: `/aws/lambda/${functionName}`,
    retentionInDays: inputs.logRetentionDays.numberValue,
    kmsKeyId: keyOrNull(),
  });
  const role = countedRole(scope, 'generator', {
    name: functionName,
    service: 'lambda.amazonaws.com',
    aws,
    statements: [
      // Writes new objects only: no read, list or delete of landing, nothing elsewhere.
      allow('PutLandingObjects', ['s3:PutObject'], [`${props.landing.arn}/*`]),
      allow('WriteLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`/aws/lambda/${functionName}:*`].map(
        (group) => `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:${group}`,
      )),
    ],
  });
  // With kms_key_arn the landing bucket is SSE-KMS: a PutObject needs GenerateDataKey (encryption.ts).
  const kms = new DataAwsIamPolicyDocument(scope, 'generator_kms_permissions', {
    count: count(`var.${KMS_KEY_VARIABLE} != ""`),
    statement: [{
      sid: 'UseKeyViaS3',
      effect: 'Allow',
      actions: [...WRITE],
      resources: [Token.asString(ref(`var.${KMS_KEY_VARIABLE}`))],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${aws.region}.amazonaws.com`] }],
    }],
  });
  // encryption.ts's grantKeyUse, but on a counted role: present only with both the key and the schedule.
  new IamRolePolicy(scope, 'generator_kms_policy', {
    count: count(`${ON} && var.${KMS_KEY_VARIABLE} != ""`),
    name: 'use-kms-key',
    role: attr(role.role, 'id'),
    policy: Token.asString(ref(`one(data.${kms.terraformResourceType}.${kms.friendlyUniqueId}[*].json)`)),
  });

  const fn = new LambdaFunction(scope, 'generator', {
    count: count(ON),
    functionName,
    description: 'Puts a small synthetic shop with its _manifest.json into landing (the scheduled generator)',
    role: attr(role.role, 'arn'),
    runtime: AGGREGATOR_RUNTIME,
    handler: GENERATOR_HANDLER,
    architectures: ['arm64'],
    filename: zipPath.stringValue,
    sourceCodeHash: Fn.filebase64sha256(zipPath.stringValue),
    memorySize: 256,
    timeout: 60,
    environment: { variables: { LANDING_BUCKET: props.landing.bucket, LOG_LEVEL: inputs.logLevel.stringValue } },
    loggingConfig: { logFormat: 'Text', logGroup: `/aws/lambda/${functionName}` },
    dependsOn: [logGroup, role.policy],
  });

  const schedulerRole = countedRole(scope, 'generator_scheduler', {
    // 16 characters: at the longest prefix (32) and environment (12) the role name is 62 of IAM's 64.
    name: name('generator-invoke'),
    service: 'scheduler.amazonaws.com',
    aws,
    statements: [allow('InvokeGenerator', ['lambda:InvokeFunction'], [`arn:${aws.partition}:lambda:${aws.region}:${aws.accountId}:function:${functionName}`])],
  });
  new SchedulerSchedule(scope, 'generator_schedule', {
    count: count(ON),
    name: functionName,
    description: 'Runs the synthetic generator (seed 004: every 5 minutes)',
    scheduleExpression: schedule.stringValue,
    flexibleTimeWindow: { mode: 'OFF' },
    target: {
      arn: attr(fn, 'arn'),
      roleArn: attr(schedulerRole.role, 'arn'),
      input: GENERATOR_INPUT,
      // A missed slot is not worth replaying late: the next one comes in minutes.
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 300 },
    },
    dependsOn: [schedulerRole.policy],
  });
  return { fn, role, logGroup, schedulerRole };
};
