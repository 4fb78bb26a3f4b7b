// The shop as a stream of rows, each with the reason codes the validate worker will give it
// (docs/validation-semantics.md). Rows come in processing order (products, orders, items; parts in
// order; rows in order), so "first occurrence" here is the validator's first occurrence. Items
// follow their order at once, so whether an item's order was quarantined is known without
// holding every order in memory: memory grows with products only.
import type { RowReasonCode } from '../../core/reasons.js';
import type { Kind } from '../../core/records.js';
import type { Row } from './columns.js';
import { applyItemDefects, applyOrderDefects, applyProductDefects, drawDefect, type Defect } from './defects.js';
import { prng, type Prng } from './prng.js';
import { itemRow, makeOrder, makeProduct, orderRow, timestampForms, type Order, type Product } from './shop.js';
import { TIMESTAMP_FORMS, type TimestampForm } from './values.js';

export interface ShopConfig {
  readonly seed: string;
  /** Item rows to generate (duplicates injected as defects come on top). */
  readonly items: number;
  /** Parts per kind (fewer when a kind has fewer rows than parts). */
  readonly parts: number;
  readonly defectRate: number;
  /** First instant orders are placed at, microseconds since the epoch, and the span in days. */
  readonly startMicros: number;
  readonly days: number;
  /** Products in the catalogue; default productCount(items). */
  readonly products?: number;
  /** Added to every order and item id, so successive shops of one lake make new ones (default 0). */
  readonly idOffset?: number;
  /**
   * Re-use an earlier shop's catalogue: its products (the same rows, the same defects) come from
   * that shop's seed and count instead of this one's, so items refer to the products it made.
   */
  readonly catalogFrom?: { readonly seed: string; readonly products: number; readonly defectRate: number };
}

export interface Emission {
  readonly kind: Kind;
  readonly part: number;
  readonly row: Row;
  /** Sorted reason codes the validator gives this row; empty for a row it cleans. */
  readonly codes: ReadonlyArray<RowReasonCode>;
  /** The order an orders row was made from (not on duplicates): lets a later batch re-deliver it. */
  readonly order?: Order;
}

/** TheLook has 29,120 products; a small shop still gets enough to spread its items over. */
export const productCount = (items: number): number => Math.min(29_120, Math.max(50, Math.ceil(items / 40)));

const itemsPerOrder = (rng: Prng): number => rng.weighted([[1, 40], [2, 30], [3, 20], [4, 10]] as const);

/** Item counts of the orders, in order: the last order takes whatever items are left. */
function* orderSizes(seed: string, items: number): Generator<number> {
  const rng = prng(seed, 'shape');
  for (let left = items; left > 0; ) {
    const n = Math.min(left, itemsPerOrder(rng));
    left -= n;
    yield n;
  }
}

export const orderCount = (seed: string, items: number): number => {
  let n = 0;
  for (const _ of orderSizes(seed, items)) n++;
  return n;
};

/** Rows of a kind per part: `min(parts, rows)` parts, contiguous, sizes differing by at most one. */
export const partsOf = (parts: number, rows: number): number => Math.max(1, Math.min(parts, rows));
const partOf = (parts: number, rows: number) => (i: number): number => Math.floor((i * partsOf(parts, rows)) / rows);

const KIND_INDEX: Readonly<Record<Kind, number>> = { products: 0, orders: 1, order_items: 2 };

const sorted = (codes: Iterable<RowReasonCode>): ReadonlyArray<RowReasonCode> => [...new Set(codes)].sort();

const present = (cell: unknown): string => (cell === undefined ? '' : String(cell).trim());

/** Tracks, per kind, the current part and its last clean row (duplicates stay within a part). */
const partTracker = (formsRng: Prng, kind: Kind, parts: number, rows: number) => {
  const of = partOf(parts, rows);
  let part = -1;
  let lastClean: Row | undefined;
  let form: () => TimestampForm = () => 'bq';
  return {
    enter: (i: number): number => {
      const p = of(i);
      if (p !== part) {
        part = p;
        lastClean = undefined;
        form = timestampForms(formsRng, TIMESTAMP_FORMS[(p + 3 * KIND_INDEX[kind]) % TIMESTAMP_FORMS.length] ?? 'bq');
      }
      return part;
    },
    form: () => form(),
    clean: (row: Row) => {
      lastClean = row;
    },
    duplicate: (defect: Defect): Emission | undefined =>
      defect._tag === 'Duplicate' && lastClean !== undefined ? { kind, part, row: lastClean, codes: ['DUPLICATE_KEY'] } : undefined,
  };
};

export function* shopEmissions(config: ShopConfig): Generator<Emission> {
  const content = prng(config.seed, 'content');
  const defects = prng(config.seed, 'defects');
  const forms = prng(config.seed, 'forms');
  const ghostId = (): string => String(900_000_000_000 + defects.int(99_999_999));
  const idOffset = config.idOffset ?? 0;

  // An earlier shop's catalogue is drawn from that shop's own streams, as it drew it.
  const from = config.catalogFrom;
  const productContent = from ? prng(from.seed, 'content') : content;
  const productDefects = from ? prng(from.seed, 'defects') : defects;
  const productTotal = from?.products ?? config.products ?? productCount(config.items);
  const catalogue: Array<{ readonly product: Product; readonly clean: boolean }> = [];
  const products = partTracker(forms, 'products', config.parts, productTotal);
  for (let i = 0; i < productTotal; i++) {
    const part = products.enter(i);
    const product = makeProduct(productContent, String(i + 1));
    const defect = drawDefect(productDefects, 'products', from?.defectRate ?? config.defectRate);
    const row = defect._tag === 'Change' ? applyProductDefects(productDefects, product.row, defect.codes) : product.row;
    const codes = defect._tag === 'Change' ? sorted(defect.codes) : [];
    yield { kind: 'products', part, row, codes };
    if (codes.length === 0) products.clean(row);
    const dup = products.duplicate(defect);
    if (dup) yield dup;
    catalogue.push({ product, clean: codes.length === 0 });
  }

  const orderTotal = orderCount(config.seed, config.items);
  const orders = partTracker(forms, 'orders', config.parts, orderTotal);
  const items = partTracker(forms, 'order_items', config.parts, config.items);
  const span = { startMicros: config.startMicros, days: config.days, users: Math.max(1, Math.floor(orderTotal * 0.8)) };
  let j = 0;
  let itemIndex = 0;
  for (const size of orderSizes(config.seed, config.items)) {
    const orderPart = orders.enter(j);
    const order: Order = makeOrder(content, span, String(j + 1 + idOffset), size);
    const clean = orderRow(content, order, orders.form);
    const defect = drawDefect(defects, 'orders', config.defectRate);
    const row = defect._tag === 'Change' ? applyOrderDefects(defects, clean, order, defect.codes) : clean;
    const codes = defect._tag === 'Change' ? sorted(defect.codes) : [];
    yield { kind: 'orders', part: orderPart, row, codes, order };
    const orderClean = codes.length === 0;
    if (orderClean) orders.clean(row);
    const dup = orders.duplicate(defect);
    if (dup) yield dup;

    for (let k = 0; k < size; k++, itemIndex++) {
      const itemPart = items.enter(itemIndex);
      const { product, clean: productClean } = content.pick(catalogue);
      const itemClean = itemRow(content, order, String(itemIndex + 1 + idOffset), product, items.form);
      const itemDefect = drawDefect(defects, 'order_items', config.defectRate);
      const item = itemDefect._tag === 'Change' ? applyItemDefects(defects, itemClean, itemDefect.codes, ghostId) : itemClean;
      // Referential codes follow from the row's final ids: an injected ghost id, or the id of an
      // order or product the validator quarantined (the cascade); a blanked id is MISSING_FIELD only.
      const orderId = present(item.order_id);
      const productId = present(item.product_id);
      const itemCodes = sorted([
        ...(itemDefect._tag === 'Change' ? itemDefect.codes.filter((c) => c !== 'UNKNOWN_ORDER' && c !== 'UNKNOWN_PRODUCT') : []),
        ...(orderId !== '' && !(orderId === order.id && orderClean) ? (['UNKNOWN_ORDER'] as const) : []),
        ...(productId !== '' && !(productId === product.id && productClean) ? (['UNKNOWN_PRODUCT'] as const) : []),
      ]);
      yield { kind: 'order_items', part: itemPart, row: item, codes: itemCodes };
      if (itemCodes.length === 0) items.clean(item);
      const itemDup = items.duplicate(itemDefect);
      if (itemDup) yield itemDup;
    }
    j++;
  }
}
