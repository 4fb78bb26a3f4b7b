// A row's own rules, checked without the batch: pure per row, so it can run on any thread. The
// outcome is either the kind's Ok (the row passes every rule of its own) or a Rejected with every
// reason — and, for an item, the ids it refers to, which the batch still checks (batch-state.ts).
import * as E from 'fp-ts/lib/Either.js';
import type { Kind } from '../records.js';
import type { RowReason } from '../reasons.js';
import { itemFast, itemOwnReasons, itemRefs, type ItemOk, type ItemRefs } from './item.js';
import { decodeOrder, orderFast, type OrderOk } from './order.js';
import { decodeProduct, productFast, type ProductOk } from './product.js';
import { isRawValues } from './raw.js';

export interface Rejected {
  readonly reasons: ReadonlyArray<RowReason>;
  readonly refs?: ItemRefs;
}
export type ProductCheck = ProductOk | Rejected;
export type OrderCheck = OrderOk | Rejected;
export type ItemCheck = ItemOk | Rejected;
export type RowCheck = ProductCheck | OrderCheck | ItemCheck;

export const isRejected = (c: RowCheck): c is Rejected => (c as Rejected).reasons !== undefined;

const NOT_AN_OBJECT: Rejected = { reasons: [{ code: 'INVALID_TYPE', field: '$row', message: 'the row is not a JSON object' }] };

// The fast path declines exactly the rows the reason-collecting path rejects (the property of
// test/core/rows.test.ts); a disagreement is a bug in this module, never a property of the data.
const disagree = (kind: Kind): never => {
  throw new Error(`${kind}: the fast path declined a row the reason-collecting path accepts`);
};

export const checkProduct = (values: unknown): ProductCheck => {
  if (!isRawValues(values)) return NOT_AN_OBJECT;
  const ok = productFast(values);
  if (ok !== undefined) return ok;
  const full = decodeProduct(values);
  return E.isLeft(full) ? { reasons: full.left } : disagree('products');
};

export const checkOrder = (values: unknown): OrderCheck => {
  if (!isRawValues(values)) return NOT_AN_OBJECT;
  const ok = orderFast(values);
  if (ok !== undefined) return ok;
  const full = decodeOrder(values);
  return E.isLeft(full) ? { reasons: full.left } : disagree('orders');
};

export const checkItem = (values: unknown): ItemCheck => {
  if (!isRawValues(values)) return NOT_AN_OBJECT;
  const ok = itemFast(values);
  if (ok !== undefined) return ok;
  const reasons = itemOwnReasons(values);
  return reasons.length > 0 ? { reasons, refs: itemRefs(values) } : disagree('order_items');
};

export const CHECKS: Readonly<Record<Kind, (values: unknown) => RowCheck>> = {
  products: checkProduct,
  orders: checkOrder,
  order_items: checkItem,
};
