// Order items (DESIGN §3–§4), the rows that dominate every batch: every rule defined once — own
// fields, and references to the batch's orders and to products — and used twice. The fast path
// (`itemFast`, then `itemLine` once the references resolve) builds the cleaned line from the
// parsed values; the reason-collecting path (`decodeItem`) gives every reason or the record. Law
// (test/core/rows.test.ts): the fast line === JSON.stringify of decodeItem's record, and the
// fast path declines exactly the rows decodeItem rejects. Duplicate ids: batch-state.ts.
import * as E from 'fp-ts/lib/Either.js';
import { isNonEmpty } from 'fp-ts/lib/ReadonlyArray.js';
import { jsonString } from '../json-text.js';
import type { CleanOrderItem } from '../records.js';
import type { RowReason } from '../reasons.js';
import type { Checked } from '../validation.js';
import { FAIL, fieldReasons, money, requiredColumns, text, textPart, timestamp, tsPart } from './field.js';
import { compact, type RawValues } from './raw.js';

export const ITEM = {
  id: text('id', true),
  order_id: text('order_id', true),
  product_id: text('product_id', true),
  sale_price: money('sale_price', true),
  user_id: text('user_id', false),
  status: text('status', false),
  created_at: timestamp('created_at', false),
  shipped_at: timestamp('shipped_at', false),
  delivered_at: timestamp('delivered_at', false),
  returned_at: timestamp('returned_at', false),
  inventory_item_id: text('inventory_item_id', false),
};
export const ITEM_COLUMNS = requiredColumns(ITEM);

/** An item whose own fields pass: its line up to the batch's parts, and what it refers to. */
export interface ItemOk {
  readonly prefix: string;
  readonly id: string;
  readonly orderId: string;
  readonly productId: string;
}


export const itemFast = (row: RawValues): ItemOk | undefined => {
  const id = ITEM.id.parse(row.id);
  const orderId = ITEM.order_id.parse(row.order_id);
  const productId = ITEM.product_id.parse(row.product_id);
  const cents = ITEM.sale_price.parse(row.sale_price);
  if (id === FAIL || orderId === FAIL || productId === FAIL || cents === FAIL) return undefined;
  const user = ITEM.user_id.parse(row.user_id);
  const st = ITEM.status.parse(row.status);
  const inventory = ITEM.inventory_item_id.parse(row.inventory_item_id);
  if (user === FAIL || st === FAIL || inventory === FAIL) return undefined;
  const created = ITEM.created_at.parse(row.created_at);
  const shipped = ITEM.shipped_at.parse(row.shipped_at);
  const delivered = ITEM.delivered_at.parse(row.delivered_at);
  const returned = ITEM.returned_at.parse(row.returned_at);
  if (created === FAIL || shipped === FAIL || delivered === FAIL || returned === FAIL) return undefined;
  const prefix =
    `{"id":${jsonString(id!)},"order_id":${jsonString(orderId!)},"product_id":${jsonString(productId!)},"sale_price_cents":${cents}` +
    textPart(',"user_id":', user) +
    textPart(',"status":', st) +
    tsPart(',"created_at":"', created) +
    tsPart(',"shipped_at":"', shipped) +
    tsPart(',"delivered_at":"', delivered) +
    tsPart(',"returned_at":"', returned) +
    textPart(',"inventory_item_id":', inventory);
  return { prefix, id: id!, orderId: orderId!, productId: productId! };
};

/** The whole line once the order's date and the product's category (as JSON text) are known. */
export const itemLine = (prefix: string, orderDate: string, categoryJson: string): string =>
  `${prefix},"order_date":"${orderDate}","category":${categoryJson}}`;

/** The ids an item refers to, when they are valid ids: checked even if other fields fail. */
export interface ItemRefs {
  readonly orderId: string | undefined;
  readonly productId: string | undefined;
}
const idOrUndefined = (v: string | undefined | typeof FAIL): string | undefined => (v === FAIL ? undefined : v);
export const itemRefs = (row: RawValues): ItemRefs => ({
  orderId: idOrUndefined(ITEM.order_id.parse(row.order_id)),
  productId: idOrUndefined(ITEM.product_id.parse(row.product_id)),
});

/** Reasons of the item's own fields (no batch needed: a worker thread can find them). */
export const itemOwnReasons = (row: RawValues): RowReason[] => fieldReasons(ITEM, row);

export interface ItemLookups {
  /** order_id -> order_date of the batch's cleaned orders. */
  readonly orderDate: (orderId: string) => string | undefined;
  /** product_id -> category, the batch's cleaned products first, then the committed catalog. */
  readonly category: (productId: string) => string | undefined;
}

/** The reference rules: a present order id must be a valid order of the batch, a product id known. */
export const referenceReasons = (refs: ItemRefs, orderFound: boolean, productFound: boolean): RowReason[] => {
  const out: RowReason[] = [];
  if (refs.orderId !== undefined && !orderFound)
    out.push({ code: 'UNKNOWN_ORDER', field: 'order_id', message: `order ${JSON.stringify(refs.orderId)} is not a valid order of this batch` });
  if (refs.productId !== undefined && !productFound)
    out.push({
      code: 'UNKNOWN_PRODUCT',
      field: 'product_id',
      message: `product ${JSON.stringify(refs.productId)} is neither in this batch nor in the catalog`,
    });
  return out;
};

export const decodeItem = (row: RawValues, lookups: ItemLookups): Checked<CleanOrderItem> => {
  const refs = itemRefs(row);
  const orderDate = refs.orderId === undefined ? undefined : lookups.orderDate(refs.orderId);
  const category = refs.productId === undefined ? undefined : lookups.category(refs.productId);
  const reasons = [...itemOwnReasons(row), ...referenceReasons(refs, orderDate !== undefined, category !== undefined)];
  if (isNonEmpty(reasons)) return E.left(reasons);
  return E.right(
    compact({
      id: ITEM.id.parse(row.id) as string,
      order_id: refs.orderId!,
      product_id: refs.productId!,
      sale_price_cents: ITEM.sale_price.parse(row.sale_price) as number,
      user_id: ITEM.user_id.parse(row.user_id) as string | undefined,
      status: ITEM.status.parse(row.status) as string | undefined,
      created_at: ITEM.created_at.parse(row.created_at) as string | undefined,
      shipped_at: ITEM.shipped_at.parse(row.shipped_at) as string | undefined,
      delivered_at: ITEM.delivered_at.parse(row.delivered_at) as string | undefined,
      returned_at: ITEM.returned_at.parse(row.returned_at) as string | undefined,
      inventory_item_id: ITEM.inventory_item_id.parse(row.inventory_item_id) as string | undefined,
      order_date: orderDate!,
      category: category!,
    }),
  );
};
