// The analytics columns read straight from cleaned lines (lineColumnsBuilder, the transform's
// path) are exactly the columns of the parsed records (columnsOf): for lines as JSON.stringify
// writes them, in any key order, with optional fields absent, escapes and non-ASCII text (the
// lines are byte strings, latin1-decoded UTF-8), unknown keys, and timestamps in and outside the
// fast form. And the timestamp reader agrees with Date.parse.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { columnsOf, isoMillis, type VersionedItem, type VersionedOrder } from '../../workers/core/analytics-columns.js';
import { lineColumnsBuilder } from '../../workers/core/analytics-line-columns.js';

const text = fc.oneof(
  fc.stringMatching(/^[0-9a-z]{1,8}$/),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.constantFrom('Électronique', 'a"b', 'c\\d', 'tab\there', 'Jeans & Co', '日本'),
);
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms).toISOString());
const timestamp = fc.oneof({ weight: 4, arbitrary: instant }, { weight: 1, arbitrary: instant.map((s) => s.replace('.000Z', 'Z').replace(/\.\d{3}Z$/, '+00:00')) });
const seq = fc.tuple(instant, fc.stringMatching(/^[a-z0-9-]{1,10}$/)).map(([at, id]) => `${at}#${id}`);
const opt = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined });

const orderArb = fc.record(
  {
    order_id: text,
    user_id: text,
    status: fc.constantFrom('Complete', 'Returned', 'Cancelled', 'Shipped', 'Processing'),
    created_at: timestamp,
    order_date: fc.constant('2025-01-02'),
    shipped_at: opt(timestamp),
    delivered_at: opt(timestamp),
    returned_at: opt(timestamp),
    num_of_item: opt(fc.integer({ min: 0, max: 99 })),
    gender: opt(fc.constantFrom('M', 'F')),
    extra: opt(fc.oneof(text, fc.integer(), fc.constant(null))),
    seq,
  },
  { requiredKeys: ['order_id', 'user_id', 'status', 'created_at', 'order_date', 'seq'] },
);
const itemArb = fc.record(
  {
    id: text,
    order_id: text,
    product_id: text,
    sale_price_cents: fc.integer({ min: 0, max: 10_000_000 }),
    order_date: fc.constant('2025-01-02'),
    category: text,
    user_id: opt(text),
    status: opt(fc.constantFrom('Complete', 'Returned')),
    created_at: opt(timestamp),
    shipped_at: opt(timestamp),
    delivered_at: opt(timestamp),
    returned_at: opt(timestamp),
    inventory_item_id: opt(text),
    seq,
  },
  { requiredKeys: ['id', 'order_id', 'product_id', 'sale_price_cents', 'order_date', 'category', 'seq'] },
);

/** A record as the transform hands it over: JSON.stringify's text, keys shuffled, as a byte string. */
const lineOf = (record: object, order: ReadonlyArray<number>): string => {
  const entries = Object.entries(record);
  const shuffled = order.length === 0 ? entries : [...entries].sort((a, b) => order[entries.indexOf(a) % order.length]! - order[entries.indexOf(b) % order.length]!);
  return Buffer.from(JSON.stringify(Object.fromEntries(shuffled)), 'utf8').toString('latin1');
};

const sameColumns = <R extends object>(dataset: 'orders' | 'order_items', arb: fc.Arbitrary<R>) =>
  fc.assert(
    fc.property(fc.array(fc.tuple(arb, fc.array(fc.nat(20), { maxLength: 14 })), { maxLength: 30 }), (rows) => {
      const fromLines = lineColumnsBuilder(dataset);
      for (const [record, order] of rows) fromLines.addLine(lineOf(record, order));
      const parsed = columnsOf(dataset, rows.map(([r]) => JSON.parse(JSON.stringify(r)) as VersionedOrder & VersionedItem));
      assert.equal(fromLines.rows, rows.length);
      assert.equal(fromLines.build().values, parsed.values);
    }),
    { numRuns: 300 },
  );

test('order lines read in place give the cells of the parsed orders', () => sameColumns('orders', orderArb));
test('item lines read in place give the cells of the parsed items', () => sameColumns('order_items', itemArb));

test('timestamps read as Date.parse reads them; impossible ones are refused', () => {
  fc.assert(fc.property(timestamp, (s) => assert.is(isoMillis(s), Date.parse(s))));
  for (const bad of ['2025-13-01T00:00:00.000Z', '2025-02-30T25:00:00.000Z', 'yesterday']) assert.throws(() => isoMillis(bad));
});

test.run();
