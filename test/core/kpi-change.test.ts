// The exactly-once step as a pure function: after applying the change, the recomputed dates hold
// exactly the recomputed rows, and every other date is untouched.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyChange, kpiChange } from '../../workers/core/kpi-change.js';
import { sortRows, type CategoryKpiRow, type KpiRows, type OrderKpiRow } from '../../workers/core/kpi-rows.js';
import { CATEGORIES, DATES } from '../support/shop.js';

const orderRow = (order_date: string, n: number): OrderKpiRow => ({
  order_date, total_orders: n, total_revenue: n, total_items_sold: n, return_rate: 0, unique_customers: n,
  returned_orders: 0, net_revenue: n, updated_at: 't', batch_id: 'b',
});
const categoryRow = (category: string, order_date: string, n: number): CategoryKpiRow => ({
  category, order_date, daily_revenue: n, avg_order_value: n, avg_return_rate: 0, order_count: n, items_sold: n,
  returned_orders: 0, net_revenue: n, updated_at: 't', batch_id: 'b',
});
const rowsArb = (n: number): fc.Arbitrary<KpiRows> =>
  fc
    .record({
      days: fc.subarray(DATES),
      pairs: fc.subarray(DATES.flatMap((d) => CATEGORIES.map((c) => [c, d] as const))),
    })
    .map(({ days, pairs }) => sortRows({ order: days.map((d) => orderRow(d, n)), category: pairs.map(([c, d]) => categoryRow(c, d, n)) }));

test('apply(kpiChange) = recomputed rows on the recomputed dates, stored rows elsewhere', () => {
  fc.assert(
    fc.property(fc.subarray(DATES), rowsArb(1), rowsArb(2), (dates, stored, candidate) => {
      const inScope = (d: string) => dates.includes(d);
      const recomputed = { order: candidate.order.filter((r) => inScope(r.order_date)), category: candidate.category.filter((r) => inScope(r.order_date)) };
      const after = sortRows(applyChange(stored, kpiChange(dates, stored, recomputed)));
      const expected = sortRows({
        order: [...stored.order.filter((r) => !inScope(r.order_date)), ...recomputed.order],
        category: [...stored.category.filter((r) => !inScope(r.order_date)), ...recomputed.category],
      });
      assert.equal(after, expected);
    }),
  );
});

test('a recomputed row outside the recomputed dates is a bug, refused', () => {
  assert.throws(() => kpiChange(['2025-01-01'], { order: [], category: [] }, { order: [orderRow('2025-01-02', 1)], category: [] }), /outside/);
});

test.run();
