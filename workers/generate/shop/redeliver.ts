// A second batch that re-delivers part of an earlier shop, as a shop system re-exports orders that
// changed: a clean order of the earlier shop comes again, with its clean items, now further along
// (Processing -> Shipped -> Complete -> Returned) and/or one item fewer. The batch also carries the
// earlier shop's clean products, so it validates on its own. Its rows are all clean: it exists to
// exercise "latest version wins" in the transform, not validation.
import type { Kind } from '../../core/records.js';
import type { Row } from './columns.js';
import { prng, type Prng } from './prng.js';
import { orderRow, timestampForms, type Order } from './shop.js';
import { partsOf, shopEmissions, type Emission, type ShopConfig } from './shop-model.js';
import { formatTimestamp, TIMESTAMP_FORMS } from './values.js';

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

export interface RedeliveryConfig {
  /** The earlier shop, as its generator-manifest.json records it. */
  readonly earlier: ShopConfig;
  readonly seed: string;
  /** Share of the earlier shop's clean orders to re-deliver. */
  readonly rate: number;
  readonly parts: number;
}

const NEXT: Readonly<Record<string, string>> = { processing: 'Shipped', shipped: 'Complete', complete: 'Returned', delivered: 'Returned' };

/** The order one step further along, its new timestamps after the ones it had. */
const advance = (rng: Prng, order: Order): Order | undefined => {
  const next = NEXT[order.status.trim().toLowerCase()];
  if (next === undefined) return undefined;
  const shippedAt = order.shippedAt ?? order.createdAt + HOUR + rng.int(48) * HOUR;
  if (next === 'Shipped') return { ...order, status: next, shippedAt };
  const deliveredAt = order.deliveredAt ?? shippedAt + DAY + rng.int(4) * DAY;
  if (next === 'Complete') return { ...order, status: next, shippedAt, deliveredAt };
  return { ...order, status: next, shippedAt, deliveredAt, returnedAt: deliveredAt + DAY + rng.int(9) * DAY };
};

interface Redelivered {
  readonly order: Order;
  readonly items: ReadonlyArray<Row>;
}

/** The earlier shop's clean orders picked for re-delivery, changed, with their clean items. */
function* redelivered(config: RedeliveryConfig): Generator<Redelivered> {
  const rng = prng(config.seed, 'redeliver');
  let current: { order: Order; items: Row[] } | undefined;
  const finish = (): Redelivered | undefined => {
    // An order whose items were all quarantined earlier had no valid items: nothing to re-deliver.
    if (current === undefined || current.items.length === 0 || !rng.chance(config.rate)) return undefined;
    const moved = rng.chance(0.7) ? advance(rng, current.order) : undefined;
    const drop = current.items.length > 1 && (moved === undefined || rng.chance(0.3));
    const order = moved ?? current.order;
    const items = (drop ? current.items.slice(0, -1) : current.items).map((item) => itemAs(rng, item, order));
    return { order: { ...order, itemCount: items.length }, items };
  };
  for (const e of shopEmissions(config.earlier)) {
    if (e.kind === 'orders' && e.order !== undefined) {
      const done = finish();
      if (done) yield done;
      current = e.codes.length === 0 ? { order: e.order, items: [] } : undefined;
    } else if (e.kind === 'order_items' && current !== undefined && e.codes.length === 0 && e.row.order_id === current.order.id) {
      current.items.push(e.row);
    }
  }
  const last = finish();
  if (last) yield last;
}

/** An item row brought in line with its order's new status and timestamps. */
const itemAs = (rng: Prng, item: Row, order: Order): Row => {
  const stamp = (micros: number | undefined, had: unknown) =>
    had !== undefined || micros === undefined ? had : formatTimestamp(micros + rng.int(2 * 60) * 60_000_000, rng.pick(TIMESTAMP_FORMS));
  return {
    ...item,
    status: order.status,
    shipped_at: stamp(order.shippedAt, item.shipped_at) as string | undefined,
    delivered_at: stamp(order.deliveredAt, item.delivered_at) as string | undefined,
    returned_at: stamp(order.returnedAt, item.returned_at) as string | undefined,
  };
};

const cleanProducts = function* (earlier: ShopConfig): Generator<Row> {
  for (const e of shopEmissions(earlier)) {
    if (e.kind !== 'products') return;
    if (e.codes.length === 0) yield e.row;
  }
};

/** The re-delivery batch as emissions (all clean), parts laid out like a fresh shop's. */
export function* redeliveryEmissions(config: RedeliveryConfig): Generator<Emission> {
  // A first pass counts rows so that parts are contiguous and even, as in a fresh shop.
  let productRows = 0;
  for (const _ of cleanProducts(config.earlier)) productRows++;
  let orderRows = 0;
  let itemRows = 0;
  for (const r of redelivered(config)) {
    orderRows++;
    itemRows += r.items.length;
  }
  const partOf = (kind: Kind, i: number): number => {
    const rows = kind === 'products' ? productRows : kind === 'orders' ? orderRows : itemRows;
    return Math.floor((i * partsOf(config.parts, rows)) / rows);
  };
  let i = 0;
  for (const row of cleanProducts(config.earlier)) yield { kind: 'products', part: partOf('products', i++), row, codes: [] };
  const forms = prng(config.seed, 'redeliver-forms');
  const content = prng(config.seed, 'redeliver-content');
  let o = 0;
  let it = 0;
  for (const r of redelivered(config)) {
    const form = timestampForms(forms, TIMESTAMP_FORMS[o % TIMESTAMP_FORMS.length] ?? 'bq');
    yield { kind: 'orders', part: partOf('orders', o++), row: orderRow(content, r.order, form), codes: [], order: r.order };
    for (const row of r.items) yield { kind: 'order_items', part: partOf('order_items', it++), row, codes: [] };
  }
}
