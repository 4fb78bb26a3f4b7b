// The KPI fold (DESIGN §5) as Monoids per key. Input: the settled orders of some dates — the
// latest version of each order (see versions.ts) with the totals of that version's items. Each
// order contributes once to its day and once to each category it has items in; contributions
// are combined by Monoids of exact integers (and a set of customers), and only turned into
// rounded figures at the very end (rounding.ts).
import { type Monoid, struct } from 'fp-ts/Monoid';
import { MonoidSum } from 'fp-ts/number';
import { compareSeq } from './batch.js';
import { type CategoryKpiRow, categoryKey, type KpiRows, type OrderKpiRow, sortRows } from './kpi-rows.js';
import type { OrderStatus } from './records.js';
import { averageMoney, moneyOfCents, rate } from './rounding.js';

/** The batch an order version comes from; a KPI row carries the latest one among its orders. */
export interface Stamp {
  readonly seq: string;
  readonly batch_id: string;
  readonly committed_at: string;
}

/** Latest by batch sequence; sequences are unique per batch, so ties are the same stamp. */
export const MonoidStamp: Monoid<Stamp> = {
  empty: { seq: '', batch_id: '', committed_at: '' },
  concat: (a, b) => (compareSeq(a.seq, b.seq) >= 0 ? a : b),
};

/** Set union; copies the smaller set into the larger so a balanced fold stays O(n log n). */
export const MonoidDistinct: Monoid<ReadonlySet<string>> = {
  empty: new Set<string>(),
  concat: (a, b) => {
    if (b.size === 0) return a;
    if (a.size === 0) return b;
    const [big, small] = a.size >= b.size ? [a, b] : [b, a];
    const union = new Set(big);
    for (const x of small) union.add(x);
    return union;
  },
};

// ---- one order's items -------------------------------------------------------------------

export interface ItemTotals {
  readonly items: number;
  readonly cents: number;
}
export const MonoidItemTotals: Monoid<ItemTotals> = struct({ items: MonoidSum, cents: MonoidSum });

export interface OrderTotals extends ItemTotals {
  readonly byCategory: ReadonlyMap<string, ItemTotals>;
}

const mergeCategories = (a: ReadonlyMap<string, ItemTotals>, b: ReadonlyMap<string, ItemTotals>) => {
  if (b.size === 0) return a;
  if (a.size === 0) return b;
  const merged = new Map(a);
  for (const [category, totals] of b) {
    const seen = merged.get(category);
    merged.set(category, seen ? MonoidItemTotals.concat(seen, totals) : totals);
  }
  return merged;
};

export const MonoidOrderTotals: Monoid<OrderTotals> = {
  empty: { items: 0, cents: 0, byCategory: new Map() },
  concat: (a, b) => ({
    items: a.items + b.items,
    cents: a.cents + b.cents,
    byCategory: mergeCategories(a.byCategory, b.byCategory),
  }),
};

export const itemTotals = (item: { readonly category: string; readonly sale_price_cents: number }): OrderTotals => ({
  items: 1,
  cents: item.sale_price_cents,
  byCategory: new Map([[item.category, { items: 1, cents: item.sale_price_cents }]]),
});

/**
 * The streaming hot path: `acc := MonoidOrderTotals.concat(acc, itemTotals(item))` done in place,
 * so millions of items allocate nothing but one small record per (order, category). The law
 * that it equals the Monoid is a property test.
 */
export interface OrderTotalsBuilder {
  items: number;
  cents: number;
  readonly byCategory: Map<string, { items: number; cents: number }>;
}
export const newOrderTotals = (): OrderTotalsBuilder => ({ items: 0, cents: 0, byCategory: new Map() });
export const addItemInPlace = (acc: OrderTotalsBuilder, category: string, saleCents: number): void => {
  acc.items += 1;
  acc.cents += saleCents;
  const seen = acc.byCategory.get(category);
  if (seen) {
    seen.items += 1;
    seen.cents += saleCents;
  } else acc.byCategory.set(category, { items: 1, cents: saleCents });
};

// ---- per key ------------------------------------------------------------------------------

/** The latest version of one order with the totals of that version's items. */
export interface SettledOrder {
  readonly order_id: string;
  readonly user_id: string;
  readonly status: OrderStatus;
  readonly order_date: string;
  readonly stamp: Stamp;
  readonly totals: OrderTotals;
}

/** Exact running figures of a key; `orders` counts distinct orders because each contributes once. */
export interface KeyTotals {
  readonly orders: number;
  readonly returned: number;
  readonly items: number;
  readonly cents: number;
  /** Revenue of orders neither Cancelled nor Returned. */
  readonly net_cents: number;
  readonly stamp: Stamp;
}
export const MonoidKeyTotals: Monoid<KeyTotals> = struct({
  orders: MonoidSum,
  returned: MonoidSum,
  items: MonoidSum,
  cents: MonoidSum,
  net_cents: MonoidSum,
  stamp: MonoidStamp,
});

export interface DayTotals extends KeyTotals {
  readonly customers: ReadonlySet<string>;
}
export const MonoidDayTotals: Monoid<DayTotals> = struct({
  orders: MonoidSum,
  returned: MonoidSum,
  items: MonoidSum,
  cents: MonoidSum,
  net_cents: MonoidSum,
  stamp: MonoidStamp,
  customers: MonoidDistinct,
});

const isReturned = (status: OrderStatus): boolean => status === 'Returned';
const countsAsNet = (status: OrderStatus): boolean => status !== 'Cancelled' && status !== 'Returned';

const keyTotals = (order: SettledOrder, totals: ItemTotals): KeyTotals => ({
  orders: 1,
  returned: isReturned(order.status) ? 1 : 0,
  items: totals.items,
  cents: totals.cents,
  net_cents: countsAsNet(order.status) ? totals.cents : 0,
  stamp: order.stamp,
});

export const dayContribution = (order: SettledOrder): DayTotals => ({
  ...keyTotals(order, order.totals),
  customers: new Set([order.user_id]),
});

/** One contribution per category the order has items in; an order without items has none. */
export const categoryContributions = (order: SettledOrder): ReadonlyArray<readonly [string, KeyTotals]> =>
  [...order.totals.byCategory].map(([category, totals]) => [category, keyTotals(order, totals)] as const);

/**
 * foldMap by halves: equal to a left fold for any Monoid (associativity), but merging sets of
 * customers costs O(n log n) instead of O(n²).
 */
export const foldMapBalanced =
  <M>(M: Monoid<M>) =>
  <A>(f: (a: A) => M) =>
  (as: ReadonlyArray<A>): M => {
    const go = (lo: number, hi: number): M => {
      if (hi - lo === 0) return M.empty;
      if (hi - lo === 1) return f(as[lo]!);
      const mid = (lo + hi) >>> 1;
      return M.concat(go(lo, mid), go(mid, hi));
    };
    return go(0, as.length);
  };

// ---- rounding at the end --------------------------------------------------------------------

export const orderRowOf = (orderDate: string, t: DayTotals): OrderKpiRow => ({
  order_date: orderDate,
  total_orders: t.orders,
  total_revenue: moneyOfCents(t.cents),
  total_items_sold: t.items,
  return_rate: rate(t.returned, t.orders),
  unique_customers: t.customers.size,
  returned_orders: t.returned,
  net_revenue: moneyOfCents(t.net_cents),
  updated_at: t.stamp.committed_at,
  batch_id: t.stamp.batch_id,
});

export const categoryRowOf = (category: string, orderDate: string, t: KeyTotals): CategoryKpiRow => ({
  category,
  order_date: orderDate,
  daily_revenue: moneyOfCents(t.cents),
  avg_order_value: averageMoney(t.cents, t.orders),
  avg_return_rate: rate(t.returned, t.orders),
  order_count: t.orders,
  items_sold: t.items,
  returned_orders: t.returned,
  net_revenue: moneyOfCents(t.net_cents),
  updated_at: t.stamp.committed_at,
  batch_id: t.stamp.batch_id,
});

/** Groups in first-seen order; keys are strings so the map is a plain lookup. */
export const groupBy =
  <A>(keyOf: (a: A) => string) =>
  (as: ReadonlyArray<A>): ReadonlyMap<string, ReadonlyArray<A>> => {
    const groups = new Map<string, A[]>();
    for (const a of as) {
      const key = keyOf(a);
      const group = groups.get(key);
      if (group) group.push(a);
      else groups.set(key, [a]);
    }
    return groups;
  };

interface CategoryContribution {
  readonly category: string;
  readonly day: string;
  readonly totals: KeyTotals;
}

/**
 * KPI rows of the given settled orders, sorted by key. Each order must appear once (the latest
 * version only): that is what makes `orders` a count of distinct orders. A day or (category, day)
 * with no contribution has no row.
 */
export const kpiRowsOf = (orders: ReadonlyArray<SettledOrder>): KpiRows => {
  const order = [...groupBy((o: SettledOrder) => o.order_date)(orders)].map(([day, os]) =>
    orderRowOf(day, foldMapBalanced(MonoidDayTotals)(dayContribution)(os)),
  );
  const contributions = orders.flatMap((o) =>
    categoryContributions(o).map(([category, totals]): CategoryContribution => ({ category, day: o.order_date, totals })),
  );
  const category = [...groupBy((c: CategoryContribution) => categoryKey(c.category, c.day))(contributions).values()].map(
    (cs) => categoryRowOf(cs[0]!.category, cs[0]!.day, foldMapBalanced(MonoidKeyTotals)((c: CategoryContribution) => c.totals)(cs)),
  );
  return sortRows({ order, category });
};
