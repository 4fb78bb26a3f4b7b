// The hand-tuned order path must agree with decodeOrder + claimKey on every row: same verdict,
// and for a clean row the very bytes JSON.stringify gives for decodeOrder's record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { cleanOrderLine } from '../../workers/core/order-fast.js';
import { claimIn, claimKey } from '../../workers/core/batch-checks.js';
import { decodeOrder } from '../../workers/core/row-codecs.js';

const value = (...good: string[]) =>
  fc.oneof(
    fc.constantFrom(...good),
    fc.constantFrom('', '  ', ' x ', '-1', 'abc', '2025-02-30 00:00:00', '\u00a0o1\u00a0'),
    fc.constant(undefined),
    fc.string({ maxLength: 5 }),
  );
const ts = value('2025-03-08T00:31:27', '2025-03-09 18:54:22.123456 UTC', '2025-03-08T01:31:27+02:00', '2025-03-10T00:00:00Z', '2025-03-07 00:00:00');
const row = fc.record(
  {
    order_id: value('o1', 'o2', ' o3', 'a"b'),
    user_id: value('11', 'u\\1'),
    status: value('Complete', 'returned', 'SHIPPED', 'CoMpLeTe', 'lost'),
    created_at: ts,
    shipped_at: ts,
    delivered_at: ts,
    returned_at: ts,
    num_of_item: value('1', '007', '1.5'),
    gender: value('F', 'M'),
  },
  { requiredKeys: [] },
);

test('property: fast order line === JSON of decodeOrder, or undefined exactly when it rejects', () => {
  fc.assert(
    fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
      const fastIds = new Set<string>();
      const slowIds = new Set<string>();
      const fastClaim = claimIn(fastIds, (k) => fastIds.add(k));
      const slowClaim = claimIn(slowIds, (k) => slowIds.add(k));
      const out = { date: '' };
      for (const r of rows) {
        const fast = cleanOrderLine(r, fastClaim, out);
        const slow = claimKey(decodeOrder(r), (o) => o.order_id, slowClaim);
        if (fast !== undefined) {
          assert.ok(E.isRight(slow));
          if (E.isRight(slow)) {
            assert.is(fast, JSON.stringify(slow.right));
            assert.is(out.date, slow.right.order_date);
          }
        } else {
          const again = claimKey(decodeOrder(r), (o) => o.order_id, fastClaim);
          assert.equal(E.isLeft(again), E.isLeft(slow));
        }
      }
      assert.equal([...fastIds].sort(), [...slowIds].sort());
    }),
    { numRuns: 1000 },
  );
});

test.run();
