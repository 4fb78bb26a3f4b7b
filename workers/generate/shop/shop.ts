// The clean shop: products, orders and their items as TheLook has them. Everything here is valid
// by DESIGN §3–§4; defects are laid over these rows afterwards (defects.ts).
import { ADJECTIVES, BRANDS, CATEGORIES, COLOURS, DEPARTMENTS } from './catalog.js';
import type { Row } from './columns.js';
import type { Prng } from './prng.js';
import { float32Price, formatTimestamp, TIMESTAMP_FORMS, type TimestampForm } from './values.js';

const HOUR = 3_600_000_000; // microseconds
const DAY = 24 * HOUR;

export interface Product {
  readonly id: string;
  readonly row: Row;
}

export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly shippedAt?: number;
  readonly deliveredAt?: number;
  readonly returnedAt?: number;
  readonly itemCount: number;
}

/** Timestamp forms of one file: mostly the file's own form, now and then any other. */
export const timestampForms = (rng: Prng, fileForm: TimestampForm) => (): TimestampForm =>
  rng.chance(0.85) ? fileForm : rng.pick(TIMESTAMP_FORMS);

const productName = (rng: Prng, brand: string, category: string): string => {
  const base = `${brand} ${rng.pick(ADJECTIVES)} ${category.split(' & ')[0] ?? category}`;
  // Real names carry commas, inch marks and, rarely, a line break: all legal CSV once quoted.
  const roll = rng.next();
  if (roll < 0.1) return `${base}, ${rng.pick(COLOURS)}`;
  if (roll < 0.15) return `${base} ${rng.between(5, 11)}" Inseam`;
  if (roll < 0.152) return `${base}\n${rng.pick(COLOURS)}`;
  return `${base} - ${rng.pick(COLOURS)}`;
};

const hex = (rng: Prng, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += '0123456789ABCDEF'[rng.int(16)];
  return out;
};

export const makeProduct = (rng: Prng, id: string): Product => {
  const category = rng.weighted(CATEGORIES);
  const brand = rng.pick(BRANDS);
  // Retail prices spread like TheLook's: mostly $7-$200 (log-uniform), now and then a few cents.
  const retailCents = rng.chance(0.02) ? rng.between(2, 200) : Math.round(Math.exp(2 + 3.3 * rng.next()) * 100);
  const retail = float32Price(retailCents);
  const cost = retail * (0.35 + 0.3 * rng.next()); // float64 arithmetic: cost carries full noise
  return {
    id,
    row: {
      id,
      cost,
      category,
      name: productName(rng, brand, category),
      brand,
      retail_price: retail,
      department: rng.pick(DEPARTMENTS),
      sku: hex(rng, 32),
      distribution_center_id: String(rng.between(1, 10)),
    },
  };
};

const STATUSES: ReadonlyArray<readonly [string, number]> = [
  ['Complete', 25],
  ['Shipped', 30],
  ['Processing', 20],
  ['Cancelled', 15],
  ['Returned', 10],
  ['Delivered', 5],
];

/** Status as written: mostly capitalised, sometimes lower case as in the course data, rarely upper. */
const statusText = (rng: Prng, status: string): string => {
  const roll = rng.next();
  return roll < 0.8 ? status : roll < 0.95 ? status.toLowerCase() : status.toUpperCase();
};

export interface OrderSpan {
  readonly startMicros: number;
  readonly days: number;
  readonly users: number;
}

export const makeOrder = (rng: Prng, span: OrderSpan, id: string, itemCount: number): Order => {
  const status = rng.weighted(STATUSES);
  const createdAt = span.startMicros + Math.floor(rng.next() * span.days * DAY);
  const shipped = status === 'Shipped' || status === 'Complete' || status === 'Delivered' || status === 'Returned';
  const shippedAt = shipped ? createdAt + HOUR + Math.floor(rng.next() * 72 * HOUR) : undefined;
  // Some delivered orders lack delivered_at, as in the course data: valid, just less known.
  const delivered = status === 'Complete' || status === 'Returned' || (status === 'Delivered' && rng.chance(0.9));
  const deliveredAt = delivered && shippedAt !== undefined ? shippedAt + DAY + Math.floor(rng.next() * 5 * DAY) : undefined;
  const returnedAt = status === 'Returned' && deliveredAt !== undefined ? deliveredAt + DAY + Math.floor(rng.next() * 10 * DAY) : undefined;
  return {
    id,
    userId: String(1 + rng.int(span.users)),
    status: statusText(rng, status),
    createdAt,
    ...(shippedAt === undefined ? {} : { shippedAt }),
    ...(deliveredAt === undefined ? {} : { deliveredAt }),
    ...(returnedAt === undefined ? {} : { returnedAt }),
    itemCount,
  };
};

const stamp = (micros: number | undefined, form: () => TimestampForm): string | undefined =>
  micros === undefined ? undefined : formatTimestamp(micros, form());

export const orderRow = (rng: Prng, order: Order, form: () => TimestampForm): Row => ({
  order_id: order.id,
  user_id: order.userId,
  status: order.status,
  gender: rng.chance(0.5) ? 'F' : 'M',
  created_at: stamp(order.createdAt, form),
  returned_at: stamp(order.returnedAt, form),
  shipped_at: stamp(order.shippedAt, form),
  delivered_at: stamp(order.deliveredAt, form),
  num_of_item: order.itemCount,
});

/** Item timestamps follow their order's loosely: real item rows break chronology, which is valid. */
const jitter = (rng: Prng, micros: number | undefined): number | undefined =>
  micros === undefined ? undefined : micros + Math.floor((rng.next() - 0.75) * 4 * HOUR);

export const itemRow = (rng: Prng, order: Order, id: string, product: Product, form: () => TimestampForm): Row => ({
  id,
  order_id: order.id,
  user_id: order.userId,
  product_id: product.id,
  inventory_item_id: String(1 + rng.int(500_000)),
  status: order.status,
  created_at: stamp(order.createdAt + Math.floor(rng.next() * 2 * HOUR), form),
  shipped_at: stamp(jitter(rng, order.shippedAt), form),
  delivered_at: stamp(jitter(rng, order.deliveredAt), form),
  returned_at: stamp(jitter(rng, order.returnedAt), form),
  sale_price: product.row.retail_price,
});
