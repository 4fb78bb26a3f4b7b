// Generated shops for the KPI laws: small id spaces so orders share customers, dates and
// categories, and every status (Returned and Cancelled included) shows up often.
import fc from 'fast-check';
import type { OrderStatus } from '../../workers/core/records.js';

export interface ShopOrder {
  readonly order_id: string;
  readonly user_id: string;
  readonly status: OrderStatus;
  readonly order_date: string;
}
export interface ShopItem {
  readonly id: string;
  readonly order_id: string;
  readonly category: string;
  readonly sale_price_cents: number;
}
export interface Shop {
  readonly orders: ReadonlyArray<ShopOrder>;
  readonly items: ReadonlyArray<ShopItem>;
}

export const STATUSES: ReadonlyArray<OrderStatus> = ['Processing', 'Shipped', 'Delivered', 'Complete', 'Cancelled', 'Returned'];
export const DATES = ['2025-01-01', '2025-01-02', '2025-01-03', '2025-02-28'];
export const CATEGORIES = ['Jeans', 'Tops & Tees', 'Beauty', 'Outerwear & Coats'];

export const orderArb = (ids: fc.Arbitrary<string>): fc.Arbitrary<ShopOrder> =>
  fc.record({
    order_id: ids,
    user_id: fc.integer({ min: 1, max: 6 }).map((n) => `u${n}`),
    status: fc.constantFrom(...STATUSES),
    order_date: fc.constantFrom(...DATES),
  });

const itemsFor = (orderIds: ReadonlyArray<string>, idPrefix: string): fc.Arbitrary<ShopItem[]> =>
  orderIds.length === 0
    ? fc.constant([])
    : fc.array(
        fc.record({
          order_id: fc.constantFrom(...orderIds),
          category: fc.constantFrom(...CATEGORIES),
          sale_price_cents: fc.oneof(fc.integer({ min: 0, max: 50_000 }), fc.constantFrom(0, 1, 5, 99_999_999)),
        }),
        { maxLength: 40 },
      ).map((items) => items.map((it, i) => ({ ...it, id: `${idPrefix}${i}` })));

/** A shop with unique order ids (a valid batch), items pointing at its orders. */
export const shopArb = (orderIds: fc.Arbitrary<string> = fc.integer({ min: 1, max: 30 }).map((n) => `o${n}`), idPrefix = 'i'): fc.Arbitrary<Shop> =>
  fc
    .uniqueArray(orderArb(orderIds), { selector: (o) => o.order_id, maxLength: 20 })
    .chain((orders) => itemsFor(orders.map((o) => o.order_id), idPrefix).map((items) => ({ orders, items })));
