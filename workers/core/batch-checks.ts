// Checks that need the batch: references from items to the batch's cleaned orders and to products
// (the batch's or the committed catalog's), and duplicate keys among otherwise-valid rows.
// Pure over explicit state: lookups are read-only maps, and the one state transition, claiming a
// key, is a function the caller owns.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CleanOrderItem } from './records.js';
import { decodeItemFields, itemReferences, type RawValues } from './row-codecs.js';
import { accept, checkAll, reject, type Checked } from './validation.js';

export interface ItemLookups {
  /** order_id -> order_date of the batch's cleaned orders. */
  readonly orderDate: (orderId: string) => string | undefined;
  /** product_id -> category, the batch's cleaned products first, then the committed catalog. */
  readonly category: (productId: string) => string | undefined;
}

/** Every reason of an item row, its own fields and its references together. */
export const validateItem = (row: RawValues, lookups: ItemLookups): Checked<CleanOrderItem> => {
  const refs = itemReferences(row);
  const orderDate = refs.orderId === undefined ? undefined : lookups.orderDate(refs.orderId);
  const category = refs.productId === undefined ? undefined : lookups.category(refs.productId);
  return pipe(
    checkAll({
      fields: decodeItemFields(row),
      order_date:
        refs.orderId === undefined || orderDate !== undefined
          ? accept(orderDate)
          : reject('UNKNOWN_ORDER', 'order_id', `order ${JSON.stringify(refs.orderId)} is not a valid order of this batch`),
      category:
        refs.productId === undefined || category !== undefined
          ? accept(category)
          : reject('UNKNOWN_PRODUCT', 'product_id', `product ${JSON.stringify(refs.productId)} is neither in this batch nor in the catalog`),
    }),
    // Both references exist once the fields decoded (they are required), so both lookups succeeded.
    E.map(({ fields, order_date, category: c }) => ({ ...fields, order_date: order_date!, category: c! })),
  );
};

/**
 * First occurrence wins among rows that pass every other check: a valid row claims its key; a
 * later valid row whose key is taken becomes [DUPLICATE_KEY] alone. Rows with other reasons never
 * claim, so they never use a key up. `claim` returns false when the key was already taken.
 */
export const claimKey = <A>(checked: Checked<A>, keyOf: (a: A) => string, claim: (key: string) => boolean): Checked<A> =>
  E.isLeft(checked) || claim(keyOf(checked.right))
    ? checked
    : reject('DUPLICATE_KEY', undefined, `key ${JSON.stringify(keyOf(checked.right))} appeared earlier in this batch`);

/** A claim function over a Set-like registry of keys (orders and products: keys kept exactly). */
export const claimIn =
  (taken: { has(key: string): boolean }, add: (key: string) => void) =>
  (key: string): boolean => {
    if (taken.has(key)) return false;
    add(key);
    return true;
  };

