// What to write to the KPI tables for a set of recomputed dates (the exactly-once step): every
// recomputed row in full (an idempotent overwrite), and a delete for every stored row of those
// dates that no longer exists — a day that lost all its orders, a (category, day) that lost all
// its items. Pure: the stored rows are read by the shell and passed in.
import { categoryKey, type CategoryKpiRow, type KpiRows, type OrderKpiRow } from './kpi-rows.js';

export interface CategoryKey {
  readonly category: string;
  readonly order_date: string;
}

export interface KpiChange {
  readonly put: KpiRows;
  readonly deleteOrder: ReadonlyArray<string>;
  readonly deleteCategory: ReadonlyArray<CategoryKey>;
}

export const kpiChange = (dates: ReadonlyArray<string>, stored: KpiRows, recomputed: KpiRows): KpiChange => {
  const inScope = new Set(dates);
  const keepOrder = new Set(recomputed.order.map((r) => r.order_date));
  const keepCategory = new Set(recomputed.category.map((r) => categoryKey(r.category, r.order_date)));
  const outside = [...recomputed.order, ...recomputed.category].find((r) => !inScope.has(r.order_date));
  if (outside) throw new Error(`recomputed row of ${outside.order_date} is outside the recomputed dates`);
  return {
    put: recomputed,
    deleteOrder: stored.order
      .filter((r: OrderKpiRow) => inScope.has(r.order_date) && !keepOrder.has(r.order_date))
      .map((r) => r.order_date)
      .sort(),
    deleteCategory: stored.category
      .filter((r: CategoryKpiRow) => inScope.has(r.order_date) && !keepCategory.has(categoryKey(r.category, r.order_date)))
      .map((r) => ({ category: r.category, order_date: r.order_date }))
      .sort((a, b) => (categoryKey(a.category, a.order_date) < categoryKey(b.category, b.order_date) ? -1 : 1)),
  };
};

/** The stored state after applying a change: what either adapter must hold afterwards. */
export const applyChange = (stored: KpiRows, change: KpiChange): KpiRows => {
  const order = new Map(stored.order.map((r) => [r.order_date, r]));
  const category = new Map(stored.category.map((r) => [categoryKey(r.category, r.order_date), r]));
  for (const r of change.put.order) order.set(r.order_date, r);
  for (const r of change.put.category) category.set(categoryKey(r.category, r.order_date), r);
  for (const d of change.deleteOrder) order.delete(d);
  for (const k of change.deleteCategory) category.delete(categoryKey(k.category, k.order_date));
  return { order: [...order.values()], category: [...category.values()] };
};
