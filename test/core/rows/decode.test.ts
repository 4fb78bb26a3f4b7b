import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as E from 'fp-ts/lib/Either.js';
import { decodeOrder } from '../../../workers/core/rows/order.js';
import { decodeProduct } from '../../../workers/core/rows/product.js';
import { decodeItem } from '../../../workers/core/rows/item.js';
import type { Checked } from '../../../workers/core/validation.js';
import { CleanOrder, CleanProduct } from '../../../workers/core/records.js';

// an item's own fields: every reference resolves
const decodeItemFields = (row: Record<string, unknown>) => decodeItem(row, { orderDate: () => '2025-03-08', category: () => 'Beauty' });

const codes = <A>(c: Checked<A>): string[] => (E.isLeft(c) ? c.left.map((r) => `${r.code}:${r.field ?? ''}`) : []);

const order = {
  order_id: ' 7 ', user_id: '11', status: 'delivered', created_at: '2025-03-08T00:31:27',
  shipped_at: '2025-03-09 00:00:00 UTC', delivered_at: '', returned_at: '', num_of_item: '2', extra: 'ignored',
};
const product = { id: '1', sku: 'S', cost: '15.584', category: ' Beauty ', retail_price: '53.95', name: 'N', brand: '' };
const item = { id: '1', order_id: '7', product_id: '1', sale_price: '0.0199999995529651', created_at: '2025-03-08 01:00:00' };

test('a valid order: trimmed id, status capitalised, timestamps normalised, order_date, empties dropped', () => {
  const r = decodeOrder(order);
  assert.ok(E.isRight(r));
  if (E.isRight(r)) {
    assert.equal(r.right, {
      order_id: '7', user_id: '11', status: 'Delivered', created_at: '2025-03-08T00:31:27.000Z', order_date: '2025-03-08',
      shipped_at: '2025-03-09T00:00:00.000Z', num_of_item: 2,
    });
    assert.ok(CleanOrder.is(r.right));
  }
});

test('a valid product: cents rounded, optional empty brand dropped', () => {
  const r = decodeProduct(product);
  assert.ok(E.isRight(r) && CleanProduct.is(r.right));
  if (E.isRight(r)) {
    assert.is(r.right.cost_cents, 1558);
    assert.is(r.right.category, 'Beauty');
    assert.is('brand' in r.right, false);
  }
});

test('MISSING_FIELD for absent, empty and blank required fields', () => {
  assert.equal(codes(decodeOrder({ ...order, user_id: '   ' })), ['MISSING_FIELD:user_id']);
  assert.equal(codes(decodeOrder({ ...order, status: '' })), ['MISSING_FIELD:status']);
  const { sku: _sku, ...noSku } = product;
  assert.equal(codes(decodeProduct(noSku)), ['MISSING_FIELD:sku']);
  assert.equal(codes(decodeItemFields({ ...item, sale_price: null })), ['MISSING_FIELD:sale_price']);
});

test('INVALID_TYPE for money, count and timestamps, required or optional', () => {
  assert.equal(codes(decodeProduct({ ...product, cost: 'abc' })), ['INVALID_TYPE:cost']);
  assert.equal(codes(decodeOrder({ ...order, num_of_item: '1.5' })), ['INVALID_TYPE:num_of_item']);
  assert.equal(codes(decodeOrder({ ...order, num_of_item: '-1' })), ['INVALID_TYPE:num_of_item']);
  assert.equal(codes(decodeOrder({ ...order, created_at: '2025-02-30T00:00:00' })), ['INVALID_TYPE:created_at']);
  assert.equal(codes(decodeItemFields({ ...item, returned_at: 'yesterday' })), ['INVALID_TYPE:returned_at']);
  assert.equal(codes(decodeItemFields({ ...item, id: { nested: true } })), ['INVALID_TYPE:id']);
});

test('NEGATIVE_MONEY, not INVALID_TYPE, for a negative decimal', () => {
  assert.equal(codes(decodeItemFields({ ...item, sale_price: '-3.50' })), ['NEGATIVE_MONEY:sale_price']);
  assert.equal(codes(decodeProduct({ ...product, retail_price: -1 })), ['NEGATIVE_MONEY:retail_price']);
});

test('UNKNOWN_STATUS, case-insensitive and trimmed otherwise', () => {
  assert.equal(codes(decodeOrder({ ...order, status: 'lost' })), ['UNKNOWN_STATUS:status']);
  assert.equal(codes(decodeOrder({ ...order, status: 3 })), ['UNKNOWN_STATUS:status']);
  for (const s of ['COMPLETE', ' returned ', 'Processing', 'cancelled', 'SHIPPED']) assert.ok(E.isRight(decodeOrder({ ...order, status: s })), s);
});

test('BROKEN_CHRONOLOGY once, whichever pairs break; items need not be chronological', () => {
  assert.equal(codes(decodeOrder({ ...order, shipped_at: '2025-03-07T00:00:00' })), ['BROKEN_CHRONOLOGY:']);
  assert.equal(
    codes(decodeOrder({ ...order, delivered_at: '2025-03-08T12:00:00', returned_at: '2025-03-08T11:00:00' })),
    ['BROKEN_CHRONOLOGY:'],
  );
  assert.equal(
    codes(decodeOrder({ ...order, shipped_at: '2025-03-01T00:00:00', delivered_at: '2025-02-01T00:00:00', returned_at: '2025-01-01T00:00:00' })),
    ['BROKEN_CHRONOLOGY:'],
  );
  // an unparseable timestamp takes no part in chronology
  assert.equal(codes(decodeOrder({ ...order, shipped_at: 'never', delivered_at: '2025-03-01T00:00:00' })), ['INVALID_TYPE:shipped_at']);
  assert.ok(E.isRight(decodeItemFields({ ...item, shipped_at: '2020-01-01T00:00:00' })));
});

test('a row with two defects gets both codes, in field order', () => {
  assert.equal(codes(decodeOrder({ ...order, status: 'lost', user_id: '' })), ['MISSING_FIELD:user_id', 'UNKNOWN_STATUS:status']);
  assert.equal(
    codes(decodeOrder({ ...order, status: 'lost', shipped_at: '2025-01-01T00:00:00' })),
    ['UNKNOWN_STATUS:status', 'BROKEN_CHRONOLOGY:'],
  );
  assert.equal(codes(decodeProduct({ ...product, cost: '-1', retail_price: 'x', id: '' })), [
    'MISSING_FIELD:id', 'NEGATIVE_MONEY:cost', 'INVALID_TYPE:retail_price',
  ]);
});

test('JSON values: numbers as ids and money, null as absent', () => {
  const r = decodeItemFields({ id: 12, order_id: 7, product_id: 1, sale_price: 59.9900016784668, user_id: null });
  assert.equal(r, E.right({ id: '12', order_id: '7', product_id: '1', sale_price_cents: 5999, order_date: '2025-03-08', category: 'Beauty' }));
});

test('an array, object or boolean in status is INVALID_TYPE, as in every other field', () => {
  for (const status of [['Complete'], { s: 'Complete' }, true, []]) {
    assert.equal(codes(decodeOrder({ ...order, status })), ['INVALID_TYPE:status'], JSON.stringify(status));
    assert.equal(codes(decodeOrder({ ...order, user_id: status })), ['INVALID_TYPE:user_id'], JSON.stringify(status));
  }
});

test.run();
