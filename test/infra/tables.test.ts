import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasResource, resource, resources } from '../support/synth.js';

const keysOf = (name: string) => {
  const table = resource('aws_dynamodb_table', name);
  return { hash: table['hash_key'], range: table['range_key'] };
};

test('three tables: category KPIs, order KPIs, locks', () => {
  assert.equal(resources('aws_dynamodb_table').map(([n]) => n).sort(), ['category_kpis', 'locks', 'order_kpis']);
});

test('category KPIs: hash category, range order_date; index by_date the other way round', () => {
  assert.equal(keysOf('category_kpis'), { hash: 'category', range: 'order_date' });
  assert.ok(hasResource('aws_dynamodb_table', {
    name: '${var.name_prefix}-${var.environment}-category-kpis',
    global_secondary_index: [{ name: 'by_date', hash_key: 'order_date', range_key: 'category', projection_type: 'ALL' }],
  }));
});

test('order KPIs: hash order_date only', () => {
  assert.equal(keysOf('order_kpis'), { hash: 'order_date', range: undefined });
});

test('locks: hash LockId, and the lock item {LockId: ecommerce-pipeline-lock, currentlockcount: 0}', () => {
  assert.equal(keysOf('locks'), { hash: 'LockId', range: undefined });
  const item = resource('aws_dynamodb_table_item', 'lock_item');
  assert.is(item['table_name'], '${aws_dynamodb_table.locks.name}');
  assert.equal(JSON.parse(String(item['item'])), { LockId: { S: 'ecommerce-pipeline-lock' }, currentlockcount: { N: '0' } });
});

test('every table is on demand and encrypted; the KPI tables have point-in-time recovery', () => {
  for (const [name, table] of resources('aws_dynamodb_table')) {
    assert.is(table['billing_mode'], 'PAY_PER_REQUEST', name);
    // The AWS-managed key unless kms_key_arn names the team's (test/infra/encryption.test.ts).
    assert.equal(table['server_side_encryption'], { enabled: true, kms_key_arn: '${var.kms_key_arn != "" ? var.kms_key_arn : null}' }, name);
  }
  for (const name of ['category_kpis', 'order_kpis'])
    assert.equal(resource('aws_dynamodb_table', name)['point_in_time_recovery'], { enabled: true }, name);
});

test('key attributes are declared as strings and nothing else is declared', () => {
  for (const [name, table] of resources('aws_dynamodb_table')) {
    const declared = (table['attribute'] as Array<{ name: string; type: string }>).map((a) => `${a.name}:${a.type}`).sort();
    const used = new Set([table['hash_key'], table['range_key'], ...((table['global_secondary_index'] as Array<{ hash_key: string; range_key?: string }> | undefined) ?? []).flatMap((g) => [g.hash_key, g.range_key])].filter(Boolean));
    assert.equal(declared, [...used].map((k) => `${k}:S`).sort(), name);
  }
});

test.run();
