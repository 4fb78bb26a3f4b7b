// Cleaned records: what the validate worker writes to the lake and the transform worker reads.
// Money is integer cents, timestamps are ISO 8601 UTC strings (`...Z`), dates `YYYY-MM-DD`.
// These codecs are the contract between the two workers: one JSON object per line.
import * as t from 'io-ts';

export const Kind = t.keyof({ orders: null, order_items: null, products: null });
export type Kind = t.TypeOf<typeof Kind>;
export const KINDS: ReadonlyArray<Kind> = ['products', 'orders', 'order_items'];

export const OrderStatus = t.keyof({
  Processing: null,
  Shipped: null,
  Delivered: null,
  Complete: null,
  Cancelled: null,
  Returned: null,
});
export type OrderStatus = t.TypeOf<typeof OrderStatus>;

export const CleanProduct = t.intersection([
  t.type({
    id: t.string,
    sku: t.string,
    cost_cents: t.number,
    category: t.string,
    retail_price_cents: t.number,
  }),
  t.partial({
    name: t.string,
    brand: t.string,
    department: t.string,
    distribution_center_id: t.string,
  }),
]);
export type CleanProduct = t.TypeOf<typeof CleanProduct>;

export const CleanOrder = t.intersection([
  t.type({
    order_id: t.string,
    user_id: t.string,
    status: OrderStatus,
    created_at: t.string,
    /** UTC date of created_at: the partition and KPI key. */
    order_date: t.string,
  }),
  t.partial({
    shipped_at: t.string,
    delivered_at: t.string,
    returned_at: t.string,
    num_of_item: t.number,
    gender: t.string,
  }),
]);
export type CleanOrder = t.TypeOf<typeof CleanOrder>;

export const CleanOrderItem = t.intersection([
  t.type({
    id: t.string,
    order_id: t.string,
    product_id: t.string,
    sale_price_cents: t.number,
    /** The order's order_date (items are partitioned and counted by their order's day). */
    order_date: t.string,
    /** The product's category, resolved at validation from the batch's products or the catalog. */
    category: t.string,
  }),
  t.partial({
    user_id: t.string,
    status: t.string,
    created_at: t.string,
    shipped_at: t.string,
    delivered_at: t.string,
    returned_at: t.string,
    inventory_item_id: t.string,
  }),
]);
export type CleanOrderItem = t.TypeOf<typeof CleanOrderItem>;

export type CleanRecord = CleanProduct | CleanOrder | CleanOrderItem;
