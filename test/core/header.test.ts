// Header rules (issue 14 item 6): READ_COLUMNS is exactly what the row rules read, and a name
// among them given twice is ambiguous, while a repeated ignored column is not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as E from 'fp-ts/lib/Either.js';
import { headerReason, READ_COLUMNS, repeatedKeysReason, repeatedReadColumns } from '../../workers/core/header.js';
import { itemOwnReasons } from '../../workers/core/rows/item.js';
import { decodeOrder } from '../../workers/core/rows/order.js';
import { decodeProduct } from '../../workers/core/rows/product.js';
import type { RawValues } from '../../workers/core/rows/raw.js';
import type { Kind } from '../../workers/core/records.js';

const VALID: Record<Kind, RawValues> = {
  products: { id: 'p1', sku: 'S', cost: '1', category: 'Jeans', retail_price: '2' },
  orders: { order_id: 'o1', user_id: 'u1', status: 'Complete', created_at: '2025-03-08T10:00:00' },
  order_items: { id: 'i1', order_id: 'o1', product_id: 'p1', sale_price: '1' },
};
const reasonsOf = (checked: E.Either<ReadonlyArray<{ field?: string }>, unknown>) => (E.isLeft(checked) ? checked.left : []);
const DECODE: Record<Kind, (row: RawValues) => ReadonlyArray<{ field?: string }>> = {
  products: (row) => reasonsOf(decodeProduct(row)),
  orders: (row) => reasonsOf(decodeOrder(row)),
  order_items: (row) => itemOwnReasons(row),
};
const ALL_NAMES = [...new Set([...READ_COLUMNS.products, ...READ_COLUMNS.orders, ...READ_COLUMNS.order_items, 'extra', 'notes'])];

test('READ_COLUMNS is what the rules read: a non-scalar there is a reason on that field, elsewhere nothing', () => {
  for (const kind of ['products', 'orders', 'order_items'] as const) {
    assert.equal(DECODE[kind](VALID[kind]), [], kind);
    for (const name of ALL_NAMES) {
      const got = DECODE[kind]({ ...VALID[kind], [name]: { nested: true } });
      if (READ_COLUMNS[kind].includes(name)) assert.ok(got.some((r) => r.field === name), `${kind}.${name} is read`);
      else assert.equal(got, [], `${kind}.${name} is ignored`);
    }
  }
});

test('a read column named twice is ambiguous; an ignored one is not; a missing column comes first', () => {
  assert.equal(repeatedReadColumns('orders', ['order_id', 'x', 'status', 'x', 'status', 'order_id', 'status']), ['status', 'order_id']);
  assert.equal(headerReason('products', ['id', 'sku', 'cost', 'category', 'retail_price', 'x', 'x']), undefined);
  const twice = headerReason('products', ['id', 'sku', 'cost', 'category', 'retail_price', 'brand', 'brand']);
  assert.equal(twice, { code: 'FILE_MALFORMED', message: 'ambiguous header: column(s) "brand" named more than once' });
  assert.is(headerReason('products', ['id', 'id', 'cost'])?.code, 'FILE_MISSING_COLUMN');
  assert.is(repeatedKeysReason('order_items', ['notes'], 'line 3'), undefined);
  assert.match(repeatedKeysReason('order_items', ['notes', 'sale_price'], 'element 2')!.message, /element 2: member\(s\) "sale_price"/);
});

test.run();
