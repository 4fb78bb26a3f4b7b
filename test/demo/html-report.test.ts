// The demo report: self-contained, escaped, charts present, aggregates right; and it renders in
// headless Chromium when the machine has it.
import * as fc from 'fast-check';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findChromium, pngSize, renderCheck } from '../../workers/demo/chromium.js';
import { categoryTotals, niceMax, renderReport, type CategoryKpiRow, type ReportData } from '../../workers/demo/html-report.js';

const sample = (category = 'Tops & Tees'): ReportData => ({
  title: 'demo <test>',
  generatedAt: '2024-01-01T00:00:00Z',
  orders: [
    { order_date: '2024-01-02', total_orders: 3, total_revenue: 30.5, total_items_sold: 4, return_rate: 0.3333, unique_customers: 3 },
    { order_date: '2024-01-01', total_orders: 2, total_revenue: 10.25, total_items_sold: 2, return_rate: 0, unique_customers: 2 },
  ],
  categories: [
    { category, order_date: '2024-01-01', daily_revenue: 10.25, avg_order_value: 5.13, avg_return_rate: 0, order_count: 2, returned_orders: 0 },
    { category: 'Jeans', order_date: '2024-01-02', daily_revenue: 30.5, avg_order_value: 10.17, avg_return_rate: 0.3333, order_count: 3, returned_orders: 1 },
  ],
  validations: [{ batch_id: 'b-1', verdict: 'ACCEPTED', reasons: [], kinds: { orders: { rows_read: 6, rows_cleaned: 5, rows_quarantined: 1 } }, reason_counts: { MISSING_FIELD: 1 } }],
  executions: [{ name: 'b-1', status: 'SUCCEEDED', seconds: 4.2 }],
});

test('one self-contained page: four charts, no script, no external asset, text escaped', () => {
  const html = renderReport(sample('<script>alert(1)</script>'));
  assert.is((html.match(/<svg /g) ?? []).length, 4);
  assert.not.match(html, /<script/);
  assert.not.match(html, /(src|href)=["']?https?:/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /demo &lt;test&gt;/);
  assert.match(html, /40\.75/, 'total revenue in the cards');
});

test('category totals: revenue summed in cents, return rate weighted by orders', () => {
  const row = fc.record({
    category: fc.constantFrom('A', 'B', 'C'),
    order_date: fc.constantFrom('2024-01-01', '2024-01-02', '2024-01-03'),
    cents: fc.nat(1_000_000),
    order_count: fc.integer({ min: 1, max: 50 }),
    returned: fc.nat(50),
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
      const input: CategoryKpiRow[] = rows.map((r) => ({
        category: r.category,
        order_date: r.order_date,
        daily_revenue: r.cents / 100,
        order_count: r.order_count,
        returned_orders: Math.min(r.returned, r.order_count),
      }));
      const totals = categoryTotals(input);
      for (const t of totals) {
        const mine = rows.filter((r) => r.category === t.category);
        assert.is(Math.round(t.revenue * 100), mine.reduce((s, r) => s + r.cents, 0));
        const orders = mine.reduce((s, r) => s + r.order_count, 0);
        const returned = mine.reduce((s, r) => s + Math.min(r.returned, r.order_count), 0);
        assert.ok(Math.abs(t.returnRate - returned / orders) < 1e-12);
      }
      assert.is(totals.length, new Set(rows.map((r) => r.category)).size);
    }),
  );
});

test('axis maximum: at least the data, at most ten times it, 1/2/5 times a power of ten', () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), (max) => {
      const nice = niceMax(max);
      assert.ok(nice >= max && nice <= 10 * max + 1e-9);
      const mantissa = nice / 10 ** Math.floor(Math.log10(nice) + 1e-12);
      assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), String(nice));
    }),
  );
});

test('pngSize reads the IHDR and refuses what is not a PNG', () => {
  const header = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header);
  header.write('IHDR', 12, 'ascii');
  header.writeUInt32BE(640, 16);
  header.writeUInt32BE(480, 20);
  assert.equal(pngSize(header), { width: 640, height: 480 });
  assert.is(pngSize(Buffer.from('GIF89a, not a png at all')), undefined);
});

const chromium = findChromium();
test(`renders in headless Chromium${chromium ? '' : ' (skipped: chromium not installed)'}`, async () => {
  if (!chromium) return;
  const dir = await mkdtemp(join(tmpdir(), 'report-'));
  const html = join(dir, 'r.html');
  await writeFile(html, renderReport(sample()));
  const check = await renderCheck(chromium, html, join(dir, 'r.png'), { width: 960, height: 1400 });
  assert.ok(existsSync(check.screenshot));
  assert.equal([check.width, check.height], [960, 1400]);
  assert.is(check.svgs, 4);
  assert.ok(check.bytes > 10_000, `a blank page compresses to almost nothing: ${check.bytes} bytes`);
});

test.run();
