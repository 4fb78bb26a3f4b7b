// The knobs a platform team turns (DESIGN §9). Every variable has a description and a validation,
// so a bad value stops `terraform plan` with a message instead of failing half-way through apply.
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Fargate CPU units and the memory sizes (MiB) each accepts in the low range this pipeline uses. */
const FARGATE_CPU = [256, 512, 1024, 2048, 4096] as const;

/**
 * Validate and transform each run under a TimeoutSeconds of the state machine (statemachine.asl.json);
 * the lease must outlast both plus the lock and verdict steps, or a live run could be reclaimed.
 */
export const ECS_TASK_TIMEOUT_SECONDS = 1800;
export const MIN_LOCK_LEASE_SECONDS = 2 * ECS_TASK_TIMEOUT_SECONDS + 300;

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
  readonly kmsKeyArn: TerraformVariable;
}

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
    description: 'Memory (MiB) of the validate task (the least Fargate gives 2 vCPUs; well over 1.5x the peak measured at 4 M items, README "Validate: threads and memory"); it grows with the orders and products of a batch, not with items.',
    validation: [{ condition: 'var.validate_memory >= 512 && var.validate_memory <= 30720 && var.validate_memory % 512 == 0', errorMessage: 'validate_memory: a multiple of 512 between 512 and 30720 that Fargate accepts for the CPU.' }],
  }),
  transformCpu: v(scope, 'transform_cpu', {
    type: 'number',
    default: 1024,
    description: 'Fargate CPU units of the transform task.',
    validation: [{ condition: `contains([${FARGATE_CPU.join(', ')}], var.transform_cpu)`, errorMessage: `transform_cpu: one of ${FARGATE_CPU.join(', ')}.` }],
  }),
  transformMemory: v(scope, 'transform_memory', {
    type: 'number',
    default: 2048,
    description: 'Memory (MiB) of the transform task; it grows with the orders of the dates a batch touches.',
    validation: [{ condition: 'var.transform_memory >= 512 && var.transform_memory <= 30720 && var.transform_memory % 512 == 0', errorMessage: 'transform_memory: a multiple of 512 between 512 and 30720 that Fargate accepts for the CPU.' }],
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
      condition: 'var.lock_max_wait_seconds > var.lock_lease_seconds && var.lock_max_wait_seconds <= 31536000 && floor(var.lock_max_wait_seconds) == var.lock_max_wait_seconds',
      errorMessage: 'lock_max_wait_seconds: whole seconds, greater than lock_lease_seconds, at most a year.',
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
    description: 'Processed inputs under archive/ move to Glacier after 30 days and expire after this many days.',
    validation: [{ condition: 'var.archive_expiration_days >= 31', errorMessage: 'archive_expiration_days: at least 31 (after the transition to Glacier).' }],
  }),
  quarantineExpirationDays: v(scope, 'quarantine_expiration_days', {
    type: 'number',
    default: 90,
    description: 'Quarantined files and rows under quarantine/ expire after this many days.',
    validation: [{ condition: 'var.quarantine_expiration_days >= 1', errorMessage: 'quarantine_expiration_days: at least 1.' }],
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
