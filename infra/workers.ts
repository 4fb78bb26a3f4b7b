// The two Fargate workers (DESIGN §1): one cluster, one task definition each, the same image
// contract (`node dist/<worker>.js` in /app). Per-run values (BATCH_ID, BATCH_MANIFEST,
// EXIT_ZERO_ON_REJECT) come from the state machine's container overrides; everything else is here.
import { Construct } from 'constructs';
import { Fn, Token, ref } from 'cdktf';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { allow, serviceRole, type ServiceRole } from './iam.js';
import type { Namer } from './naming.js';
import type { Inputs } from './variables.js';
import type { Storage } from './storage.js';
import type { Tables } from './tables.js';
import type { AwsContext } from './context.js';
import { grantKeyUse, keyOrNull, WRITE, READ } from './encryption.js';

export type WorkerName = 'validate' | 'transform';

/** What the image runs; the Dockerfile puts the bundles under /app/dist. */
export const WORKER_COMMAND: Readonly<Record<WorkerName, readonly string[]>> = {
  validate: ['node', 'dist/validate.js'],
  transform: ['node', 'dist/transform.js'],
};

export interface Worker {
  readonly taskDefinition: EcsTaskDefinition;
  readonly taskRole: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;
}

export interface Workers {
  readonly cluster: EcsCluster;
  readonly executionRole: ServiceRole;
  readonly validate: Worker;
  readonly transform: Worker;
}

const environmentList = (env: Readonly<Record<string, string>>) =>
  // Sorted, because ECS returns the list sorted and an unsorted one would show as a diff forever.
  Object.keys(env).sort().map((name) => ({ name, value: env[name] }));

export const workers = (
  scope: Construct,
  props: { name: Namer; inputs: Inputs; storage: Storage; tables: Tables; aws: AwsContext; environment: Readonly<Record<string, string>> },
): Workers => {
  const { name, inputs, storage, tables, aws } = props;
  const cluster = new EcsCluster(scope, 'cluster', {
    name: name('workers'),
    setting: [{ name: 'containerInsights', value: 'enabled' }],
  });

  const logGroup = (worker: WorkerName) =>
    new CloudwatchLogGroup(scope, `${worker}_logs`, {
      name: `/ecs/${name(worker)}`,
      retentionInDays: inputs.logRetentionDays.numberValue,
      kmsKeyId: keyOrNull(),
    });
  const logs = { validate: logGroup('validate'), transform: logGroup('transform') };

  const executionRole = serviceRole(scope, 'task_execution', {
    name: name('task-execution'),
    service: 'ecs-tasks.amazonaws.com',
    sourceAccount: aws.accountId,
    statements: [
      allow('WriteWorkerLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${logs.validate.arn}:*`, `${logs.transform.arn}:*`]),
    ],
  });
  // Pulling from ECR only when the images live there. GetAuthorizationToken has no resource-level
  // permissions in AWS, so it alone is granted on "*"; the image reads are scoped to the repositories.
  const ecrCount = () => Token.asNumber(ref('length(var.ecr_repository_arns) > 0 ? 1 : 0'));
  const ecrDocument = new DataAwsIamPolicyDocument(scope, 'task_execution_ecr_permissions', {
    count: ecrCount(),
    statement: [
      allow('EcrLogin', ['ecr:GetAuthorizationToken'], ['*']),
      allow('PullWorkerImages', ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], inputs.ecrRepositoryArns.listValue),
    ],
  });
  new IamRolePolicy(scope, 'task_execution_ecr_policy', {
    count: ecrCount(),
    name: 'pull-worker-images',
    role: executionRole.role.id,
    policy: Token.asString(ref(`one(data.${ecrDocument.terraformResourceType}.${ecrDocument.friendlyUniqueId}[*].json)`)),
  });

  // No grant on the lock table: the state machine alone holds and releases the lock; the workers
  // get LOCK_TABLE in their environment (DESIGN §8) but do not read it.
  const landing = storage.landing.arn;
  const lake = storage.lake.arn;
  const kpiTables = [tables.categoryKpis.arn, `${tables.categoryKpis.arn}/index/*`, tables.orderKpis.arn];

  const validateRole = serviceRole(scope, 'validate_task', {
    name: name('validate-task'),
    service: 'ecs-tasks.amazonaws.com',
    sourceAccount: aws.accountId,
    statements: [
      allow('ListBuckets', ['s3:ListBucket'], [landing, lake]),
      // A rejected batch's inputs move to quarantine: read them, then delete them from landing.
      allow('ReadInputs', ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'], [`${landing}/*`]),
      // Large objects go up as multipart uploads (lib-storage), aborted on failure.
      allow('WriteLake', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], [`${lake}/*`]),
    ],
  });
  const transformRole = serviceRole(scope, 'transform_task', {
    name: name('transform-task'),
    service: 'ecs-tasks.amazonaws.com',
    sourceAccount: aws.accountId,
    statements: [
      allow('ListBuckets', ['s3:ListBucket'], [landing, lake]),
      // Archiving moves inputs: copy to archive/ in the lake, then delete from landing.
      allow('ArchiveInputs', ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'], [`${landing}/*`]),
      allow('ReadWriteLake', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], [`${lake}/*`]),
      allow('WriteKpis', [
        'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem',
        'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable',
      ], kpiTables),
    ],
  });

  grantKeyUse(scope, 'validate_task', validateRole, aws, { s3: WRITE });
  grantKeyUse(scope, 'transform_task', transformRole, aws, { s3: WRITE, dynamodb: READ });

  const taskDefinition = (worker: WorkerName, role: ServiceRole, image: string, cpu: number, memory: number) =>
    new EcsTaskDefinition(scope, `${worker}_task`, {
      family: name(worker),
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: Token.asString(cpu),
      memory: Token.asString(memory),
      // The image's architecture (an arm64 image on X86_64 fails at start with "exec format error").
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: inputs.cpuArchitecture.stringValue },
      executionRoleArn: executionRole.role.arn,
      taskRoleArn: role.role.arn,
      containerDefinitions: Fn.jsonencode([{
        name: worker,
        image,
        essential: true,
        command: [...WORKER_COMMAND[worker]],
        environment: environmentList({ ...props.environment, AWS_REGION: aws.region }),
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': logs[worker].name,
            'awslogs-region': aws.region,
            'awslogs-stream-prefix': worker,
          },
        },
      }]),
    });

  return {
    cluster,
    executionRole,
    validate: {
      taskDefinition: taskDefinition('validate', validateRole, inputs.validateImage.stringValue, inputs.validateCpu.numberValue, inputs.validateMemory.numberValue),
      taskRole: validateRole,
      logGroup: logs.validate,
    },
    transform: {
      taskDefinition: taskDefinition('transform', transformRole, inputs.transformImage.stringValue, inputs.transformCpu.numberValue, inputs.transformMemory.numberValue),
      taskRole: transformRole,
      logGroup: logs.transform,
    },
  };
};
