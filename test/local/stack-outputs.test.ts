import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackEnv, stackOutputsOf } from '../../workers/local/stack-outputs.js';

const outputs = {
  landing_bucket: { value: 'land' },
  lake_bucket: { value: 'lake' },
  events_queue_url: { value: 'http://q' },
  state_machine_arn: { value: 'arn:sm' },
  topic_arn: { value: 'arn:topic' },
  category_kpi_table: { value: 'cat' },
  order_kpi_table: { value: 'ord' },
  lock_table: { value: 'lock' },
  dashboard_name: { value: 'extra outputs are fine' },
};

test('terraform outputs decode into the stack; the workers get their environment from it', () => {
  const stack = stackOutputsOf(outputs);
  assert.ok(E.isRight(stack));
  if (E.isRight(stack)) {
    assert.is(stack.right.eventQueueUrl, 'http://q');
    assert.equal(stackEnv(stack.right), {
      LANDING_BUCKET: 'land',
      LAKE_BUCKET: 'lake',
      CATEGORY_KPI_TABLE: 'cat',
      ORDER_KPI_TABLE: 'ord',
      LOCK_TABLE: 'lock',
      TOPIC_ARN: 'arn:topic',
      STATE_MACHINE_ARN: 'arn:sm',
    });
  }
});

test('a missing output is named', () => {
  const { lock_table: _gone, topic_arn: _alsoGone, ...rest } = outputs;
  const stack = stackOutputsOf(rest);
  assert.ok(E.isLeft(stack));
  if (E.isLeft(stack)) {
    assert.match(stack.left, /lock_table/);
    assert.match(stack.left, /topic_arn/);
  }
});

test.run();
