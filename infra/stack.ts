// The one stack: one construct per concern, wired together here and nowhere else.
import { Construct } from 'constructs';
import { Fn, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { declareInputs } from './variables.js';
import { namer } from './naming.js';
import { awsContext } from './context.js';
import { storage } from './storage.js';
import { tables } from './tables.js';
import { notifications } from './notifications.js';
import { workers } from './workers.js';
import { stateMachine } from './state-machine.js';
import { landingEvents, feedAggregator } from './events.js';
import { aggregator } from './aggregator.js';
import { declareMetricsInputs, metricsPipelineName } from './pipeline-metrics.js';
import { monitoring } from './monitoring.js';
import { settleRecheck } from './settle.js';
import { analytics, declareAnalyticsInputs } from './analytics.js';
import { scheduledGenerator } from './generator.js';

export const STACK_NAME = 'ecommerce-pipeline';

/**
 * Terraform 1.9 is the first to let a variable's validation refer to another variable (the
 * Fargate size pairs); 1.10 the first whose S3 backend takes `use_lockfile`, which the backend
 * example (terraform/backend.s3.example.hcl) uses.
 */
export const REQUIRED_TERRAFORM = '>= 1.10.0';

export class PipelineStack extends TerraformStack {
  constructor(scope: Construct, id: string = STACK_NAME) {
    super(scope, id);
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM);
    // Local state by default; `make plan BACKEND_CONFIG=…` overrides it with a partially
    // configured S3 backend (see terraform/backend.s3.example.hcl).
    new LocalBackend(this, { path: 'terraform.tfstate' });

    const inputs = declareInputs(this);
    new AwsProvider(this, 'aws', {
      region: inputs.region.stringValue,
      defaultTags: [{ tags: { project: 'ecommerce-pipeline', environment: inputs.environment.stringValue, 'managed-by': 'terraform' } }],
    });
    const name = namer(inputs);
    const aws = awsContext(this);

    const buckets = storage(this, name, inputs, aws);
    const kpiTables = tables(this, name, inputs);
    const { topic } = notifications(this, name, inputs);
    const environment: Record<string, string> = {
      LANDING_BUCKET: buckets.landing.bucket,
      LAKE_BUCKET: buckets.lake.bucket,
      CATEGORY_KPI_TABLE: kpiTables.categoryKpis.name,
      ORDER_KPI_TABLE: kpiTables.orderKpis.name,
      LOCK_TABLE: kpiTables.locks.name,
      TOPIC_ARN: topic.arn,
      // tostring: ECS wants every environment value as a JSON string.
      MAX_REJECT_RATE: Fn.tostring(inputs.maxRejectRate.numberValue),
      LOCK_LEASE_SECONDS: Fn.tostring(inputs.lockLeaseSeconds.numberValue),
      LOG_LEVEL: inputs.logLevel.stringValue,
      METRICS_PIPELINE: metricsPipelineName(name),
    };
    const fargate = workers(this, { name, inputs, storage: buckets, tables: kpiTables, aws, environment });
    const pipeline = stateMachine(this, { name, inputs, aws, storage: buckets, tables: kpiTables, workers: fargate, topic });
    const events = landingEvents(this, name, buckets.landing);
    const settle = settleRecheck(this, { name, aws, queue: events.queue, undelivered: events.undeliveredQueue });
    const lambda = aggregator(this, {
      name, inputs, aws, queue: events.queue, landing: buckets.landing, lake: buckets.lake, stateMachine: pipeline.machine, environment,
      settle, undelivered: events.undeliveredQueue,
    });
    feedAggregator(this, events.queue, lambda.fn);
    const watch = monitoring(this, {
      name, aws, topic, machine: pipeline.machine, aggregator: lambda.fn, queue: events.queue, deadLetterQueue: events.deadLetterQueue,
      undeliveredQueue: events.undeliveredQueue,
      thresholds: { maxRejectRate: inputs.maxRejectRate.numberValue, stalenessHours: declareMetricsInputs(this).stalenessHours.numberValue },
    });

    scheduledGenerator(this, { name, inputs, aws, landing: buckets.landing });
    const lakeSql = analytics(this, { name, aws, lake: buckets.lake, inputs: declareAnalyticsInputs(this) });

    const output = (id: string, value: unknown, description: string) => {
      const o = new TerraformOutput(this, id, { value, description });
      o.overrideLogicalId(id);
    };
    output('landing_bucket', buckets.landing.bucket, 'Bucket the shop uploads orders/, order_items/ and products/ files to');
    output('lake_bucket', buckets.lake.bucket, 'Bucket of the cleaned zone, quarantine, archive and reports');
    output('category_kpi_table', kpiTables.categoryKpis.name, 'KPIs per (category, order_date); index by_date');
    output('order_kpi_table', kpiTables.orderKpis.name, 'KPIs per order_date');
    output('lock_table', kpiTables.locks.name, 'Table holding the pipeline lock item');
    output('topic_arn', topic.arn, 'SNS topic of batch notifications and alarms');
    output('events_queue_url', events.queue.url, 'SQS queue of landing ObjectCreated events (the aggregator source)');
    output('events_queue_arn', events.queue.arn, 'ARN of the landing events queue');
    output('events_dlq_url', events.deadLetterQueue.url, 'Dead-letter queue of the landing events queue');
    output('events_undelivered_url', events.undeliveredQueue.url, 'Standard queue keeping events EventBridge or the settle scheduler could not deliver');
    output('settle_schedule_group', settle.group.name, 'EventBridge Scheduler group of the settle window re-checks');
    output('event_rule_name', events.rule.name, 'EventBridge rule sending landing ObjectCreated events to the queue');
    output('state_machine_arn', pipeline.machine.arn, 'The pipeline state machine');
    output('state_machine_name', pipeline.machine.name, 'Name of the pipeline state machine');
    output('cluster_arn', fargate.cluster.arn, 'ECS cluster the workers run in');
    output('validate_task_definition_arn', fargate.validate.taskDefinition.arn, 'Fargate task definition of the validate worker');
    output('transform_task_definition_arn', fargate.transform.taskDefinition.arn, 'Fargate task definition of the transform worker');
    output('aggregator_function_name', lambda.fn.functionName, 'The aggregator Lambda');
    output('dashboard_name', watch.dashboard.dashboardName, 'CloudWatch dashboard of the pipeline');
    output('aggregator_environment', lambda.fn.environment.variables, 'Environment of the aggregator Lambda (the local runtime gives its handler the settle settings from here)');
    output('worker_environment', environment, 'Environment every worker and the aggregator gets (per-run values come from the state machine)');
    output('analytics_database', lakeSql.database.name, 'Glue database of the analytics lake (tables orders, order_items, order_kpis, category_kpis, products)');
    output('athena_workgroup', lakeSql.workgroup.name, 'Athena workgroup for the analytics lake (results under athena-results/ of the lake bucket)');
    output('analyst_policy_json', lakeSql.analystPolicy.json, 'Least-privilege IAM policy an analyst role needs to query the lake through the workgroup');
    output('state_machine_placeholders', pipeline.placeholderValues, 'Values of the statemachine.asl.json placeholders, for running the same file elsewhere (e.g. a local ASL interpreter)');
  }
}
