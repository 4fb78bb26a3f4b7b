// The KPI fold against the naive reference, and the Monoid laws it rests on.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { concatAll } from 'fp-ts/Monoid';
import {
  addItemInPlace,
  categoryRowOf,
  dayContribution,
  keyTotals,
  MonoidKeyTotals,
  orderRowOf,
  itemTotals,
  kpiRowsOf,
  MonoidDayTotals,
  MonoidOrderTotals,
  newOrderTotals,
  type DayTotals,
  type OrderTotals,
  type SettledOrder,
} from '../../workers/core/kpi-fold.js';
import { referenceKpis } from '../support/kpi-reference.js';
import { CATEGORIES, shopArb, type Shop, type ShopOrder } from '../support/shop.js';

const stampFor = (o: ShopOrder) => {
  // a deterministic per-order batch, so rows must pick the latest one among their orders
  const n = Number(o.order_id.slice(1)) % 3;
  return { seq: `2025-05-0${n + 1}T00:00:00.000Z#b-${n}`, batch_id: `b-${n}`, committed_at: `2025-05-0${n + 1}T00:00:00.000Z` };
};

const settle = (shop: Shop): SettledOrder[] =>
  shop.orders.map((o) => ({
    ...o,
    stamp: stampFor(o),
    totals: shop.items
      .filter((i) => i.order_id === o.order_id)
      .map(itemTotals)
      .reduce(MonoidOrderTotals.concat, MonoidOrderTotals.empty),
  }));

test('KPI rows equal the naive reference over generated shops', () => {
  fc.assert(
    fc.property(shopArb(), (shop) => {
      const expected = referenceKpis(shop.orders, shop.items, (o) => {
        const s = stampFor(o);
        return { seq: s.seq, batch_id: s.batch_id, updated_at: s.committed_at };
      });
      assert.equal(kpiRowsOf(settle(shop)), expected);
    }),
    { numRuns: 300 },
  );
});

test('the order of settled orders does not matter', () => {
  fc.assert(
    fc.property(shopArb().chain((shop) => fc.tuple(fc.constant(shop), fc.shuffledSubarray(settle(shop), { minLength: settle(shop).length }))), ([shop, shuffled]) => {
      assert.equal(JSON.stringify(kpiRowsOf(shuffled)), JSON.stringify(kpiRowsOf(settle(shop))));
    }),
  );
});

test('kpiRowsOf is the Monoid fold per key: rows equal concatAll of each key\'s contributions', () => {
  fc.assert(
    fc.property(shopArb(), (shop) => {
      const settled = settle(shop);
      const rows = kpiRowsOf(settled);
      for (const row of rows.order) {
        const fold = concatAll(MonoidDayTotals)(settled.filter((o) => o.order_date === row.order_date).map(dayContribution));
        assert.equal(row, orderRowOf(row.order_date, fold));
      }
      for (const row of rows.category) {
        const parts = settled.flatMap((o) => {
          const t = o.order_date === row.order_date ? o.totals.byCategory.get(row.category) : undefined;
          return t ? [keyTotals(o, t)] : [];
        });
        assert.equal(row, categoryRowOf(row.category, row.order_date, concatAll(MonoidKeyTotals)(parts)));
      }
    }),
  );
});

test('no orders, no rows; an order without items counts on its day and in no category', () => {
  assert.equal(kpiRowsOf([]), { order: [], category: [] });
  const rows = kpiRowsOf([
    { order_id: 'o1', user_id: 'u1', status: 'Returned', order_date: '2025-01-01', stamp: stampFor({ order_id: 'o1' } as ShopOrder), totals: MonoidOrderTotals.empty },
  ]);
  assert.is(rows.category.length, 0);
  assert.is(rows.order[0]!.total_orders, 1);
  assert.is(rows.order[0]!.return_rate, 1);
  assert.is(rows.order[0]!.total_revenue, 0);
});

const totalsArb: fc.Arbitrary<OrderTotals> = fc
  .array(fc.record({ category: fc.constantFrom(...CATEGORIES), sale_price_cents: fc.nat(10_000) }), { maxLength: 6 })
  .map((items) => items.map(itemTotals).reduce(MonoidOrderTotals.concat, MonoidOrderTotals.empty));
const plain = (t: OrderTotals) => ({ ...t, byCategory: [...t.byCategory].sort(([a], [b]) => (a < b ? -1 : 1)) });

test('MonoidOrderTotals: associativity and identity', () => {
  fc.assert(
    fc.property(totalsArb, totalsArb, totalsArb, (a, b, c) => {
      const M = MonoidOrderTotals;
      assert.equal(plain(M.concat(M.concat(a, b), c)), plain(M.concat(a, M.concat(b, c))));
      assert.equal(plain(M.concat(a, M.empty)), plain(a));
      assert.equal(plain(M.concat(M.empty, a)), plain(a));
    }),
  );
});

test('addItemInPlace equals concatenating itemTotals', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ category: fc.constantFrom(...CATEGORIES), sale_price_cents: fc.nat(10_000) })), (items) => {
      const acc = newOrderTotals();
      for (const i of items) addItemInPlace(acc, i.category, i.sale_price_cents);
      const folded = items.map(itemTotals).reduce(MonoidOrderTotals.concat, MonoidOrderTotals.empty);
      assert.equal(plain(acc), plain(folded));
    }),
  );
});

const dayArb: fc.Arbitrary<DayTotals> = fc.record({
  orders: fc.nat(50),
  returned: fc.nat(50),
  items: fc.nat(50),
  cents: fc.nat(10_000),
  net_cents: fc.nat(10_000),
  stamp: fc.integer({ min: 0, max: 5 }).map((n) => ({ seq: `s${n}`, batch_id: `b${n}`, committed_at: `t${n}` })),
  customers: fc.uniqueArray(fc.constantFrom('u1', 'u2', 'u3', 'u4')).map((xs) => new Set(xs)),
});
const plainDay = (d: DayTotals) => ({ ...d, stamp: { ...d.stamp }, customers: [...d.customers].sort() });

test('MonoidDayTotals: associativity and identity', () => {
  fc.assert(
    fc.property(dayArb, dayArb, dayArb, (a, b, c) => {
      const M = MonoidDayTotals;
      assert.equal(plainDay(M.concat(M.concat(a, b), c)), plainDay(M.concat(a, M.concat(b, c))));
      assert.equal(plainDay(M.concat(a, M.empty)), plainDay(a));
      assert.equal(plainDay(M.concat(M.empty, a)), plainDay(a));
    }),
  );
});

test.run();
