// The state machine: statemachine.asl.json with its placeholders filled by this stack's resources,
// an execution role scoped to exactly what its Tasks call, and error-level execution logs.
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Fn, Token } from 'cdktf';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { allow, serviceRole, type ServiceRole } from './iam.js';
import { renderForTerraform, type Json } from './asl-template.js';
import type { Namer } from './naming.js';
import { ECS_TASK_TIMEOUT_SECONDS, type Inputs } from './variables.js';
import type { Storage } from './storage.js';
import type { Tables } from './tables.js';
import type { Workers } from './workers.js';
import type { AwsContext } from './context.js';
import { grantKeyUse, keyOrNull, READ, WRITE } from './encryption.js';

export const DEFINITION_PATH = fileURLToPath(new URL('../statemachine.asl.json', import.meta.url));

export const readDefinitionTemplate = (path: string = DEFINITION_PATH): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

export interface StateMachine {
  readonly machine: SfnStateMachine;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
  /** Placeholder → its value as a Terraform expression (for the `state_machine_placeholders` output). */
  readonly placeholderValues: Readonly<Record<string, unknown>>;
}

const quoted = (token: string) => `"${token}"`;

/**
 * Room beyond the lock wait and the two ECS tasks for every other state of the longest
 * legitimate run: the lock, verdict and notification tasks (60 s each, retried) and the ECS
 * retries' backoff.
 */
export const EXECUTION_TIMEOUT_MARGIN_SECONDS = 1800;
/** The execution's TimeoutSeconds: lock_max_wait_seconds + both ECS task timeouts + the margin. */
export const EXECUTION_TIMEOUT_EXTRA_SECONDS = 2 * ECS_TASK_TIMEOUT_SECONDS + EXECUTION_TIMEOUT_MARGIN_SECONDS;
const executionTimeout = (inputs: Inputs): string => `\${var.${inputs.lockMaxWaitSeconds.friendlyUniqueId} + ${EXECUTION_TIMEOUT_EXTRA_SECONDS}}`;

export const stateMachine = (
  scope: Construct,
  props: { name: Namer; inputs: Inputs; aws: AwsContext; storage: Storage; tables: Tables; workers: Workers; topic: SnsTopic },
): StateMachine => {
  const { name, inputs, aws, storage, tables, workers, topic } = props;
  const assignPublicIp = Fn.conditional(inputs.assignPublicIp.booleanValue, 'ENABLED', 'DISABLED');
  const strings: Record<string, string> = {
    lock_table: tables.locks.name,
    lake_bucket: storage.lake.bucket,
    topic_arn: topic.arn,
    cluster_arn: workers.cluster.arn,
    // The family, not a revision: an apply that replaces a task definition deregisters the old
    // revision, and an execution started before it (waiting for the lock) would RunTask an
    // INACTIVE one. RunTask on the family runs the latest ACTIVE revision.
    validate_task_definition_arn: workers.validate.taskDefinition.arnWithoutRevision,
    transform_task_definition_arn: workers.transform.taskDefinition.arnWithoutRevision,
    assign_public_ip: assignPublicIp,
  };
  const values: Record<string, string> = {
    subnet_ids: Fn.jsonencode(inputs.subnetIds.listValue),
    security_group_ids: Fn.jsonencode(inputs.securityGroupIds.listValue),
    lock_lease_seconds: inputs.lockLeaseSeconds.stringValue,
    lock_wait_seconds: inputs.lockWaitSeconds.stringValue,
    lock_max_wait_seconds: inputs.lockMaxWaitSeconds.stringValue,
    execution_timeout_seconds: executionTimeout(inputs),
  };
  const spliced = {
    ...Object.fromEntries(Object.entries(strings).map(([k, v]) => [k, quoted(v)])),
    ...values,
  };
  const definition = renderForTerraform(readDefinitionTemplate(), spliced);

  const logGroup = new CloudwatchLogGroup(scope, 'state_machine_logs', {
    // The vendedlogs prefix keeps CloudWatch Logs resource policies small (AWS's advice for
    // Step Functions log delivery).
    name: `/aws/vendedlogs/states/${name('pipeline')}`,
    retentionInDays: inputs.logRetentionDays.numberValue,
    kmsKeyId: keyOrNull(),
  });

  const taskDefinitionFamilies = [workers.validate.taskDefinition, workers.transform.taskDefinition].map(
    (td) => `${td.arnWithoutRevision}:*`,
  );
  const clusterTasks = `${Fn.replace(workers.cluster.arn, ':cluster/', ':task/')}/*`;
  const role = serviceRole(scope, 'state_machine', {
    name: name('state-machine'),
    service: 'states.amazonaws.com',
    sourceAccount: aws.accountId,
    statements: [
      allow('HoldTheLock', ['dynamodb:UpdateItem', 'dynamodb:GetItem'], [tables.locks.arn]),
      allow('RunWorkers', ['ecs:RunTask'], taskDefinitionFamilies, [
        { test: 'ArnEquals', variable: 'ecs:cluster', values: [workers.cluster.arn] },
      ]),
      allow('WatchWorkers', ['ecs:DescribeTasks', 'ecs:StopTask'], [clusterTasks]),
      allow('PassWorkerRoles', ['iam:PassRole'], [
        workers.executionRole.role.arn, workers.validate.taskRole.role.arn, workers.transform.taskRole.role.arn,
      ], [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com'] }]),
      // ecs:runTask.sync learns that a task stopped through this managed EventBridge rule.
      allow('SyncEcsTasks', ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], [
        `arn:${aws.partition}:events:${aws.region}:${aws.accountId}:rule/StepFunctionsGetEventsForECSTaskRule`,
      ]),
      allow('ReadValidationReports', ['s3:GetObject'], [`${storage.lake.arn}/reports/*`]),
      allow('Notify', ['sns:Publish'], [topic.arn]),
      // CloudWatch Logs log delivery has no resource-level permissions: AWS documents "*" as the
      // only resource for these calls.
      allow('DeliverExecutionLogs', [
        'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
      ], ['*']),
    ],
  });

  grantKeyUse(scope, 'state_machine', role, aws, { dynamodb: READ, s3: READ, sns: WRITE });
  const machine = new SfnStateMachine(scope, 'pipeline', {
    name: name('pipeline'),
    type: 'STANDARD',
    roleArn: role.role.arn,
    definition,
    loggingConfiguration: {
      logDestination: `${logGroup.arn}:*`,
      includeExecutionData: true,
      level: 'ERROR',
    },
    dependsOn: [role.policy],
  });

  const placeholderValues: Record<string, unknown> = {
    ...strings,
    subnet_ids: inputs.subnetIds.listValue,
    security_group_ids: inputs.securityGroupIds.listValue,
    lock_lease_seconds: inputs.lockLeaseSeconds.numberValue,
    lock_wait_seconds: inputs.lockWaitSeconds.numberValue,
    lock_max_wait_seconds: inputs.lockMaxWaitSeconds.numberValue,
    execution_timeout_seconds: Token.asNumber(executionTimeout(inputs)),
  };
  return { machine, role, logGroup, placeholderValues };
};
