// The hand-tuned path for order items (DESIGN §11–§12: items dominate every batch). It recognises
// the common case only: a row whose every field and reference is valid and whose id is new. It
// claims the id and returns the cleaned record as one NDJSON line, byte-identical to
// JSON.stringify of what validateItem produces. Anything else returns undefined and the caller
// runs the generic codecs (batch-checks.ts), which give the full list of reasons; claiming is
// idempotent for a taken id, so a fallback never double-counts. Built from the same parsers as
// the codecs; test/core/item-fast.test.ts checks the equivalence as a property.
import { isNegativeCents, parseDecimalCents } from './money.js';
import { jsonString } from './json-text.js';
import type { RawValues } from './row-codecs.js';
import { MISSING, opt, req, textPart, tsPart } from './fast-fields.js';

export interface ItemFastContext {
  readonly orderDate: (orderId: string) => string | undefined;
  /** The product's category already as JSON text (quoted once per product, not per item). */
  readonly categoryJson: (productId: string) => string | undefined;
  readonly claim: (id: string) => boolean;
}

export const cleanItemLine = (row: RawValues, ctx: ItemFastContext): string | undefined => {
  const id = req(row.id);
  const orderId = req(row.order_id);
  const productId = req(row.product_id);
  const price = req(row.sale_price);
  if (id === MISSING || orderId === MISSING || productId === MISSING || price === MISSING) return undefined;
  const cents = parseDecimalCents(price);
  if (Number.isNaN(cents) || isNegativeCents(cents)) return undefined;
  const userId = opt(row.user_id);
  const status = opt(row.status);
  const inventory = opt(row.inventory_item_id);
  if (userId === MISSING || status === MISSING || inventory === MISSING) return undefined;
  const created = tsPart(',"created_at":"', row.created_at);
  const shipped = tsPart(',"shipped_at":"', row.shipped_at);
  const delivered = tsPart(',"delivered_at":"', row.delivered_at);
  const returned = tsPart(',"returned_at":"', row.returned_at);
  if (created === MISSING || shipped === MISSING || delivered === MISSING || returned === MISSING) return undefined;
  const orderDate = ctx.orderDate(orderId);
  if (orderDate === undefined) return undefined;
  const category = ctx.categoryJson(productId);
  if (category === undefined) return undefined;
  if (!ctx.claim(id)) return undefined;
  return (
    `{"id":${jsonString(id)},"order_id":${jsonString(orderId)},"product_id":${jsonString(productId)},"sale_price_cents":${cents}` +
    textPart(',"user_id":', userId) +
    textPart(',"status":', status) +
    created + shipped + delivered + returned +
    textPart(',"inventory_item_id":', inventory) +
    `,"order_date":"${orderDate}","category":${category}}`
  );
};
