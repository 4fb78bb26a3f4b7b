// The hand-tuned item path must agree with the generic codecs on every row: same verdict, and
// for a clean row the very bytes JSON.stringify gives for validateItem's record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { cleanItemLine } from '../../workers/core/item-fast.js';
import { claimIn, claimKey, validateItem } from '../../workers/core/batch-checks.js';
import { jsonString } from '../../workers/core/json-text.js';

const orders = new Map([['7', '2025-03-08'], ['8', '2024-01-01']]);
const categories = new Map([['1', 'Beauty'], ['2', 'Jeans "Slim"']]);

const value = (...good: string[]) =>
  fc.oneof(
    fc.constantFrom(...good),
    fc.constantFrom('', '  ', ' x ', '-1', 'abc', '1e3', '2025-02-30 00:00:00', '\u00a07\u00a0'),
    fc.constant(undefined),
    fc.string({ maxLength: 6 }),
  );
const ts = value('2025-03-08T00:31:27', '2024-01-16 18:54:22.123456 UTC', '2025-03-08T01:31:27+02:00', '2025-03-08T00:31:27Z');
const row = fc.record(
  {
    id: value('1', '2', ' 3', 'a"b'),
    order_id: value('7', '8', '9'),
    product_id: value('1', '2', '3'),
    sale_price: value('0.005', '59.9900016784668', '12', '-0.001'),
    user_id: value('11', 'u\\1'),
    status: value('Complete', 'returned'),
    created_at: ts,
    shipped_at: ts,
    delivered_at: ts,
    returned_at: ts,
    inventory_item_id: value('34843'),
  },
  { requiredKeys: [] },
);

test('property: fast path line === JSON of the generic record, or undefined exactly when generic rejects', () => {
  fc.assert(
    fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
      const fastIds = new Set<string>();
      const slowIds = new Set<string>();
      const fastClaim = claimIn(fastIds, (k) => fastIds.add(k));
      const slowClaim = claimIn(slowIds, (k) => slowIds.add(k));
      const ctx = {
        orderDate: (id: string) => orders.get(id),
        categoryJson: (id: string) => {
          const c = categories.get(id);
          return c === undefined ? undefined : jsonString(c);
        },
        claim: fastClaim,
      };
      const lookups = { orderDate: ctx.orderDate, category: (id: string) => categories.get(id) };
      for (const r of rows) {
        const fast = cleanItemLine(r, ctx);
        // the worker falls back to the generic path when the fast path declines
        const slow = claimKey(validateItem(r, lookups), (i) => i.id, slowClaim);
        if (fast !== undefined) {
          assert.ok(E.isRight(slow));
          if (E.isRight(slow)) assert.is(fast, JSON.stringify(slow.right));
        } else {
          const again = claimKey(validateItem(r, lookups), (i) => i.id, fastClaim);
          assert.equal(E.isLeft(again), E.isLeft(slow));
        }
      }
      assert.equal([...fastIds].sort(), [...slowIds].sort());
    }),
    { numRuns: 500 },
  );
});

test.run();
