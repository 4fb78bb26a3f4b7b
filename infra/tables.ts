// DynamoDB tables of DESIGN §6: KPIs per (category, date) with the by_date index, KPIs per date,
// and the lock table holding the single lock item. On demand, encrypted; PITR on the KPI tables
// (the lock table holds no data worth restoring).
import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DynamodbTableItem } from '@cdktf/provider-aws/lib/dynamodb-table-item';
import type { Namer } from './naming.js';
import type { Inputs } from './variables.js';
import { keyOrNull } from './encryption.js';

export const LOCK_ID = 'ecommerce-pipeline-lock';

export interface Tables {
  readonly categoryKpis: DynamodbTable;
  readonly orderKpis: DynamodbTable;
  readonly locks: DynamodbTable;
  readonly lockItem: DynamodbTableItem;
}

// Without kms_key_arn the key is null: the AWS-managed DynamoDB key, as before.
const common = () => ({ billingMode: 'PAY_PER_REQUEST', serverSideEncryption: { enabled: true, kmsKeyArn: keyOrNull() } });

export const tables = (scope: Construct, name: Namer, inputs: Pick<Inputs, 'kpiTableDeletionProtection'>): Tables => {
  // The KPI tables are the product: a stray destroy or a replacement must not delete them.
  const protection = { deletionProtectionEnabled: inputs.kpiTableDeletionProtection.booleanValue };
  const categoryKpis = new DynamodbTable(scope, 'category_kpis', {
    ...common(),
    name: name('category-kpis'),
    hashKey: 'category',
    rangeKey: 'order_date',
    attribute: [
      { name: 'category', type: 'S' },
      { name: 'order_date', type: 'S' },
    ],
    globalSecondaryIndex: [{ name: 'by_date', hashKey: 'order_date', rangeKey: 'category', projectionType: 'ALL' }],
    pointInTimeRecovery: { enabled: true },
    ...protection,
  });
  const orderKpis = new DynamodbTable(scope, 'order_kpis', {
    ...common(),
    name: name('order-kpis'),
    hashKey: 'order_date',
    attribute: [{ name: 'order_date', type: 'S' }],
    pointInTimeRecovery: { enabled: true },
    ...protection,
  });
  const locks = new DynamodbTable(scope, 'locks', {
    ...common(),
    name: name('locks'),
    hashKey: 'LockId',
    attribute: [{ name: 'LockId', type: 'S' }],
  });
  const lockItem = new DynamodbTableItem(scope, 'lock_item', {
    tableName: locks.name,
    hashKey: locks.hashKey,
    item: JSON.stringify({ LockId: { S: LOCK_ID }, currentlockcount: { N: '0' } }),
    // The state machine owns the item's other attributes (holder, acquired-at) while a batch runs;
    // without this an apply during a run would wipe a live lock.
    lifecycle: { ignoreChanges: ['item'] },
  });
  return { categoryKpis, orderKpis, locks, lockItem };
};
