// Configuration of the KPI workers (DESIGN §8), decoded with io-ts from the environment, flags
// overriding. A bad value stops the worker with one sentence naming the variable.
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { DEFAULT_RETRY_POLICY } from '../core/retry-policy.js';
import type { BlobStore } from './blob-store.js';
import { blobKpiStore } from './blob-kpi-store.js';
import { dynamoKpiStore } from './dynamo-kpi-store.js';
import type { KpiStore } from './kpi-store.js';
import { BatchId, BucketLocation, decodeWith, LocationFromString, LogLevel } from './config.js';
import type { Location } from './location.js';

/** A decimal integer string within [min, max], decoded to a number. */
const intString = (min: number, max: number) =>
  new t.Type<number, string, unknown>(
    `Int[${min},${max}]`,
    (u): u is number => typeof u === 'number',
    (u, c) =>
      typeof u === 'string' && /^\s*\d+\s*$/.test(u) && Number(u) >= min && Number(u) <= max
        ? t.success(Number(u))
        : t.failure(u, c, `must be an integer from ${min} to ${max}, got ${JSON.stringify(u)}`),
    String,
  );

const TableName = new t.Type<string, string, unknown>(
  'TableName',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && /^[A-Za-z0-9_.-]{3,255}$/.test(u)
      ? t.success(u)
      : t.failure(u, c, `is not a DynamoDB table name: ${JSON.stringify(u)}`),
  String,
);

export const KpiEnv = t.partial({
  LAKE_BUCKET: BucketLocation,
  LANDING_BUCKET: BucketLocation,
  BATCH_ID: BatchId,
  CATEGORY_KPI_TABLE: TableName,
  ORDER_KPI_TABLE: TableName,
  DYNAMODB_BATCH_SIZE: intString(1, 25),
  DYNAMODB_MAX_RETRIES: intString(0, 30),
  LOG_LEVEL: LogLevel,
});
export type KpiEnv = t.TypeOf<typeof KpiEnv>;

/** Only the variables this worker knows, empty strings treated as unset, LOG_LEVEL any case. */
export const decodeEnv = (env: NodeJS.ProcessEnv): E.Either<string, KpiEnv> =>
  decodeWith(
    KpiEnv,
    Object.fromEntries(
      Object.keys(KpiEnv.props).flatMap((k) => {
        const v = k === 'LOG_LEVEL' ? env[k]?.toLowerCase() : env[k];
        return v !== undefined && v !== '' ? [[k, v]] : [];
      }),
    ),
  );

export interface KpiTables {
  readonly categoryTable: string;
  readonly orderTable: string;
}

export interface StoreSettings {
  readonly tables?: KpiTables;
  readonly batchSize: number;
  readonly maxRetries: number;
}

/** Tables from flags or env: both or neither (neither = KPI files in the lake). */
export const storeSettings = (
  env: KpiEnv,
  flags: { readonly 'category-table'?: string; readonly 'order-table'?: string },
): E.Either<string, StoreSettings> => {
  const categoryTable = flags['category-table'] ?? env.CATEGORY_KPI_TABLE;
  const orderTable = flags['order-table'] ?? env.ORDER_KPI_TABLE;
  if ((categoryTable === undefined) !== (orderTable === undefined))
    return E.left('give both KPI tables (--category-table/CATEGORY_KPI_TABLE and --order-table/ORDER_KPI_TABLE) or neither');
  return E.right({
    ...(categoryTable && orderTable ? { tables: { categoryTable, orderTable } } : {}),
    batchSize: env.DYNAMODB_BATCH_SIZE ?? 25,
    maxRetries: env.DYNAMODB_MAX_RETRIES ?? DEFAULT_RETRY_POLICY.maxRetries,
  });
};

export const openKpiStore = (settings: StoreSettings, lake: BlobStore): KpiStore =>
  settings.tables
    ? dynamoKpiStore({
        ...settings.tables,
        batchSize: settings.batchSize,
        retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
      })
    : blobKpiStore(lake);

/** A flag's value through a codec; a failure reads `--name <what is wrong>`. */
export const decodeFlag = <A>(name: string, codec: t.Type<A, string, unknown>, value: string): E.Either<string, A> =>
  pipe(
    decodeWith(t.type({ [`--${name}`]: codec }), { [`--${name}`]: value }),
    E.map((decoded) => decoded[`--${name}`] as A),
  );

/** The `--x` flag's location, else the environment's bucket, else undefined. */
export const locationOf = (name: string, flag: string | undefined, bucket: Location | undefined): E.Either<string, Location | undefined> =>
  flag !== undefined ? decodeFlag(name, LocationFromString, flag) : E.right(bucket);
