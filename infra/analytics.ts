// The analytics lake's SQL side (DESIGN §13): a Glue database with one table per Parquet dataset
// the transform publishes under analytics/, partition projection on order_date (no crawler, no
// partitions to register: a new date is queryable the moment its file exists), an Athena
// workgroup whose settings queries cannot override, the named queries of infra/queries/, and the
// IAM policy an analyst role needs, as an output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { Fn, TerraformVariable } from 'cdktf';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { DATASET_COLUMNS, type Dataset } from '../workers/core/analytics-columns.js';
import type { AwsContext } from './context.js';
import type { Namer } from './naming.js';

export const ATHENA_RESULTS_PREFIX = 'athena-results/';
export const NAMED_QUERIES = {
  order_kpis: 'Recomputes the order_kpis DynamoDB table from orders and order_items',
  category_kpis: 'Recomputes the category_kpis DynamoDB table from orders and order_items',
  revenue_trend: 'Analyst example: daily revenue with a trailing 7-day average',
  top_categories: 'Analyst example: the ten categories with the most revenue',
} as const;
export const namedQueryText = (name: keyof typeof NAMED_QUERIES): string =>
  readFileSync(join(import.meta.dirname, 'queries', `${name}.sql`), 'utf8');

const variable = (scope: Construct, name: string, config: ConstructorParameters<typeof TerraformVariable>[2]) => {
  // As in variables.ts: a validation condition is an expression only inside `${…}`.
  const validation = config.validation?.map((rule) => ({ ...rule, condition: `\${${rule.condition}}` }));
  const v = new TerraformVariable(scope, `var_${name}`, { ...config, ...(validation ? { validation } : {}) });
  v.overrideLogicalId(name);
  return v;
};

export interface AnalyticsInputs {
  readonly dateRange: TerraformVariable;
  readonly bytesScannedCutoff: TerraformVariable;
}

export const declareAnalyticsInputs = (scope: Construct): AnalyticsInputs => ({
  dateRange: variable(scope, 'analytics_date_range', {
    type: 'string',
    default: '2020-01-01,NOW',
    description: 'Partition projection range of order_date in the Glue tables: "<first>,<last>" as yyyy-MM-dd, or NOW (optionally NOW+1DAYS etc.) for today. Dates outside it are not queried.',
    validation: [{
      condition: 'can(regex("^\\\\d{4}-\\\\d{2}-\\\\d{2},(\\\\d{4}-\\\\d{2}-\\\\d{2}|NOW([+-]\\\\d+DAYS)?)$", var.analytics_date_range))',
      errorMessage: 'analytics_date_range: "yyyy-MM-dd,yyyy-MM-dd" or "yyyy-MM-dd,NOW" (NOW+nDAYS allowed).',
    }],
  }),
  bytesScannedCutoff: variable(scope, 'athena_bytes_scanned_cutoff', {
    type: 'number',
    default: 10 * 1024 ** 3,
    description: 'Bytes one Athena query of the workgroup may scan before Athena cancels it (at least 10 MB, Athena\'s minimum).',
    validation: [{
      condition: 'var.athena_bytes_scanned_cutoff >= 10485760 && floor(var.athena_bytes_scanned_cutoff) == var.athena_bytes_scanned_cutoff',
      errorMessage: 'athena_bytes_scanned_cutoff: a whole number of bytes, at least 10485760.',
    }],
  }),
});

const GLUE_TYPE = { string: 'string', timestamp: 'timestamp', int: 'int', 'decimal(18,2)': 'decimal(18,2)', 'decimal(9,4)': 'decimal(9,4)' } as const;

const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serDeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
};

export interface Analytics {
  readonly database: GlueCatalogDatabase;
  readonly workgroup: AthenaWorkgroup;
  readonly analystPolicy: DataAwsIamPolicyDocument;
}

export const analytics = (scope: Construct, deps: { name: Namer; aws: AwsContext; lake: S3Bucket; inputs: AnalyticsInputs }): Analytics => {
  const { name, aws, lake, inputs } = deps;
  // Glue and Athena names take lowercase letters, digits and underscores only.
  const database = new GlueCatalogDatabase(scope, 'glue_analytics_database', {
    name: Fn.replace(name('analytics'), '-', '_'),
    description: 'The pipeline\'s analytics lake: latest order versions and KPIs as Parquet by order_date',
  });
  const location = (dataset: Dataset) => `s3://${lake.bucket}/analytics/${dataset}/`;
  const table = (dataset: Dataset) => {
    const dated = dataset !== 'products';
    return new GlueCatalogTable(scope, `analytics_${dataset}`, {
      name: dataset,
      databaseName: database.name,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'parquet',
        ...(dated
          ? {
              'projection.enabled': 'true',
              'projection.order_date.type': 'date',
              'projection.order_date.format': 'yyyy-MM-dd',
              'projection.order_date.range': inputs.dateRange.stringValue,
              'projection.order_date.interval': '1',
              'projection.order_date.interval.unit': 'DAYS',
              // `$${…}`: a literal `${order_date}` for Athena, not a Terraform interpolation.
              'storage.location.template': `${location(dataset)}order_date=$\${order_date}/`,
            }
          : {}),
      },
      partitionKeys: dated ? [{ name: 'order_date', type: 'date' }] : [],
      storageDescriptor: {
        location: location(dataset),
        ...PARQUET_STORAGE,
        columns: DATASET_COLUMNS[dataset].map((c) => ({ name: c.name, type: GLUE_TYPE[c.type] })),
      },
    });
  };
  const tables = (['orders', 'order_items', 'order_kpis', 'category_kpis', 'products'] as const).map(table);

  const workgroup = new AthenaWorkgroup(scope, 'athena_analytics_workgroup', {
    name: name('analytics'),
    description: 'Queries over the analytics lake; results under athena-results/ of the lake bucket',
    // Destroy must not be blocked by saved query history.
    forceDestroy: true,
    configuration: {
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: inputs.bytesScannedCutoff.numberValue,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: `s3://${lake.bucket}/${ATHENA_RESULTS_PREFIX}`,
        encryptionConfiguration: { encryptionOption: 'SSE_S3' },
      },
    },
  });
  for (const [query, description] of Object.entries(NAMED_QUERIES) as Array<[keyof typeof NAMED_QUERIES, string]>) {
    new AthenaNamedQuery(scope, `analytics_query_${query}`, {
      name: query,
      description,
      database: database.name,
      workgroup: workgroup.name,
      query: namedQueryText(query),
      dependsOn: tables,
    });
  }

  const glueArn = (what: string) => `arn:${aws.partition}:glue:${aws.region}:${aws.accountId}:${what}`;
  const analystPolicy = new DataAwsIamPolicyDocument(scope, 'analyst_policy', {
    statement: [
      {
        sid: 'QueryInTheWorkgroup',
        actions: [
          'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
          'athena:ListQueryExecutions', 'athena:BatchGetQueryExecution', 'athena:GetWorkGroup',
          'athena:ListNamedQueries', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery',
        ],
        resources: [workgroup.arn],
      },
      {
        sid: 'ReadTheCatalog',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [glueArn('catalog'), glueArn(`database/${database.name}`), glueArn(`table/${database.name}/*`)],
      },
      {
        sid: 'ReadTheAnalyticsLake',
        actions: ['s3:GetObject'],
        resources: [`${lake.arn}/analytics/*`],
      },
      {
        sid: 'ListTheAnalyticsLakeAndResults',
        actions: ['s3:ListBucket'],
        resources: [lake.arn],
        condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['analytics/*', `${ATHENA_RESULTS_PREFIX}*`] }],
      },
      {
        sid: 'LocateTheBucket',
        actions: ['s3:GetBucketLocation'],
        resources: [lake.arn],
      },
      {
        sid: 'WriteAndReadQueryResults',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [`${lake.arn}/${ATHENA_RESULTS_PREFIX}*`],
      },
    ],
  });
  return { database, workgroup, analystPolicy };
};
