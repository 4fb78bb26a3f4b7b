// The knobs a platform team turns (DESIGN §9). Every variable has a description and a validation,
// so a bad value stops `terraform plan` with a message instead of failing half-way through apply.
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { FARGATE_CPU, fargateSizeCondition } from './fargate.js';

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;


/**
 * Validate and transform each run under a TimeoutSeconds of the state machine (statemachine.asl.json);
 * the lease must outlast both plus the lock and verdict steps, or a live run could be reclaimed.
 */
export const ECS_TASK_TIMEOUT_SECONDS = 1800;
export const MIN_LOCK_LEASE_SECONDS = 2 * ECS_TASK_TIMEOUT_SECONDS + 300;
/**
 * The execution's own TimeoutSeconds is this wait plus the tasks (infra/state-machine.ts); a week
 * keeps it far below what a timer can hold (the local interpreter's is Node's, 24.8 days).
 */
export const LOCK_MAX_WAIT_LIMIT_SECONDS = 7 * 24 * 3600;

export interface Inputs {
  readonly namePrefix: TerraformVariable;
  readonly environment: TerraformVariable;
  readonly region: TerraformVariable;
  readonly subnetIds: TerraformVariable;
  readonly securityGroupIds: TerraformVariable;
  readonly assignPublicIp: TerraformVariable;
  readonly validateImage: TerraformVariable;
  readonly transformImage: TerraformVariable;
  readonly ecrRepositoryArns: TerraformVariable;
  readonly validateCpu: TerraformVariable;
  readonly validateMemory: TerraformVariable;
  readonly transformCpu: TerraformVariable;
  readonly transformMemory: TerraformVariable;
  readonly notificationEmail: TerraformVariable;
  readonly maxRejectRate: TerraformVariable;
  readonly lockLeaseSeconds: TerraformVariable;
  readonly lockWaitSeconds: TerraformVariable;
  readonly lockMaxWaitSeconds: TerraformVariable;
  readonly logLevel: TerraformVariable;
  readonly logRetentionDays: TerraformVariable;
  readonly lambdaZipPath: TerraformVariable;
  readonly archiveExpirationDays: TerraformVariable;
  readonly quarantineExpirationDays: TerraformVariable;
  readonly settleSeconds: TerraformVariable;
  readonly bucketSuffix: TerraformVariable;
  readonly cpuArchitecture: TerraformVariable;
  readonly kpiTableDeletionProtection: TerraformVariable;
  readonly kmsKeyArn: TerraformVariable;
}

/** S3 Glacier Flexible Retrieval bills 90 days at least: expiring earlier than this costs extra. */
export const ARCHIVE_TRANSITION_DAYS = 30;
export const GLACIER_MINIMUM_DAYS = 90;
/** Longest bucket suffix (with its hyphen): the bucket names fit S3's 63 at the longest prefix and environment. */
export const BUCKET_SUFFIX_MAX = 8;
/** bucket_suffix's default: derive the suffix from the account id. */
export const BUCKET_SUFFIX_FROM_ACCOUNT = 'account';

const v = (
  scope: Construct,
  name: string,
  config: ConstructorParameters<typeof TerraformVariable>[2],
): TerraformVariable => {
  // In JSON configuration a condition is a string; only `${…}` makes Terraform read it as an expression.
  const validation = config.validation?.map((rule) => ({ ...rule, condition: `\${${rule.condition}}` }));
  const variable = new TerraformVariable(scope, `var_${name}`, { ...config, ...(validation ? { validation } : {}) });
  variable.overrideLogicalId(name);
  return variable;
};

export const declareInputs = (scope: Construct): Inputs => ({
  namePrefix: v(scope, 'name_prefix', {
    type: 'string',
    default: 'ecommerce-pipeline',
    description: 'Prefix of every resource name (`<prefix>-<environment>-...`). Bucket names are global: choose a prefix that makes them unique.',
    validation: [{
      condition: 'can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))',
      errorMessage: 'name_prefix: 3-32 characters, lowercase letters, digits and hyphens, starting with a letter.',
    }],
  }),
  environment: v(scope, 'environment', {
    type: 'string',
    default: 'dev',
    description: 'Environment name, second part of every resource name (dev, staging, prod, ...).',
    validation: [{
      condition: 'can(regex("^[a-z][a-z0-9]{0,11}$", var.environment))',
      errorMessage: 'environment: 1-12 lowercase letters or digits, starting with a letter.',
    }],
  }),
  region: v(scope, 'region', {
    type: 'string',
    default: 'us-east-1',
    description: 'AWS region to deploy into.',
    validation: [{
      condition: 'can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))',
      errorMessage: 'region: an AWS region name such as us-east-1.',
    }],
  }),
  subnetIds: v(scope, 'subnet_ids', {
    type: 'list(string)',
    description: 'Existing subnets the Fargate tasks run in (the network is passed in, not created). Private subnets need a NAT gateway or VPC endpoints for S3, DynamoDB, ECR and CloudWatch Logs.',
    validation: [{
      condition: 'length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])',
      errorMessage: 'subnet_ids: at least one subnet id (subnet-xxxxxxxx).',
    }],
  }),
  securityGroupIds: v(scope, 'security_group_ids', {
    type: 'list(string)',
    description: 'Existing security groups for the Fargate tasks; they need outbound HTTPS only.',
    validation: [{
      condition: 'length(var.security_group_ids) > 0 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])',
      errorMessage: 'security_group_ids: at least one security group id (sg-xxxxxxxx).',
    }],
  }),
  assignPublicIp: v(scope, 'assign_public_ip', {
    type: 'bool',
    default: false,
    description: 'Give Fargate tasks a public IP (only for public subnets without NAT).',
    validation: [{ condition: 'var.assign_public_ip != null', errorMessage: 'assign_public_ip: true or false.' }],
  }),
  validateImage: v(scope, 'validate_image', {
    type: 'string',
    description: 'Container image URI of the validate worker (the Dockerfile image; it runs `node dist/validate.js`).',
    validation: [{
      condition: 'can(regex("^[^\\\\s]+(:[^\\\\s:/]+|@sha256:[0-9a-f]{64})$", var.validate_image))',
      errorMessage: 'validate_image: an image URI with a tag or digest, no spaces.',
    }],
  }),
  transformImage: v(scope, 'transform_image', {
    type: 'string',
    description: 'Container image URI of the transform worker (may be the same image as validate_image; it runs `node dist/transform.js`).',
    validation: [{
      condition: 'can(regex("^[^\\\\s]+(:[^\\\\s:/]+|@sha256:[0-9a-f]{64})$", var.transform_image))',
      errorMessage: 'transform_image: an image URI with a tag or digest, no spaces.',
    }],
  }),
  ecrRepositoryArns: v(scope, 'ecr_repository_arns', {
    type: 'list(string)',
    default: [],
    description: 'ECR repositories the images are pulled from; the task execution role may pull from these only. Empty when the images live in a public registry.',
    validation: [{
      condition: 'alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", a))])',
      errorMessage: 'ecr_repository_arns: ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>).',
    }],
  }),
  validateCpu: v(scope, 'validate_cpu', {
    type: 'number',
    default: 2048,
    description: 'Fargate CPU units of the validate task: 2 vCPUs, the main thread and a check thread (it starts one thread per vCPU).',
    validation: [{ condition: `contains([${FARGATE_CPU.join(', ')}], var.validate_cpu)`, errorMessage: `validate_cpu: one of ${FARGATE_CPU.join(', ')}.` }],
  }),
  validateMemory: v(scope, 'validate_memory', {
    type: 'number',
    default: 4096,
    description: 'Memory (MiB) of the validate task (the least Fargate gives 2 vCPUs; over 1.5x the peak measured at 4 M items, README "Speed and memory on real shapes"); it grows with the orders and products of a batch, not with items.',
    // Terraform >= 1.9 lets a validation read another variable: the pair is checked against Fargate's table.
    validation: [{ condition: fargateSizeCondition('var.validate_cpu', 'var.validate_memory'), errorMessage: 'validate_memory: a size Fargate accepts for validate_cpu (256: 512, 1024 or 2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384, in 1024 steps; 4096: 8192-30720 in 1024 steps; 8192: 16384-61440 in 4096 steps; 16384: 32768-122880 in 8192 steps).' }],
  }),
  transformCpu: v(scope, 'transform_cpu', {
    type: 'number',
    default: 2048,
    description:
      'Fargate CPU units of the transform task. 2048 (2 vCPU): the transform builds and writes the analytics Parquet on a second thread (ANALYTICS_THREADS=1) while the main thread reads, folds and writes snapshots and KPIs; on 1 vCPU the two would share one core (1 M-item four-year shop on 2 cores: 20.1 s inline, 14.6 s with the thread).',
    validation: [{ condition: `contains([${FARGATE_CPU.join(', ')}], var.transform_cpu)`, errorMessage: `transform_cpu: one of ${FARGATE_CPU.join(', ')}.` }],
  }),
  transformMemory: v(scope, 'transform_memory', {
    type: 'number',
    default: 4096,
    description: 'Memory (MiB) of the transform task; it grows with the orders of the dates a batch touches. 4096 is the least Fargate allows with 2048 CPU units (peak RSS of a 4 M-item batch is far below).',
    // Terraform >= 1.9 lets a validation read another variable: the pair is checked against Fargate's table.
    validation: [{ condition: fargateSizeCondition('var.transform_cpu', 'var.transform_memory'), errorMessage: 'transform_memory: a size Fargate accepts for transform_cpu (256: 512, 1024 or 2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384, in 1024 steps; 4096: 8192-30720 in 1024 steps; 8192: 16384-61440 in 4096 steps; 16384: 32768-122880 in 8192 steps).' }],
  }),
  notificationEmail: v(scope, 'notification_email', {
    type: 'string',
    default: '',
    description: 'E-mail address subscribed to the pipeline topic (success, rejection, failure, alarms). Empty: no subscription.',
    validation: [{
      condition: 'var.notification_email == "" || can(regex("^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$", var.notification_email))',
      errorMessage: 'notification_email: empty or an e-mail address.',
    }],
  }),
  maxRejectRate: v(scope, 'max_reject_rate', {
    type: 'number',
    default: 0.05,
    description: 'MAX_REJECT_RATE: a batch is rejected when the rejected share of any kind exceeds this.',
    validation: [{ condition: 'var.max_reject_rate >= 0 && var.max_reject_rate <= 1', errorMessage: 'max_reject_rate: between 0 and 1.' }],
  }),
  lockLeaseSeconds: v(scope, 'lock_lease_seconds', {
    type: 'number',
    default: 7200,
    description: `LOCK_LEASE_SECONDS: a lock holder seen unchanged for this long by a waiting execution is reclaimed, so a crashed run never wedges the pipeline. At least ${MIN_LOCK_LEASE_SECONDS} (both ECS task timeouts of ${ECS_TASK_TIMEOUT_SECONDS} s plus margin) so that a live run is never reclaimed.`,
    validation: [{
      condition: `var.lock_lease_seconds >= ${MIN_LOCK_LEASE_SECONDS} && var.lock_lease_seconds <= 86400 && floor(var.lock_lease_seconds) == var.lock_lease_seconds`,
      errorMessage: `lock_lease_seconds: whole seconds between ${MIN_LOCK_LEASE_SECONDS} and 86400.`,
    }],
  }),
  lockWaitSeconds: v(scope, 'lock_wait_seconds', {
    type: 'number',
    default: 30,
    description: 'Seconds an execution waits between two attempts to take a held lock.',
    validation: [{
      condition: 'var.lock_wait_seconds >= 5 && var.lock_wait_seconds <= 600 && floor(var.lock_wait_seconds) == var.lock_wait_seconds',
      errorMessage: 'lock_wait_seconds: whole seconds between 5 and 600.',
    }],
  }),
  lockMaxWaitSeconds: v(scope, 'lock_max_wait_seconds', {
    type: 'number',
    default: 28800,
    description: 'An execution that has waited this long for the lock fails (and notifies). Must exceed lock_lease_seconds, or a stale lock could never be reclaimed.',
    validation: [{
      condition: `var.lock_max_wait_seconds > var.lock_lease_seconds && var.lock_max_wait_seconds <= ${LOCK_MAX_WAIT_LIMIT_SECONDS} && floor(var.lock_max_wait_seconds) == var.lock_max_wait_seconds`,
      errorMessage: `lock_max_wait_seconds: whole seconds, greater than lock_lease_seconds, at most 7 days (${LOCK_MAX_WAIT_LIMIT_SECONDS}).`,
    }],
  }),
  logLevel: v(scope, 'log_level', {
    type: 'string',
    default: 'info',
    description: 'LOG_LEVEL of the workers and the aggregator.',
    validation: [{ condition: 'contains(["debug", "info", "warn", "error"], var.log_level)', errorMessage: 'log_level: debug, info, warn or error.' }],
  }),
  logRetentionDays: v(scope, 'log_retention_days', {
    type: 'number',
    default: 30,
    description: 'Retention of every log group, in days.',
    validation: [{ condition: `contains([${LOG_RETENTION_DAYS.join(', ')}], var.log_retention_days)`, errorMessage: 'log_retention_days: a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...).' }],
  }),
  lambdaZipPath: v(scope, 'lambda_zip_path', {
    type: 'string',
    default: '../dist/aggregator.zip',
    description: 'Path of the aggregator zip (`make lambda-zip` builds it reproducibly from dist/aggregator.js), relative to the directory terraform runs in. A build artefact: never committed.',
    validation: [{ condition: 'endswith(var.lambda_zip_path, ".zip")', errorMessage: 'lambda_zip_path: a path to a .zip file.' }],
  }),
  archiveExpirationDays: v(scope, 'archive_expiration_days', {
    type: 'number',
    default: 365,
    description: `Processed inputs under archive/ move to Glacier after ${ARCHIVE_TRANSITION_DAYS} days and expire after this many days (at least ${ARCHIVE_TRANSITION_DAYS + GLACIER_MINIMUM_DAYS}: Glacier bills ${GLACIER_MINIMUM_DAYS} days at least).`,
    validation: [{
      condition: `var.archive_expiration_days >= ${ARCHIVE_TRANSITION_DAYS + GLACIER_MINIMUM_DAYS}`,
      errorMessage: `archive_expiration_days: at least ${ARCHIVE_TRANSITION_DAYS + GLACIER_MINIMUM_DAYS} (the transition to Glacier after ${ARCHIVE_TRANSITION_DAYS} days plus its ${GLACIER_MINIMUM_DAYS}-day minimum).`,
    }],
  }),
  quarantineExpirationDays: v(scope, 'quarantine_expiration_days', {
    type: 'number',
    default: 90,
    description: 'Quarantined files and rows under quarantine/ expire after this many days.',
    validation: [{ condition: 'var.quarantine_expiration_days >= 1', errorMessage: 'quarantine_expiration_days: at least 1.' }],
  }),
  settleSeconds: v(scope, 'settle_seconds', {
    type: 'number',
    default: 60,
    description: 'SETTLE_SECONDS: parts uploaded without a manifest start a batch only once the newest of them is this old (a one-time re-check is scheduled meanwhile), so parts uploaded one by one land in one batch. 0 starts a complete set at once.',
    validation: [{
      condition: 'var.settle_seconds >= 0 && var.settle_seconds <= 3600 && floor(var.settle_seconds) == var.settle_seconds',
      errorMessage: 'settle_seconds: whole seconds between 0 and 3600.',
    }],
  }),
  bucketSuffix: v(scope, 'bucket_suffix', {
    type: 'string',
    default: BUCKET_SUFFIX_FROM_ACCOUNT,
    description: `Last part of the bucket names (\`<prefix>-<environment>-landing-<suffix>\`). Bucket names are global, so by default ("${BUCKET_SUFFIX_FROM_ACCOUNT}") it is the first ${BUCKET_SUFFIX_MAX} hex digits of the SHA-1 of the account id, stable and unique per account; "" for no suffix (the bare names), or up to ${BUCKET_SUFFIX_MAX} lowercase letters and digits of your own.`,
    validation: [{
      condition: `can(regex("^[a-z0-9]{0,${BUCKET_SUFFIX_MAX}}$", var.bucket_suffix))`,
      errorMessage: `bucket_suffix: "${BUCKET_SUFFIX_FROM_ACCOUNT}" (the default), "" or up to ${BUCKET_SUFFIX_MAX} lowercase letters and digits.`,
    }],
  }),
  cpuArchitecture: v(scope, 'cpu_architecture', {
    type: 'string',
    default: 'X86_64',
    description: 'CPU architecture of the Fargate task definitions; must match the worker image (X86_64 or ARM64).',
    validation: [{ condition: 'contains(["X86_64", "ARM64"], var.cpu_architecture)', errorMessage: 'cpu_architecture: X86_64 or ARM64.' }],
  }),
  kpiTableDeletionProtection: v(scope, 'kpi_table_deletion_protection', {
    type: 'bool',
    default: true,
    description: 'Deletion protection on the two KPI tables (a destroy then fails until it is turned off). The local runtime turns it off.',
    validation: [{ condition: 'var.kpi_table_deletion_protection != null', errorMessage: 'kpi_table_deletion_protection: true or false.' }],
  }),
  kmsKeyArn: v(scope, 'kms_key_arn', {
    type: 'string',
    default: '',
    description: 'Customer-managed KMS key (key ARN) for every store: buckets (SSE-KMS with bucket keys), tables, queues, the topic and log groups; the roles get the KMS actions they need on it. Its key policy must admit the services that write with it (README). Empty: AWS-managed encryption, as without this option.',
    validation: [{
      condition: 'var.kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$", var.kms_key_arn))',
      errorMessage: 'kms_key_arn: empty or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; not an alias, which log groups and tables do not take).',
    }],
  }),
});
