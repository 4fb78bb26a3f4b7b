// The deployed stack as the local runtime sees it: `terraform output -json` decoded with io-ts, so a
// renamed output stops the demo with the name that is missing instead of a confusing AWS error.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { StackOutputs } from './runtime.js';

const Output = <C extends t.Mixed>(value: C) => t.type({ value });

const TerraformOutputs = t.type({
  landing_bucket: Output(t.string),
  lake_bucket: Output(t.string),
  events_queue_url: Output(t.string),
  state_machine_arn: Output(t.string),
  topic_arn: Output(t.string),
  category_kpi_table: Output(t.string),
  order_kpi_table: Output(t.string),
  lock_table: Output(t.string),
});

/** The aggregator Lambda's environment: the local runtime hands the bundle the settle settings. */
const AggregatorEnvironment = t.type({ aggregator_environment: Output(t.record(t.string, t.string)) });

export const stackOutputsOf = (json: unknown): E.Either<string, StackOutputs> =>
  pipe(
    TerraformOutputs.decode(json),
    E.mapLeft((errors) => {
      const missing = [...new Set(errors.map((e) => e.context[1]?.key).filter((k): k is string => Boolean(k)))];
      return `terraform outputs lack ${missing.join(', ')}`;
    }),
    E.map((o) => ({
      landingBucket: o.landing_bucket.value,
      lakeBucket: o.lake_bucket.value,
      eventQueueUrl: o.events_queue_url.value,
      stateMachineArn: o.state_machine_arn.value,
      topicArn: o.topic_arn.value,
      categoryKpiTable: o.category_kpi_table.value,
      orderKpiTable: o.order_kpi_table.value,
      lockTable: o.lock_table.value,
      ...(AggregatorEnvironment.is(json) ? { aggregatorEnvironment: json.aggregator_environment.value } : {}),
    })),
  );

/** The environment the workers and CLIs (kpis.js, reprocess.js) need for this stack. */
export const stackEnv = (stack: StackOutputs): Record<string, string> => ({
  LANDING_BUCKET: stack.landingBucket,
  LAKE_BUCKET: stack.lakeBucket,
  CATEGORY_KPI_TABLE: stack.categoryKpiTable,
  ORDER_KPI_TABLE: stack.orderKpiTable,
  LOCK_TABLE: stack.lockTable,
  TOPIC_ARN: stack.topicArn,
  STATE_MACHINE_ARN: stack.stateMachineArn,
});
