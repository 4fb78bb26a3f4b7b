// KPI store on the two DynamoDB tables of DESIGN §6: category table (hash `category`, range
// `order_date`, GSI `by_date` hash `order_date` range `category`, projection ALL) and order table
// (hash `order_date`). Writes go through BatchWrite in requests of DYNAMODB_BATCH_SIZE (≤ 25),
// a bounded number in flight, unprocessed items retried per retry-policy.ts.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  type BatchWriteCommandInput,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import type { KpiChange } from '../core/kpi-change.js';
import { CategoryKpiRow, OrderKpiRow, sortRows } from '../core/kpi-rows.js';
import { DEFAULT_RETRY_POLICY, nextStep, type RetryPolicy } from '../core/retry-policy.js';
import { mapLimit } from './cleaned-lake.js';
import { crashPoint } from './crash-point.js';
import type { KpiStore } from './kpi-store.js';

export interface DynamoKpiStoreOptions {
  readonly categoryTable: string;
  readonly orderTable: string;
  /** Items per BatchWrite request; DynamoDB allows at most 25. */
  readonly batchSize?: number;
  readonly retry?: RetryPolicy;
  /** BatchWrite requests in flight at once. */
  readonly concurrency?: number;
  readonly client?: DynamoDBDocumentClient;
  /** Injected for tests of the retry loop; defaults to real sleeping and Math.random. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const THROTTLES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'InternalServerError']);

const decodeAll = <A>(codec: t.Decoder<unknown, A>, what: string, items: ReadonlyArray<unknown>): A[] =>
  items.map((item) => {
    const decoded = codec.decode(item);
    if (decoded._tag === 'Left') throw new Error(`bad ${what} item: ${PathReporter.report(decoded).join('; ')}`);
    return decoded.right;
  });

export const dynamoKpiStore = (options: DynamoKpiStoreOptions): KpiStore => {
  const client = options.client ?? documentClient();
  const batchSize = Math.min(25, Math.max(1, options.batchSize ?? 25));
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const concurrency = options.concurrency ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const random = options.random ?? Math.random;
  const { categoryTable, orderTable } = options;

  /** Every item of a Query or Scan, page after page. */
  const allPages = async (page: (start: Record<string, unknown> | undefined) => Promise<{ Items?: unknown[]; LastEvaluatedKey?: Record<string, unknown> }>) => {
    const items: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await page(start);
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const queryAll = (input: QueryCommandInput) => allPages((start) => client.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
  const scanAll = (input: ScanCommandInput) => allPages((start) => client.send(new ScanCommand({ ...input, ExclusiveStartKey: start })));

  /** One BatchWrite request and its retries; throws when items are still left after the last one. */
  const writeChunk = async (chunk: ReadonlyArray<readonly [string, WriteRequest]>): Promise<void> => {
    let pending: Record<string, WriteRequest[]> = {};
    for (const [table, request] of chunk) (pending[table] ??= []).push(request);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await client.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = (res.UnprocessedItems ?? {}) as Record<string, WriteRequest[]>;
        crashPoint('transform:mid-kpi-writes');
      } catch (error) {
        // A throttled request as a whole: every item of it is still to do.
        if (!THROTTLES.has((error as { name?: string }).name ?? '')) throw error;
      }
      const left = Object.values(pending).reduce((n, rs) => n + rs.length, 0);
      const step = nextStep(policy, attempt, left, random());
      if (step._tag === 'Done') return;
      if (step._tag === 'GiveUp') throw new Error(`DynamoDB BatchWrite: ${step.reason}`);
      await sleep(step.delayMs);
    }
  };

  return {
    describe: `DynamoDB tables ${categoryTable} and ${orderTable}`,
    rowsOfDates: async (dates) => {
      const perDate = await mapLimit(dates, concurrency, async (date) => {
        const [order, category] = await Promise.all([
          queryAll({ TableName: orderTable, KeyConditionExpression: 'order_date = :d', ExpressionAttributeValues: { ':d': date } }),
          queryAll({
            TableName: categoryTable,
            IndexName: 'by_date',
            KeyConditionExpression: 'order_date = :d',
            ExpressionAttributeValues: { ':d': date },
          }),
        ]);
        return { order: decodeAll(OrderKpiRow, orderTable, order), category: decodeAll(CategoryKpiRow, categoryTable, category) };
      });
      return sortRows({ order: perDate.flatMap((d) => d.order), category: perDate.flatMap((d) => d.category) });
    },
    rowsOfCategory: async (category, from, to) => {
      const range =
        from && to ? ' AND order_date BETWEEN :from AND :to' : from ? ' AND order_date >= :from' : to ? ' AND order_date <= :to' : '';
      const items = await queryAll({
        TableName: categoryTable,
        KeyConditionExpression: `category = :c${range}`,
        ExpressionAttributeValues: { ':c': category, ...(from ? { ':from': from } : {}), ...(to ? { ':to': to } : {}) },
      });
      return decodeAll(CategoryKpiRow, categoryTable, items);
    },
    allRows: async () => {
      const [order, category] = await Promise.all([scanAll({ TableName: orderTable }), scanAll({ TableName: categoryTable })]);
      return sortRows({ order: decodeAll(OrderKpiRow, orderTable, order), category: decodeAll(CategoryKpiRow, categoryTable, category) });
    },
    apply: async (change: KpiChange) => {
      const requests: Array<readonly [string, WriteRequest]> = [
        ...change.put.order.map((r) => [orderTable, { PutRequest: { Item: { ...r } } }] as const),
        ...change.put.category.map((r) => [categoryTable, { PutRequest: { Item: { ...r } } }] as const),
        ...change.deleteOrder.map((d) => [orderTable, { DeleteRequest: { Key: { order_date: d } } }] as const),
        ...change.deleteCategory.map(
          (k) => [categoryTable, { DeleteRequest: { Key: { category: k.category, order_date: k.order_date } } }] as const,
        ),
      ];
      const chunks: Array<typeof requests> = [];
      for (let i = 0; i < requests.length; i += batchSize) chunks.push(requests.slice(i, i + batchSize));
      await mapLimit(chunks, concurrency, writeChunk);
      return { put: change.put.order.length + change.put.category.length, deleted: change.deleteOrder.length + change.deleteCategory.length };
    },
  };
};
