// The batch's state, one entry point per row: given a row's own check (check.ts), apply the rules
// that need the whole batch — first valid occurrence of a key wins (DUPLICATE_KEY), an item's
// order must be a valid order of the batch and its product known (batch or catalog) — and say
// where an accepted row goes. "First" means processing order (products, orders, items; files by
// key; rows in file order), whichever thread checked the fields.
//
// Files may be judged out of order (check threads read several at once): each open file keeps
// the keys it accepted apart (FileKeys) until `commit`, which runs in file order. A key found in
// the committed keys or in an earlier open file's is a duplicate for sure (it was valid at an
// earlier position); a key not found may still turn up later in an earlier file still being read.
// `commit` finds those cases — a later open file holding a key the committed file also holds —
// and names the files whose verdicts were wrong: they are judged again (validate/accept-files).
// Items are judged only once every order and product is committed, so their references are final.
//
// Memory: products and orders keep their keys (Maps grow with products and orders, one shared
// string per order date); items keep only a 63-bit fingerprint per id (FingerprintSet).
import { ownText } from '../own-text.js';
import { FingerprintSet, fingerprintHi, fingerprintLo } from '../fingerprint-set.js';
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

/** The keys one file accepted, apart from the batch's until the file is committed. */
export class FileKeys {
  readonly products = new Map<string, string>();
  readonly orders = new IdMap<string>();
  readonly items = new FingerprintSet(1 << 10);
  constructor(
    readonly file: number,
    readonly kind: Kind,
  ) {}
}

export class BatchState {
  private readonly products = new Map<string, string>();
  private readonly orders = new IdMap<string>();
  /** One string per order date, not one per order (1.3 M orders at 4 M items). */
  private readonly dates = new Map<string, string>();
  private readonly partitions = { orders: new Map<string, string>(), order_items: new Map<string, string>() };
  private readonly itemIds = new FingerprintSet(1 << 18);
  private categoriesJson: IdMap<string> | undefined;
  /** Files judged but not committed, in file order. */
  private open: FileKeys[] = [];
  private lastOrder = '';
  private lastOrderDate: string | undefined;
  /** For the one-file-at-a-time entry point (accept). */
  private current: FileKeys;
  private files = 0;

  /** Where the last accepted row goes (a spill partition id): accept() only. */
  partition = '';
  /** An accepted item's order date and category (JSON text): item() only. */
  date = '';
  category = '';

  constructor(private readonly catalog: ReadonlyMap<string, string>) {
    this.current = this.begin(this.files++, 'products');
  }

  get itemCount(): number {
    return this.itemIds.size;
  }
  get itemFingerprintBytes(): number {
    return this.itemIds.bytes;
  }

  /** A file starts being judged (files begin in file order; a file judged again, in its place). */
  begin(file: number, kind: Kind): FileKeys {
    const keys = new FileKeys(file, kind);
    const at = this.open.findIndex((k) => k.file >= file);
    if (at === -1) this.open.push(keys);
    else if (this.open[at]!.file === file) this.open[at] = keys;
    else this.open.splice(at, 0, keys);
    return keys;
  }

  /**
   * The first open file is read to its end: its keys join the batch's (a file that failed as a
   * whole takes back its products and orders). The open files whose verdicts relied on not
   * knowing them, to be judged again.
   */
  commit(keys: FileKeys, failed: boolean): number[] {
    this.open = this.open.filter((k) => k !== keys);
    const later = this.open.filter((k) => k.file > keys.file);
    const wrong = new Set<number>();
    if (failed && keys.kind !== 'order_items') {
      // their duplicates may have been found among the keys taken back
      for (const k of later) if (k.kind === keys.kind) wrong.add(k.file);
      return [...wrong];
    }
    keys.products.forEach((category, id) => {
      this.products.set(id, category);
      for (const k of later) if (k.products.has(id)) wrong.add(k.file);
    });
    keys.orders.forEachKey((date, id) => {
      this.orders.setKey(id, date);
      for (const k of later) if (k.orders.hasKey(id)) wrong.add(k.file);
    });
    keys.items.forEachPrint((hi, lo) => {
      this.itemIds.addPrint(hi, lo);
      for (const k of later) if (k.items.hasPrint(hi, lo)) wrong.add(k.file);
    });
    this.lastOrder = '';
    return [...wrong];
  }

  /** The one entry point per row, a file at a time: the cleaned line (and `partition`), or every reason. */
  accept(kind: Kind, check: RowCheck): string | ReadonlyArray<RowReason> {
    if (isRejected(check)) return this.rejected(kind, check.reasons, check.refs?.orderId, check.refs?.productId);
    if (kind === 'order_items') {
      const c = check as ItemOk;
      const out = this.item(this.current, c.id, c.orderId, c.productId);
      if (out !== true) return out;
      this.partition = this.partitionOf('order_items', this.date);
      return itemLine(c.prefix, this.date, this.category);
    }
    if (kind === 'orders') {
      const c = check as OrderOk;
      const out = this.order(this.current, c.id, c.date);
      if (out !== true) return out;
      this.partition = this.partitionOf('orders', c.date);
      return c.line;
    }
    const c = check as ProductOk;
    const out = this.product(this.current, c.id, c.category);
    if (out !== true) return out;
    this.partition = PRODUCTS_PARTITION;
    return c.line;
  }

  fileStarted(): void {
    this.commit(this.current, false);
    this.current = this.begin(this.files++, 'products');
  }

  /** The current file failed as a whole: its rows must not stand as valid orders or products. */
  fileFailed(kind: Kind): void {
    // an items file keeps its ids (as a Set would): only products and orders are taken back
    if (kind === 'order_items') this.commit(this.current, false);
    else this.open = this.open.filter((k) => k !== this.current);
    this.current = this.begin(this.files++, kind);
  }

  // The verdicts of a file's rows that passed their own rules: true (accepted) or every reason.

  product(keys: FileKeys, id: string, category: string): true | ReadonlyArray<RowReason> {
    if (this.products.has(id)) return duplicate(id);
    for (const k of this.open) {
      if (k.products.has(id)) return duplicate(id);
      if (k === keys) break;
    }
    keys.products.set(ownText(id), ownText(category));
    return true;
  }

  order(keys: FileKeys, id: string, date: string): true | ReadonlyArray<RowReason> {
    if (this.orders.has(id)) return duplicate(id);
    for (const k of this.open) {
      if (k.orders.has(id)) return duplicate(id);
      if (k === keys) break;
    }
    keys.orders.set(ownText(id), this.sharedDate(date));
    this.lastOrder = '';
    return true;
  }

  /** Accepted: true, with `date` and `category` set. */
  item(keys: FileKeys, id: string, orderId: string, productId: string): true | ReadonlyArray<RowReason> {
    const date = this.orderDate(orderId);
    const category = this.categoryJson(productId);
    if (date === undefined || category === undefined) return referenceReasons({ orderId, productId }, date !== undefined, category !== undefined);
    const hi = fingerprintHi(id);
    const lo = fingerprintLo(id);
    if (this.itemIds.hasPrint(hi, lo)) return duplicate(id);
    for (const k of this.open) {
      if (k === keys) break;
      if (k.items.hasPrint(hi, lo)) return duplicate(id);
    }
    if (!keys.items.addPrint(hi, lo)) return duplicate(id);
    this.date = date;
    this.category = category;
    return true;
  }

  /** A row that failed its own rules: those reasons, and for an item the reference rules too. */
  rejected(kind: Kind, reasons: ReadonlyArray<RowReason>, orderId?: string, productId?: string): ReadonlyArray<RowReason> {
    if (kind !== 'order_items' || (orderId === undefined && productId === undefined)) return reasons;
    const orderFound = orderId !== undefined && this.orderDate(orderId) !== undefined;
    const productFound = productId !== undefined && this.categoryJson(productId) !== undefined;
    const more = referenceReasons({ orderId, productId }, orderFound, productFound);
    return more.length === 0 ? reasons : [...reasons, ...more];
  }

  // Items of one order usually sit together: a one-entry cache skips most Map lookups. Orders
  // still open count too (one file judged alone holds its orders there until committed).
  private orderDate(id: string): string | undefined {
    if (id !== this.lastOrder) {
      this.lastOrder = id;
      let date = this.orders.get(id);
      for (let i = 0; date === undefined && i < this.open.length; i++) date = this.open[i]!.orders.get(id);
      this.lastOrderDate = date;
    }
    return this.lastOrderDate;
  }

  // Items come after every product: quote each category once, the batch's over the catalog's.
  private categoryJson(id: string): string | undefined {
    if (this.categoriesJson === undefined) {
      this.categoriesJson = new IdMap();
      for (const [p, c] of this.catalog) this.categoriesJson.set(p, jsonString(c));
      for (const [p, c] of this.products) this.categoriesJson.set(p, jsonString(c));
      for (const k of this.open) for (const [p, c] of k.products) this.categoriesJson.set(p, jsonString(c));
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

