// The KPI items as stored in the two tables and printed by the CLIs (DESIGN §5, §6). Attribute
// names are the seeds' and must not change; money has 2 decimals, rates 4, both JSON numbers.
// Property order is fixed here, so serialised rows are byte-stable.
import * as t from 'io-ts';

export const OrderKpiRow = t.type({
  order_date: t.string,
  total_orders: t.number,
  total_revenue: t.number,
  total_items_sold: t.number,
  return_rate: t.number,
  unique_customers: t.number,
  returned_orders: t.number,
  net_revenue: t.number,
  updated_at: t.string,
  batch_id: t.string,
});
export type OrderKpiRow = t.TypeOf<typeof OrderKpiRow>;

export const CategoryKpiRow = t.type({
  category: t.string,
  order_date: t.string,
  daily_revenue: t.number,
  avg_order_value: t.number,
  avg_return_rate: t.number,
  order_count: t.number,
  items_sold: t.number,
  returned_orders: t.number,
  net_revenue: t.number,
  updated_at: t.string,
  batch_id: t.string,
});
export type CategoryKpiRow = t.TypeOf<typeof CategoryKpiRow>;

export interface KpiRows {
  readonly order: ReadonlyArray<OrderKpiRow>;
  readonly category: ReadonlyArray<CategoryKpiRow>;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const compareOrderRows = (a: OrderKpiRow, b: OrderKpiRow): number => byString(a.order_date, b.order_date);
/** Category rows sort by the table's key: hash `category`, then range `order_date`. */
export const compareCategoryRows = (a: CategoryKpiRow, b: CategoryKpiRow): number =>
  byString(a.category, b.category) || byString(a.order_date, b.order_date);

export const sortRows = (rows: KpiRows): KpiRows => ({
  order: [...rows.order].sort(compareOrderRows),
  category: [...rows.category].sort(compareCategoryRows),
});

/** Key of a category row, as one string (for sets of keys). Tab cannot occur in a trimmed category. */
export const categoryKey = (category: string, orderDate: string): string => `${category}\t${orderDate}`;
