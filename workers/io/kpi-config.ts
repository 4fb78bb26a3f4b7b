// Configuration of the KPI workers (DESIGN §8), decoded with io-ts from the environment, flags
// overriding. A bad value stops the worker with one sentence naming the variable.
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import { DEFAULT_RETRY_POLICY } from '../core/retry-policy.js';
import type { BlobStore } from './blob-store.js';
import { blobKpiStore } from './blob-kpi-store.js';
import { dynamoKpiStore } from './dynamo-kpi-store.js';
import type { KpiStore } from './kpi-store.js';
import { type Location, parseLocation } from './location.js';

/** A decimal integer string within [min, max], decoded to a number. */
const intString = (name: string, min: number, max: number) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) =>
      typeof u === 'string' && /^\d+$/.test(u.trim()) && Number(u) >= min && Number(u) <= max
        ? t.success(Number(u))
        : t.failure(u, c, `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(u)}`),
    String,
  );

const NonEmpty = t.refinement(t.string, (s) => s.trim() !== '', 'NonEmptyString');

export const KpiEnv = t.partial({
  LAKE_BUCKET: NonEmpty,
  LANDING_BUCKET: NonEmpty,
  BATCH_ID: NonEmpty,
  CATEGORY_KPI_TABLE: NonEmpty,
  ORDER_KPI_TABLE: NonEmpty,
  DYNAMODB_BATCH_SIZE: intString('DYNAMODB_BATCH_SIZE', 1, 25),
  DYNAMODB_MAX_RETRIES: intString('DYNAMODB_MAX_RETRIES', 0, 30),
  LOG_LEVEL: t.keyof({ debug: null, info: null, warn: null, error: null, DEBUG: null, INFO: null, WARN: null, ERROR: null }),
});
export type KpiEnv = t.TypeOf<typeof KpiEnv>;

/** Only the variables this worker knows, empty strings treated as unset. */
export const decodeEnv = (env: NodeJS.ProcessEnv): E.Either<string, KpiEnv> => {
  const known = Object.fromEntries(
    Object.keys(KpiEnv.props).flatMap((k) => (env[k] !== undefined && env[k] !== '' ? [[k, env[k]]] : [])),
  );
  return pipe(
    KpiEnv.decode(known),
    E.mapLeft((errors) => {
      const custom = errors.map((e) => e.message).filter((m): m is string => m !== undefined);
      return custom.length > 0 ? custom.join('; ') : PathReporter.report(E.left(errors)).join('; ');
    }),
  );
};

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

/** `--x` flag, else `s3://<bucket>` from the environment, else undefined. */
export const locationOf = (flag: string | undefined, bucket: string | undefined): Location | undefined =>
  flag !== undefined ? parseLocation(flag) : bucket !== undefined ? parseLocation(`s3://${bucket}`) : undefined;
