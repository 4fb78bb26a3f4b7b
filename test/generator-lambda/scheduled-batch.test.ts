// The scheduled generator's batches, pure: same slot same bytes, later slots new ids, items on
// the one shared catalogue, and a manifest naming exactly the parts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isDataKey, isManifestKey, parseManifestBody } from '../../workers/aggregator/file-set.js';
import { CATALOGUE, MAX_ITEMS, scheduledBatch } from '../../workers/generator-lambda/scheduled-batch.js';
import { scheduledMs } from '../../workers/generator-lambda/main.js';
import * as E from 'fp-ts/lib/Either.js';

const rowsOf = (body: string): string[][] => body.trimEnd().split('\n').slice(1).map((l) => l.split(','));
const partOf = (batch: ReturnType<typeof scheduledBatch>, kind: string) => batch.parts.filter((p) => p.kind === kind);
const column = (batch: ReturnType<typeof scheduledBatch>, kind: string, index: number): string[] =>
  partOf(batch, kind).flatMap((p) => rowsOf(p.body).map((r) => r[index]!));

const time = fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') });
const settings = { items: 120, defectRate: 0 };

test('one slot renders the same bytes under the same keys (a retried invocation makes the same batch)', () => {
  const ms = Date.parse('2026-12-02T00:25:00Z');
  assert.equal(scheduledBatch(ms, settings), scheduledBatch(ms, settings));
  assert.is(scheduledBatch(ms, settings).manifestKey, 'generated/20261202T002500Z/_manifest.json');
});

test('runs at least a second apart share no order or item id', () => {
  fc.assert(
    fc.property(time, fc.integer({ min: 1000, max: 86_400_000 }), fc.integer({ min: 1, max: 300 }), (ms, gap, items) => {
      const a = scheduledBatch(ms, { items, defectRate: 0 });
      const b = scheduledBatch(ms + gap, { items, defectRate: 0 });
      for (const [kind, index] of [['orders', 0], ['order_items', 0]] as const) {
        const seen = new Set(column(a, kind, index));
        assert.ok(column(b, kind, index).every((id) => !seen.has(id)), kind);
      }
    }),
    { numRuns: 25 },
  );
});

test('every run carries the one catalogue, and its items refer to its products and orders', () => {
  fc.assert(
    fc.property(time, (ms) => {
      const batch = scheduledBatch(ms, settings);
      const products = column(batch, 'products', 0);
      assert.equal(products, Array.from({ length: CATALOGUE.products }, (_, i) => String(i + 1)));
      assert.equal(partOf(batch, 'products'), partOf(scheduledBatch(ms + 300_000, settings), 'products').map((p) => ({ ...p, key: partOf(batch, 'products')[0]!.key })));
      const orders = new Set(column(batch, 'orders', 0));
      assert.is(column(batch, 'order_items', 0).length, settings.items);
      assert.ok(column(batch, 'order_items', 1).every((id) => orders.has(id)));
      assert.ok(column(batch, 'order_items', 3).every((id) => products.includes(id)));
    }),
    { numRuns: 20 },
  );
});

test('the manifest names exactly the parts, one per kind, and the aggregator reads it as a batch definition', () => {
  const batch = scheduledBatch(Date.parse('2026-12-02T00:30:00Z'), { items: MAX_ITEMS, defectRate: 0.01 });
  assert.ok(isManifestKey(batch.manifestKey));
  assert.ok(batch.parts.every((p) => isDataKey(p.key)));
  assert.equal(batch.parts.map((p) => p.kind), ['products', 'orders', 'order_items']);
  const parsed = parseManifestBody(batch.manifestKey, batch.manifestBody);
  assert.equal(parsed, E.right({ key: batch.manifestKey, keys: batch.parts.map((p) => p.key) }));
});

test('the scheduled time comes from the event; without one, the clock; a bad one is refused', () => {
  assert.is(scheduledMs({ scheduled_time: '2026-12-02T00:25:00Z' }, () => 1), Date.parse('2026-12-02T00:25:00Z'));
  assert.is(scheduledMs({}, () => 7), 7);
  assert.is(scheduledMs(undefined, () => 7), 7);
  assert.throws(() => scheduledMs({ scheduled_time: 'soon' }, () => 7));
});

test.run();
