import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as E from 'fp-ts/lib/Either.js';
import { claimIn, claimKey, validateItem } from '../../workers/core/batch-checks.js';
import { FingerprintSet } from '../../workers/core/fingerprint-set.js';
import { accept } from '../../workers/core/validation.js';

const orders = new Map([['7', '2025-03-08']]);
const categories = new Map([['1', 'Beauty']]);
const lookups = { orderDate: (id: string) => orders.get(id), category: (id: string) => categories.get(id) };
const item = { id: '1', order_id: '7', product_id: '1', sale_price: '2.5' };
const codes = (c: E.Either<ReadonlyArray<{ code: string }>, unknown>) => (E.isLeft(c) ? c.left.map((r) => r.code) : []);

test('an item carries its order date and its product category', () => {
  assert.equal(
    validateItem(item, lookups),
    E.right({ id: '1', order_id: '7', product_id: '1', sale_price_cents: 250, order_date: '2025-03-08', category: 'Beauty' }),
  );
});

test('UNKNOWN_ORDER and UNKNOWN_PRODUCT, together and alongside field reasons', () => {
  assert.equal(codes(validateItem({ ...item, order_id: '8' }, lookups)), ['UNKNOWN_ORDER']);
  assert.equal(codes(validateItem({ ...item, product_id: '2' }, lookups)), ['UNKNOWN_PRODUCT']);
  assert.equal(codes(validateItem({ ...item, order_id: '8', product_id: '2', sale_price: '-1' }, lookups)), [
    'NEGATIVE_MONEY', 'UNKNOWN_ORDER', 'UNKNOWN_PRODUCT',
  ]);
  // an absent reference is MISSING_FIELD only
  assert.equal(codes(validateItem({ ...item, order_id: '' }, lookups)), ['MISSING_FIELD']);
});

test('DUPLICATE_KEY: the first valid row wins, invalid rows never use a key up', () => {
  const taken = new Set<string>();
  const claim = claimIn(taken, (k) => taken.add(k));
  const invalid = validateItem({ ...item, sale_price: 'x' }, lookups);
  assert.equal(codes(claimKey(invalid, (i) => i.id, claim)), ['INVALID_TYPE']);
  assert.ok(E.isRight(claimKey(validateItem(item, lookups), (i) => i.id, claim)));
  assert.equal(codes(claimKey(validateItem(item, lookups), (i) => i.id, claim)), ['DUPLICATE_KEY']);
  assert.equal(codes(claimKey(validateItem({ ...item, order_id: '9' }, lookups), (i) => i.id, claim)), ['UNKNOWN_ORDER']);
  assert.ok(E.isRight(claimKey(accept({ k: 'other' }), (a) => a.k, claim)));
});

test('fingerprint set: add reports novelty exactly, across growth', () => {
  const set = new FingerprintSet(16);
  const seen = new Set<string>();
  for (let i = 0; i < 50_000; i++) {
    const key = String((i * 7919) % 30_011);
    assert.is(set.add(key), !seen.has(key), key);
    seen.add(key);
  }
  assert.is(set.size, seen.size);
  assert.ok(set.bytes <= 32 * seen.size + 1024);
});

test.run();
