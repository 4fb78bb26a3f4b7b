// The KPI fold (DESIGN §5) as Monoids per key. Input: the settled orders of some dates — the
// latest version of each order (see versions.ts) with the totals of that version's items. Each
// order contributes once to its day and once to each category it has items in; contributions are
// combined by Monoids of exact integers (and the set of a day's customers), and turned into
// rounded figures only at the very end (rounding.ts).
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

// ---- one order's items -------------------------------------------------------------------

export interface ItemTotals {
  readonly items: number;
  readonly cents: number;
}
export const MonoidItemTotals: Monoid<ItemTotals> = struct({ items: MonoidSum, cents: MonoidSum });

// The per-key Monoids below are products of sums and MonoidStamp, like fp-ts `struct` builds;
// written out field by field because `struct` walks the keys on every concat, and these concat
// once per order.

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
export const MonoidKeyTotals: Monoid<KeyTotals> = {
  empty: { orders: 0, returned: 0, items: 0, cents: 0, net_cents: 0, stamp: MonoidStamp.empty },
  concat: (a, b) => ({
    orders: a.orders + b.orders,
    returned: a.returned + b.returned,
    items: a.items + b.items,
    cents: a.cents + b.cents,
    net_cents: a.net_cents + b.net_cents,
    stamp: MonoidStamp.concat(a.stamp, b.stamp),
  }),
};

/** A day's figures add its distinct customers. */
export interface DayTotals extends KeyTotals {
  readonly customers: ReadonlySet<string>;
}

/** Set union: the distinct-count Monoid. */
export const MonoidDistinct: Monoid<ReadonlySet<string>> = {
  empty: new Set<string>(),
  concat: (a, b) => (b.size === 0 ? a : a.size === 0 ? b : new Set([...a, ...b])),
};

export const MonoidDayTotals: Monoid<DayTotals> = {
  empty: { ...MonoidKeyTotals.empty, customers: MonoidDistinct.empty },
  concat: (a, b) => ({ ...MonoidKeyTotals.concat(a, b), customers: MonoidDistinct.concat(a.customers, b.customers) }),
};

const isReturned = (status: OrderStatus): boolean => status === 'Returned';
const countsAsNet = (status: OrderStatus): boolean => status !== 'Cancelled' && status !== 'Returned';

/** What one order adds to a key: itself, and the items it has under that key. */
export const keyTotals = (order: SettledOrder, totals: ItemTotals): KeyTotals => ({
  orders: 1,
  returned: isReturned(order.status) ? 1 : 0,
  items: totals.items,
  cents: totals.cents,
  net_cents: countsAsNet(order.status) ? totals.cents : 0,
  stamp: order.stamp,
});

/** What one order adds to its day. */
export const dayContribution = (order: SettledOrder): DayTotals => ({
  ...keyTotals(order, order.totals),
  customers: new Set([order.user_id]),
});

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

/**
 * KPI rows of the given settled orders, sorted by key: per key, the MonoidKeyTotals fold of what
 * each order adds to it (its day; each category it has items in), the day's customers collected
 * by set union. One pass, no intermediate arrays: the day's set grows in place (union with a
 * singleton), sums are concatenated as they come. Each order must appear once (its latest
 * version only): that makes `orders` a count of distinct orders. A day or (category, day) with
 * no contribution has no row.
 */
export const kpiRowsOf = (orders: Iterable<SettledOrder>): KpiRows => {
  const days = new Map<string, { totals: KeyTotals; readonly customers: Set<string> }>();
  const categories = new Map<string, { readonly category: string; readonly day: string; totals: KeyTotals }>();
  for (const o of orders) {
    const day = days.get(o.order_date);
    const toDay = keyTotals(o, o.totals);
    if (day) {
      day.totals = MonoidKeyTotals.concat(day.totals, toDay);
      day.customers.add(o.user_id);
    } else days.set(o.order_date, { totals: toDay, customers: new Set([o.user_id]) });
    for (const [category, totals] of o.totals.byCategory) {
      const key = categoryKey(category, o.order_date);
      const seen = categories.get(key);
      const toCategory = keyTotals(o, totals);
      if (seen) seen.totals = MonoidKeyTotals.concat(seen.totals, toCategory);
      else categories.set(key, { category, day: o.order_date, totals: toCategory });
    }
  }
  return sortRows({
    order: [...days].map(([day, d]) => orderRowOf(day, { ...d.totals, customers: d.customers })),
    category: [...categories.values()].map((c) => categoryRowOf(c.category, c.day, c.totals)),
  });
};
