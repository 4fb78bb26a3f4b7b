// ../shared/data/course through run-local (validate + transform, no AWS): KPIs equal figures
// computed here straight from the raw CSVs (plain string splitting: the files hold no quotes),
// and a second run of the same input changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runLocal } from '../../workers/run-local/run-local.js';
import { withLake } from '../support/cleaned-fixtures.js';

const COURSE = join(process.cwd(), '..', 'shared', 'data', 'course');

const rowsOf = (dir: string): Array<Record<string, string>> =>
  readdirSync(join(COURSE, dir))
    .filter((f) => f.endsWith('.csv'))
    .flatMap((f) => {
      const [header, ...lines] = readFileSync(join(COURSE, dir, f), 'utf8').split(/\r?\n/).filter((l) => l !== '');
      const names = header!.split(',');
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
    });

/** "81.6" -> 8160, "12" -> 1200: the course prices have at most 2 decimals (checked). */
const centsOf = (price: string): number => {
  const [whole, frac = ''] = price.split('.');
  assert.ok(frac.length <= 2, `unexpected precision in ${price}`);
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};
const r2 = (cents: number, n: number) => (n === 0 ? 0 : Math.round((cents / n) * 1e6) / 1e6); // exact enough to compare rounded
const near = (actual: number, exact: number, decimals: number) =>
  assert.ok(Math.abs(actual - exact) <= 0.5 * 10 ** -decimals + 1e-9, `${actual} is not ${exact} rounded to ${decimals} decimals`);

test('course data: 31 order dates, 215 (category, date) rows, each equal to the raw CSV figures', async () =>
  withLake(async (lake) => {
    const result = await runLocal({ input: COURSE, lake, maxRejectRate: 0.05, archive: false });
    assert.is(result.validation.verdict, 'ACCEPTED');

    const orders = new Map(rowsOf('orders').map((o) => [o.order_id!, o]));
    const category = new Map(rowsOf('products').map((p) => [p.id!, p.category!]));
    const day = new Map<string, { orders: Set<string>; users: Set<string>; returned: Set<string>; cents: number; net: number; items: number }>();
    const cat = new Map<string, { orders: Set<string>; returned: Set<string>; cents: number; net: number; items: number }>();
    for (const o of orders.values()) {
      const date = o.created_at!.slice(0, 10);
      const d = day.get(date) ?? { orders: new Set(), users: new Set(), returned: new Set(), cents: 0, net: 0, items: 0 };
      d.orders.add(o.order_id!);
      d.users.add(o.user_id!);
      if (o.status!.toLowerCase() === 'returned') d.returned.add(o.order_id!);
      day.set(date, d);
    }
    for (const it of rowsOf('order_items')) {
      const o = orders.get(it.order_id!)!;
      const date = o.created_at!.slice(0, 10);
      const cents = centsOf(it.sale_price!);
      const status = o.status!.toLowerCase();
      const net = status === 'returned' || status === 'cancelled' ? 0 : cents;
      const d = day.get(date)!;
      d.cents += cents;
      d.net += net;
      d.items += 1;
      const key = `${category.get(it.product_id!)}|${date}`;
      const c = cat.get(key) ?? { orders: new Set(), returned: new Set(), cents: 0, net: 0, items: 0 };
      c.orders.add(o.order_id!);
      if (status === 'returned') c.returned.add(o.order_id!);
      c.cents += cents;
      c.net += net;
      c.items += 1;
      cat.set(key, c);
    }

    assert.is(result.kpis.order.length, 31);
    assert.is(result.kpis.category.length, 215);
    assert.equal(result.kpis.order.map((r) => r.order_date), [...day.keys()].sort());
    for (const row of result.kpis.order) {
      const d = day.get(row.order_date)!;
      assert.is(row.total_orders, d.orders.size);
      assert.is(Math.round(row.total_revenue * 100), d.cents);
      assert.is(Math.round(row.net_revenue * 100), d.net);
      assert.is(row.total_items_sold, d.items);
      assert.is(row.unique_customers, d.users.size);
      assert.is(row.returned_orders, d.returned.size);
      near(row.return_rate, d.returned.size / d.orders.size, 4);
    }
    assert.equal(result.kpis.category.map((r) => `${r.category}|${r.order_date}`).sort(), [...cat.keys()].sort());
    for (const row of result.kpis.category) {
      const c = cat.get(`${row.category}|${row.order_date}`)!;
      assert.is(Math.round(row.daily_revenue * 100), c.cents);
      assert.is(Math.round(row.net_revenue * 100), c.net);
      assert.is(row.order_count, c.orders.size);
      assert.is(row.items_sold, c.items);
      near(row.avg_order_value, r2(c.cents, c.orders.size) / 100, 2);
      near(row.avg_return_rate, c.returned.size / c.orders.size, 4);
    }
    const total = result.kpis.order.reduce((s, r) => s + r.total_items_sold, 0);
    assert.is(total, 27_007);

    const again = await runLocal({ input: COURSE, lake, maxRejectRate: 0.05, archive: false });
    assert.is(again.validation.batch_id, result.validation.batch_id);
    assert.is(JSON.stringify(again.kpis), JSON.stringify(result.kpis));
  }));

test.run();
