// The batch's state, one entry point per row: given a row's own check (check.ts), apply the rules
// that need the whole batch — first valid occurrence of a key wins (DUPLICATE_KEY), an item's
// order must be a valid order of the batch and its product known (batch or catalog) — and say
// where an accepted row goes. Rows must arrive in processing order (products, orders, items;
// files by key; rows in file order): that order is what "first" means, whichever thread checked
// the fields.
//
// Memory: products and orders keep their keys (Maps grow with products and orders, one shared
// string per order date); items keep only a 63-bit fingerprint per id (FingerprintSet).
import { FingerprintSet } from '../fingerprint-set.js';
import { IdMap } from '../id-map.js';
import { jsonString } from '../json-text.js';
import type { Kind } from '../records.js';
import type { RowReason } from '../reasons.js';
import { isRejected, type RowCheck } from './check.js';
import type { ItemOk } from './item.js';
import type { OrderOk } from './order.js';
import type { ProductOk } from './product.js';
import { itemLine, referenceReasons } from './item.js';

export const PRODUCTS_PARTITION = 'products';
/** The partition of an order or item: `<kind>|<order_date>`. */
export const datePartition = (kind: 'orders' | 'order_items', date: string): string => `${kind}|${date}`;

const duplicate = (key: string): RowReason[] => [
  { code: 'DUPLICATE_KEY', message: `key ${JSON.stringify(key)} appeared earlier in this batch` },
];

export class BatchState {
  private readonly products = new Map<string, string>();
  private readonly orders = new IdMap<string>();
  /** One string per order date, not one per order (1.3 M orders at 4 M items). */
  private readonly dates = new Map<string, string>();
  private readonly partitions = { orders: new Map<string, string>(), order_items: new Map<string, string>() };
  private readonly itemIds = new FingerprintSet(1 << 18);
  private categoriesJson: IdMap<string> | undefined;
  /** Keys accepted from the current file: a file that fails as a whole takes them back. */
  private added: string[] = [];
  private lastOrder = '';
  private lastOrderDate: string | undefined;

  /** Where the last accepted row goes (a spill partition id). */
  partition = '';

  constructor(private readonly catalog: ReadonlyMap<string, string>) {}

  get itemCount(): number {
    return this.itemIds.size;
  }
  get itemFingerprintBytes(): number {
    return this.itemIds.bytes;
  }

  /** The one entry point per row: the cleaned line (and `partition`), or every reason. */
  accept(kind: Kind, check: RowCheck): string | ReadonlyArray<RowReason> {
    if (isRejected(check)) return this.rejected(kind, check.reasons, check.refs?.orderId, check.refs?.productId);
    if (kind === 'order_items') {
      const c = check as ItemOk;
      return this.item(c.prefix, c.id, c.orderId, c.productId);
    }
    if (kind === 'orders') {
      const c = check as OrderOk;
      return this.order(c.line, c.id, c.date);
    }
    const c = check as ProductOk;
    return this.product(c.line, c.id, c.category);
  }

  fileStarted(): void {
    this.added = [];
  }

  /** The current file failed as a whole: its rows must not stand as valid orders or products. */
  fileFailed(kind: Kind): void {
    if (kind === 'products') for (const id of this.added) this.products.delete(id);
    if (kind === 'orders') for (const id of this.added) this.orders.delete(id);
    this.added = [];
  }

  // The same entry point in flat form, for checks that crossed a thread boundary as columns.

  product(line: string, id: string, category: string): string | ReadonlyArray<RowReason> {
    if (this.products.has(id)) return duplicate(id);
    this.products.set(id, category);
    this.added.push(id);
    this.partition = PRODUCTS_PARTITION;
    return line;
  }

  order(line: string, id: string, date: string): string | ReadonlyArray<RowReason> {
    if (this.orders.has(id)) return duplicate(id);
    this.orders.set(id, this.sharedDate(date));
    this.added.push(id);
    this.partition = this.partitionOf('orders', date);
    return line;
  }

  item(prefix: string, id: string, orderId: string, productId: string): string | ReadonlyArray<RowReason> {
    const date = this.orderDate(orderId);
    const category = this.categoryJson(productId);
    if (date === undefined || category === undefined) return referenceReasons({ orderId, productId }, date !== undefined, category !== undefined);
    if (!this.itemIds.add(id)) return duplicate(id);
    this.partition = this.partitionOf('order_items', date);
    return itemLine(prefix, date, category);
  }

  /** A row that failed its own rules: those reasons, and for an item the reference rules too. */
  rejected(kind: Kind, reasons: ReadonlyArray<RowReason>, orderId?: string, productId?: string): ReadonlyArray<RowReason> {
    if (kind !== 'order_items' || (orderId === undefined && productId === undefined)) return reasons;
    const orderFound = orderId !== undefined && this.orderDate(orderId) !== undefined;
    const productFound = productId !== undefined && this.categoryJson(productId) !== undefined;
    const more = referenceReasons({ orderId, productId }, orderFound, productFound);
    return more.length === 0 ? reasons : [...reasons, ...more];
  }

  // Items of one order usually sit together: a one-entry cache skips most Map lookups.
  private orderDate(id: string): string | undefined {
    if (id !== this.lastOrder) {
      this.lastOrder = id;
      this.lastOrderDate = this.orders.get(id);
    }
    return this.lastOrderDate;
  }

  // Items come after every product: quote each category once, the batch's over the catalog's.
  private categoryJson(id: string): string | undefined {
    if (this.categoriesJson === undefined) {
      this.categoriesJson = new IdMap();
      for (const [p, c] of this.catalog) this.categoriesJson.set(p, jsonString(c));
      for (const [p, c] of this.products) this.categoriesJson.set(p, jsonString(c));
    }
    return this.categoriesJson.get(id);
  }

  private sharedDate(d: string): string {
    const known = this.dates.get(d);
    if (known !== undefined) return known;
    this.dates.set(d, d);
    return d;
  }

  private partitionOf(kind: 'orders' | 'order_items', date: string): string {
    const map = this.partitions[kind];
    let id = map.get(date);
    if (id === undefined) map.set(date, (id = datePartition(kind, date)));
    return id;
  }
}
