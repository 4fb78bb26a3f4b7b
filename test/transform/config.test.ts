import * as E from 'fp-ts/Either';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeTransformConfig } from '../../workers/transform/config.js';

const ok = <A>(e: E.Either<string, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left);
  return e.right;
};
const err = <A>(e: E.Either<string, A>): string => (E.isLeft(e) ? e.left : assert.unreachable('decoded') as never);

test('environment alone, as the state machine runs the task', () => {
  const c = ok(
    decodeTransformConfig({}, {
      LAKE_BUCKET: 'shop-dev-lake',
      LANDING_BUCKET: 'shop-dev-landing',
      BATCH_ID: 'b-123',
      CATEGORY_KPI_TABLE: 'cat-kpis',
      ORDER_KPI_TABLE: 'order-kpis',
      DYNAMODB_BATCH_SIZE: '10',
      DYNAMODB_MAX_RETRIES: '0',
      LOG_LEVEL: 'DEBUG',
      ANALYTICS_THREADS: '0',
    }),
  );
  assert.equal(c, {
    lake: { kind: 's3', bucket: 'shop-dev-lake', prefix: '' },
    batchId: 'b-123',
    landing: { kind: 's3', bucket: 'shop-dev-landing', prefix: '' },
    store: { tables: { categoryTable: 'cat-kpis', orderTable: 'order-kpis' }, batchSize: 10, maxRetries: 0 },
    analyticsThreads: 0,
  });
});

test('flags override the environment; without tables the KPIs go to the lake', () => {
  const c = ok(decodeTransformConfig({ lake: '/tmp/lake', 'batch-id': 'b-9' }, { LAKE_BUCKET: 'other', BATCH_ID: 'b-1' }));
  // the analytics thread by default
  assert.equal(c, { lake: { kind: 'local', root: '/tmp/lake' }, batchId: 'b-9', store: { batchSize: 25, maxRetries: 8 }, analyticsThreads: 1 });
});

test('bad or missing settings: one line naming the setting', () => {
  assert.match(err(decodeTransformConfig({ 'batch-id': 'b' }, {})), /no lake/);
  assert.match(err(decodeTransformConfig({ lake: '/l' }, {})), /no batch/);
  assert.match(err(decodeTransformConfig({ lake: '/l', 'batch-id': 'b' }, { DYNAMODB_BATCH_SIZE: '26' })), /DYNAMODB_BATCH_SIZE must be an integer from 1 to 25/);
  assert.match(err(decodeTransformConfig({ lake: '/l', 'batch-id': 'b' }, { CATEGORY_KPI_TABLE: 'cat-kpis' })), /both KPI tables/);
  assert.match(err(decodeTransformConfig({ lake: '/l', 'batch-id': 'has space' }, {})), /--batch-id must be/);
  assert.match(err(decodeTransformConfig({ lake: '/l', 'batch-id': 'b' }, { LAKE_BUCKET: 'Bad_Bucket' })), /LAKE_BUCKET is not a valid bucket name/);
  assert.match(err(decodeTransformConfig({ lake: '/l', 'batch-id': 'b' }, { ANALYTICS_THREADS: '2' })), /ANALYTICS_THREADS must be 0 or 1/);
});

test.run();
