// The law of core/rows: the fast path (the cleaned line built from parsed values) and the
// reason-collecting path (every reason, or the record) are two uses of the same rules. For any
// row — CSV text or any JSON value in any field: numbers, null, arrays, objects, booleans — the
// fast line exists exactly when the full path accepts, and is the very bytes JSON.stringify gives
// for its record. Then the batch: BatchState.accept over a sequence agrees with a reference
// built from the full path and plain Sets (first valid occurrence wins).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { decodeItem, itemFast, itemLine, itemOwnReasons } from '../../../workers/core/rows/item.js';
import { decodeOrder, orderFast } from '../../../workers/core/rows/order.js';
import { decodeProduct, productFast } from '../../../workers/core/rows/product.js';
import { BatchState } from '../../../workers/core/rows/batch-state.js';
import { CHECKS } from '../../../workers/core/rows/check.js';
import { jsonString } from '../../../workers/core/json-text.js';
import type { Kind } from '../../../workers/core/records.js';

/** A field value: good spellings, near misses, and every kind of JSON value. */
const value = (...good: Array<string | number>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...good) },
    fc.constantFrom('', '  ', ' x ', '-1', 'abc', '1e3', '2025-02-30 00:00:00', '\u00a07\u00a0', 'a"b\\c'),
    fc.constant(undefined),
    fc.constant(null),
    fc.string({ maxLength: 5 }),
    fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double({ noNaN: false }), fc.constantFrom(0.005, 59.9900016784668, -0.001, 1e21, 2 ** 60)),
    fc.boolean(),
    fc.array(fc.constantFrom('1', 2, null), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('1', 2, null), { maxKeys: 2 }),
  );
const ts = value('2025-03-08T00:31:27', '2025-03-09 18:54:22.123456 UTC', '2025-03-08T01:31:27+02:00', '2025-03-10T00:00:00Z', '2025-03-07 00:00:00');
const id = value('1', '2', ' 3', 7, 8);

const productRow = fc.record(
  {
    id,
    sku: value('S-1', 12),
    cost: value('15.584', 3, '0', 0.5),
    category: value('Beauty', 'Jeans "Slim"', 4),
    retail_price: value('53.95', 12),
    name: value('N'),
    brand: value('B'),
    department: value('Women'),
    distribution_center_id: value('3', 3),
  },
  { requiredKeys: [] },
);
const orderRow = fc.record(
  {
    order_id: id,
    user_id: value('11', 'u\\1', 11),
    status: value('Complete', 'returned', 'SHIPPED', 'CoMpLeTe', 'lost'),
    created_at: ts,
    shipped_at: ts,
    delivered_at: ts,
    returned_at: ts,
    num_of_item: value('1', '007', '1.5', 3),
    gender: value('F', 'M'),
  },
  { requiredKeys: [] },
);
const itemRow = fc.record(
  {
    id,
    order_id: id,
    product_id: id,
    sale_price: value('0.005', '59.9900016784668', '12', '-0.001', 12, 0.5),
    user_id: value('11', 11),
    status: value('Complete', 'returned'),
    created_at: ts,
    shipped_at: ts,
    delivered_at: ts,
    returned_at: ts,
    inventory_item_id: value('34843', 34843),
  },
  { requiredKeys: [] },
);

test('property: products — fast line === JSON of the full record, or none exactly when it rejects', () => {
  fc.assert(
    fc.property(productRow, (row) => {
      const full = decodeProduct(row);
      const fast = productFast(row);
      assert.is(fast?.line, E.isRight(full) ? JSON.stringify(full.right) : undefined);
      if (fast && E.isRight(full)) assert.equal([fast.id, fast.category], [full.right.id, full.right.category]);
    }),
    { numRuns: 2000 },
  );
});

test('property: orders — fast line === JSON of the full record, or none exactly when it rejects', () => {
  fc.assert(
    fc.property(orderRow, (row) => {
      const full = decodeOrder(row);
      const fast = orderFast(row);
      assert.is(fast?.line, E.isRight(full) ? JSON.stringify(full.right) : undefined);
      if (fast && E.isRight(full)) assert.equal([fast.id, fast.date], [full.right.order_id, full.right.order_date]);
    }),
    { numRuns: 3000 },
  );
});

const orderDates = new Map([['1', '2025-03-08'], ['7', '2024-01-01']]);
const categories = new Map([['2', 'Beauty'], ['8', 'Jeans "Slim"']]);

test('property: items — fast line === JSON of the full record, or none exactly when it rejects', () => {
  fc.assert(
    fc.property(itemRow, (row) => {
      const lookups = { orderDate: (o: string) => orderDates.get(o), category: (p: string) => categories.get(p) };
      const full = decodeItem(row, lookups);
      const own = itemFast(row);
      // the own-field rules decline exactly when some own-field reason exists
      assert.is(own === undefined, itemOwnReasons(row).length > 0);
      const date = own && lookups.orderDate(own.orderId);
      const category = own && lookups.category(own.productId);
      const fast = date && category ? itemLine(own.prefix, date, jsonString(category)) : undefined;
      assert.is(fast, E.isRight(full) ? JSON.stringify(full.right) : undefined);
    }),
    { numRuns: 3000 },
  );
});

test('property: a batch through BatchState === first valid occurrence over the full path', () => {
  const catalog = new Map([['8', 'Old "cat"']]);
  fc.assert(
    fc.property(fc.array(productRow, { maxLength: 6 }), fc.array(orderRow, { maxLength: 12 }), fc.array(itemRow, { maxLength: 20 }), (ps, os, is) => {
      const state = new BatchState(catalog);
      const got: string[] = [];
      const run = (kind: Kind, rows: ReadonlyArray<unknown>) => {
        for (const r of rows) {
          const out = state.accept(kind, CHECKS[kind](r));
          got.push(typeof out === 'string' ? `${state.partition} ${out}` : `${kind} ${out.map((x) => x.code).join(',')}`);
        }
      };
      run('products', ps);
      run('orders', os);
      run('order_items', is);

      const want: string[] = [];
      const productSeen = new Map<string, string>();
      for (const r of ps) {
        const d = decodeProduct(r);
        if (E.isLeft(d)) want.push(`products ${d.left.map((x) => x.code).join(',')}`);
        else if (productSeen.has(d.right.id)) want.push('products DUPLICATE_KEY');
        else {
          productSeen.set(d.right.id, d.right.category);
          want.push(`products ${JSON.stringify(d.right)}`);
        }
      }
      const orderSeen = new Map<string, string>();
      for (const r of os) {
        const d = decodeOrder(r);
        if (E.isLeft(d)) want.push(`orders ${d.left.map((x) => x.code).join(',')}`);
        else if (orderSeen.has(d.right.order_id)) want.push('orders DUPLICATE_KEY');
        else {
          orderSeen.set(d.right.order_id, d.right.order_date);
          want.push(`orders|${d.right.order_date} ${JSON.stringify(d.right)}`);
        }
      }
      const itemSeen = new Set<string>();
      const lookups = { orderDate: (o: string) => orderSeen.get(o), category: (p: string) => productSeen.get(p) ?? catalog.get(p) };
      for (const r of is) {
        const d = decodeItem(r, lookups);
        if (E.isLeft(d)) want.push(`order_items ${d.left.map((x) => x.code).join(',')}`);
        else if (itemSeen.has(d.right.id)) want.push('order_items DUPLICATE_KEY');
        else {
          itemSeen.add(d.right.id);
          want.push(`order_items|${d.right.order_date} ${JSON.stringify(d.right)}`);
        }
      }
      assert.equal(got, want);
    }),
    { numRuns: 500 },
  );
});

test('a file that fails as a whole takes back the keys it accepted', () => {
  const state = new BatchState(new Map());
  const order = { order_id: '1', user_id: '2', status: 'Complete', created_at: '2025-03-08T00:00:00' };
  state.fileStarted();
  assert.type(state.accept('orders', CHECKS.orders(order)), 'string');
  state.fileFailed('orders');
  state.fileStarted();
  assert.type(state.accept('orders', CHECKS.orders(order)), 'string');
  const item = { id: '1', order_id: '1', product_id: '9', sale_price: '1' };
  const out = state.accept('order_items', CHECKS.order_items(item));
  assert.equal(typeof out === 'string' ? [] : out.map((r) => r.code), ['UNKNOWN_PRODUCT']);
  assert.equal(
    (state.accept('orders', CHECKS.orders([order])) as ReadonlyArray<{ code: string; field?: string }>).map((r) => [r.code, r.field]),
    [['INVALID_TYPE', '$row']],
  );
});

test.run();
