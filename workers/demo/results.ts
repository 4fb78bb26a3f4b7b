// Reads back what the pipeline produced: every KPI row of both tables and the validation reports of
// the batches, for the demo's console summary, its HTML report and the e2e tests' comparisons.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { BlobStore } from '../io/blob-store.js';
import { validationReportKey } from '../core/lake-layout.js';
import type { CategoryKpiRow, OrderKpiRow, ValidationSummary } from './html-report.js';

export const scanTable = async <T>(table: string, client = DynamoDBDocumentClient.from(new DynamoDBClient({}))): Promise<T[]> => {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as T[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

export const kpiRows = async (
  orderTable: string,
  categoryTable: string,
): Promise<{ order: OrderKpiRow[]; category: CategoryKpiRow[] }> => {
  const order = (await scanTable<OrderKpiRow>(orderTable)).sort((a, b) => (a.order_date < b.order_date ? -1 : 1));
  const category = (await scanTable<CategoryKpiRow>(categoryTable)).sort((a, b) =>
    a.category === b.category ? (a.order_date < b.order_date ? -1 : 1) : a.category < b.category ? -1 : 1,
  );
  return { order, category };
};

export const validationOf = async (lake: BlobStore, batchId: string): Promise<ValidationSummary | undefined> => {
  const body = await lake.readSmall(validationReportKey(batchId));
  if (!body) return undefined;
  const r = JSON.parse(body.toString('utf8')) as Partial<ValidationSummary>;
  return {
    batch_id: r.batch_id ?? batchId,
    verdict: r.verdict ?? '?',
    reasons: r.reasons ?? [],
    kinds: r.kinds ?? {},
    reason_counts: r.reason_counts ?? {},
  };
};
