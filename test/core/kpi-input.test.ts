// Reading KPI fields in place from byte-string lines must agree with JSON.parse on every line
// JSON.stringify can write: unicode, escapes, quotes, keys that look like other keys.
import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { itemLineReader, kpiOrderOfLine } from '../../workers/core/kpi-input.js';
import { STATUSES } from '../support/shop.js';

/** What gzLineBatches(…, 'latin1') hands over for a line: one char per UTF-8 byte. */
const bytesOf = (line: string): string => Buffer.from(line, 'utf8').toString('latin1');

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('"order_id":"x"', 'a\\"b', 'Tops & Tees', 'Café', '日本', '\u2028'));

test('item fields read in place = JSON.parse, over consecutive lines sharing orders and categories', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          id: text,
          order_id: fc.oneof(text, fc.constantFrom('o1', 'o2')),
          product_id: text,
          sale_price_cents: fc.oneof(fc.nat(), fc.constantFrom(0, 5, 99_999_999)),
          user_id: text,
          status: text,
          order_date: fc.constant('2025-01-01'),
          category: fc.oneof(text, fc.constantFrom('Jeans', 'Café')),
        }),
        { maxLength: 20 },
      ),
      (items) => {
        const read = itemLineReader();
        for (const item of items) {
          const got = read(bytesOf(JSON.stringify(item)));
          assert.equal(
            got && { order_id: got.order_id, category: got.category, sale_price_cents: got.sale_price_cents },
            { order_id: item.order_id, category: item.category, sale_price_cents: item.sale_price_cents },
          );
        }
      },
    ),
  );
});

test('order fields read in place = JSON.parse; a line without them is refused', () => {
  fc.assert(
    fc.property(text, text, fc.constantFrom(...STATUSES), text, (order_id, user_id, status, note) => {
      const line = JSON.stringify({ note, order_id, user_id, status, created_at: '2025-01-01T00:00:00.000Z', order_date: '2025-01-01' });
      assert.equal(kpiOrderOfLine(bytesOf(line)), { order_id, user_id, status, order_date: '2025-01-01' });
    }),
  );
  assert.is(kpiOrderOfLine('{"order_id":"1","user_id":"u","status":"Lost","order_date":"2025-01-01"}'), undefined);
  assert.is(itemLineReader()('{"order_id":"1","category":"c","sale_price_cents":-5}'), undefined);
  assert.is(itemLineReader()('{"order_id":"1","category":"c","sale_price_cents":1.5}'), undefined);
});

test.run();
