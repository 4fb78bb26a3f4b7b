// Per-kind row codecs (DESIGN §3): a raw row (values by column name; extra columns ignored) to the
// cleaned record of records.ts, or every reason it fails. Referential and duplicate checks need
// the batch's state and live in batch-checks.ts.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CleanOrder, CleanOrderItem, CleanProduct, Kind, OrderStatus } from './records.js';
import { normaliseStatus } from './status.js';
import { utcDateOf } from './timestamp.js';
import { count, money, presence, text, timestamp, type FieldCodec } from './fields.js';
import { checkAll, reject, unit, accept, type Checked } from './validation.js';

/** One input row: column name to raw value (a CSV string or any JSON value). */
export type RawValues = Readonly<Record<string, unknown>>;

const run = <A>(codec: FieldCodec<A>, row: RawValues): Checked<A | undefined> => codec.decode(row[codec.name]);

/**
 * Drops optional fields left empty, so a cleaned record never holds `undefined`. Copies instead
 * of `delete`, which would turn the object into a slow dictionary for JSON.stringify.
 */
const compact = <A extends Record<string, unknown>>(record: A): A => {
  const out: Record<string, unknown> = {};
  for (const k in record) if (record[k] !== undefined) out[k] = record[k];
  return out as A;
};

// ---- products ------------------------------------------------------------------------------------
const P = {
  id: text('id', true),
  sku: text('sku', true),
  cost: money('cost', true),
  category: text('category', true),
  retail_price: money('retail_price', true),
  name: text('name', false),
  brand: text('brand', false),
  department: text('department', false),
  distribution_center_id: text('distribution_center_id', false),
};

export const decodeProduct = (row: RawValues): Checked<CleanProduct> =>
  pipe(
    checkAll({
      id: run(P.id, row),
      sku: run(P.sku, row),
      cost: run(P.cost, row),
      category: run(P.category, row),
      retail_price: run(P.retail_price, row),
      name: run(P.name, row),
      brand: run(P.brand, row),
      department: run(P.department, row),
      distribution_center_id: run(P.distribution_center_id, row),
    }),
    E.map((v) =>
      compact({
        id: v.id!,
        sku: v.sku!,
        cost_cents: v.cost!,
        category: v.category!,
        retail_price_cents: v.retail_price!,
        name: v.name,
        brand: v.brand,
        department: v.department,
        distribution_center_id: v.distribution_center_id,
      }),
    ),
  );

// ---- orders --------------------------------------------------------------------------------------
const O = {
  order_id: text('order_id', true),
  user_id: text('user_id', true),
  created_at: timestamp('created_at', true),
  shipped_at: timestamp('shipped_at', false),
  delivered_at: timestamp('delivered_at', false),
  returned_at: timestamp('returned_at', false),
  num_of_item: count('num_of_item', false),
  gender: text('gender', false),
};

const status = (raw: unknown): Checked<OrderStatus> => {
  const p = presence(raw);
  if (p._tag === 'absent') return reject('MISSING_FIELD', 'status', 'status is required');
  const s = p._tag === 'text' ? normaliseStatus(p.text) : undefined;
  return s === undefined ? reject('UNKNOWN_STATUS', 'status', `status ${p._tag === 'text' ? JSON.stringify(p.text) : 'value'} is not a known status`) : accept(s);
};

const right = <A>(c: Checked<A | undefined>): A | undefined => (E.isRight(c) ? c.right : undefined);

/**
 * shipped ≥ created, delivered ≥ shipped, returned ≥ delivered, among the timestamps that are
 * present and parse (normalised ISO strings compare in time order). One reason for any break.
 */
export const checkChronology = (
  created: string | undefined,
  shipped: string | undefined,
  delivered: string | undefined,
  returned: string | undefined,
): Checked<undefined> => {
  const broken: string[] = [];
  if (created !== undefined && shipped !== undefined && shipped < created) broken.push('shipped_at < created_at');
  if (shipped !== undefined && delivered !== undefined && delivered < shipped) broken.push('delivered_at < shipped_at');
  if (delivered !== undefined && returned !== undefined && returned < delivered) broken.push('returned_at < delivered_at');
  return broken.length === 0 ? unit : reject('BROKEN_CHRONOLOGY', undefined, broken.join(', '));
};

export const decodeOrder = (row: RawValues): Checked<CleanOrder> => {
  const created = run(O.created_at, row);
  const shipped = run(O.shipped_at, row);
  const delivered = run(O.delivered_at, row);
  const returned = run(O.returned_at, row);
  return pipe(
    checkAll({
      order_id: run(O.order_id, row),
      user_id: run(O.user_id, row),
      status: status(row.status),
      created_at: created,
      shipped_at: shipped,
      delivered_at: delivered,
      returned_at: returned,
      num_of_item: run(O.num_of_item, row),
      gender: run(O.gender, row),
      chronology: checkChronology(right(created), right(shipped), right(delivered), right(returned)),
    }),
    E.map((v) =>
      compact({
        order_id: v.order_id!,
        user_id: v.user_id!,
        status: v.status,
        created_at: v.created_at!,
        order_date: utcDateOf(v.created_at!),
        shipped_at: v.shipped_at,
        delivered_at: v.delivered_at,
        returned_at: v.returned_at,
        num_of_item: v.num_of_item,
        gender: v.gender,
      }),
    ),
  );
};

// ---- order items ---------------------------------------------------------------------------------
const I = {
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

/** An item's own fields; its order_date and category come from the batch (batch-checks.ts). */
export type ItemFields = Omit<CleanOrderItem, 'order_date' | 'category'>;

export const decodeItemFields = (row: RawValues): Checked<ItemFields> =>
  pipe(
    checkAll({
      id: run(I.id, row),
      order_id: run(I.order_id, row),
      product_id: run(I.product_id, row),
      sale_price: run(I.sale_price, row),
      user_id: run(I.user_id, row),
      status: run(I.status, row),
      created_at: run(I.created_at, row),
      shipped_at: run(I.shipped_at, row),
      delivered_at: run(I.delivered_at, row),
      returned_at: run(I.returned_at, row),
      inventory_item_id: run(I.inventory_item_id, row),
    }),
    E.map((v) =>
      compact({
        id: v.id!,
        order_id: v.order_id!,
        product_id: v.product_id!,
        sale_price_cents: v.sale_price!,
        user_id: v.user_id,
        status: v.status,
        created_at: v.created_at,
        shipped_at: v.shipped_at,
        delivered_at: v.delivered_at,
        returned_at: v.returned_at,
        inventory_item_id: v.inventory_item_id,
      }),
    ),
  );

/** The ids an item refers to, when present: checked against the batch even if other fields fail. */
export const itemReferences = (row: RawValues): { readonly orderId?: string; readonly productId?: string } => {
  const o = presence(row.order_id);
  const p = presence(row.product_id);
  const asId = (x: typeof o) => (x._tag === 'text' ? x.text : x._tag === 'number' ? String(x.value) : undefined);
  return { orderId: asId(o), productId: asId(p) };
};

/** Required columns per kind: a CSV header lacking one is a file-level FILE_MISSING_COLUMN. */
export const REQUIRED_COLUMNS: Readonly<Record<Kind, ReadonlyArray<string>>> = {
  products: ['id', 'sku', 'cost', 'category', 'retail_price'],
  orders: ['order_id', 'user_id', 'created_at', 'status'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price'],
};

/** The duplicate-key column per kind. */
export const KEY_COLUMN: Readonly<Record<Kind, string>> = { products: 'id', orders: 'order_id', order_items: 'id' };
