// The naive KPI reference of the tests: plain loops over orders and items, written from DESIGN §5
// without any production code, so the production fold is checked against an independent reading.
import type { CategoryKpiRow, OrderKpiRow } from '../../workers/core/kpi-rows.js';
import type { ShopItem, ShopOrder } from './shop.js';

/** Integer quotient, rounded half away from zero, via long division on BigInt. */
const roundedQuotient = (num: bigint, den: bigint): bigint => {
  const sign = (num < 0n) !== (den < 0n) ? -1n : 1n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = 0n;
  let r = n;
  // shift-subtract division, then compare the remainder with half of the divisor
  while (r >= d) {
    let chunk = d;
    let times = 1n;
    while (chunk * 2n <= r) {
      chunk *= 2n;
      times *= 2n;
    }
    r -= chunk;
    q += times;
  }
  return sign * (r + r >= d ? q + 1n : q);
};
export const refMoney = (cents: number): number => Number(cents.toString()) / 100;
export const refAverage = (cents: number, n: number): number =>
  n === 0 ? 0 : Number(roundedQuotient(BigInt(cents), BigInt(n))) / 100;
export const refRate = (part: number, whole: number): number =>
  whole === 0 ? 0 : Number(roundedQuotient(BigInt(part) * 10000n, BigInt(whole))) / 10000;

export interface RefStamp {
  readonly updated_at: string;
  readonly batch_id: string;
}

/**
 * KPI rows from settled orders (one per id) and their items. `stampOf` gives each order's batch
 * stamp and its seq (for the latest-contributing-batch rule).
 */
export const referenceKpis = (
  orders: ReadonlyArray<ShopOrder>,
  items: ReadonlyArray<ShopItem>,
  stampOf: (o: ShopOrder) => RefStamp & { seq: string } = () => ({ updated_at: '', batch_id: '', seq: '' }),
): { order: OrderKpiRow[]; category: CategoryKpiRow[] } => {
  const dates = [...new Set(orders.map((o) => o.order_date))].sort();
  const orderRows: OrderKpiRow[] = [];
  for (const date of dates) {
    let n = 0;
    let returned = 0;
    let cents = 0;
    let net = 0;
    let count = 0;
    const customers: string[] = [];
    let best = { updated_at: '', batch_id: '', seq: '' };
    for (const o of orders) {
      if (o.order_date !== date) continue;
      n++;
      if (o.status === 'Returned') returned++;
      if (!customers.includes(o.user_id)) customers.push(o.user_id);
      const s = stampOf(o);
      if (s.seq > best.seq) best = s;
      for (const it of items) {
        if (it.order_id !== o.order_id) continue;
        count++;
        cents += it.sale_price_cents;
        if (o.status !== 'Cancelled' && o.status !== 'Returned') net += it.sale_price_cents;
      }
    }
    orderRows.push({
      order_date: date,
      total_orders: n,
      total_revenue: refMoney(cents),
      total_items_sold: count,
      return_rate: refRate(returned, n),
      unique_customers: customers.length,
      returned_orders: returned,
      net_revenue: refMoney(net),
      updated_at: best.updated_at,
      batch_id: best.batch_id,
    });
  }
  const categoryRows: CategoryKpiRow[] = [];
  const categories = [...new Set(items.map((i) => i.category))].sort();
  for (const category of categories) {
    for (const date of dates) {
      let cents = 0;
      let net = 0;
      let count = 0;
      const withItem: ShopOrder[] = [];
      for (const o of orders) {
        if (o.order_date !== date) continue;
        for (const it of items) {
          if (it.order_id !== o.order_id || it.category !== category) continue;
          count++;
          cents += it.sale_price_cents;
          if (o.status !== 'Cancelled' && o.status !== 'Returned') net += it.sale_price_cents;
          if (!withItem.includes(o)) withItem.push(o);
        }
      }
      if (withItem.length === 0) continue;
      const returned = withItem.filter((o) => o.status === 'Returned').length;
      let best = { updated_at: '', batch_id: '', seq: '' };
      for (const o of withItem) {
        const s = stampOf(o);
        if (s.seq > best.seq) best = s;
      }
      categoryRows.push({
        category,
        order_date: date,
        daily_revenue: refMoney(cents),
        avg_order_value: refAverage(cents, withItem.length),
        avg_return_rate: refRate(returned, withItem.length),
        order_count: withItem.length,
        items_sold: count,
        returned_orders: returned,
        net_revenue: refMoney(net),
        updated_at: best.updated_at,
        batch_id: best.batch_id,
      });
    }
  }
  return { order: orderRows, category: categoryRows };
};
