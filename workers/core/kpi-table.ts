// KPI rows as aligned text tables for terminals (kpis, run-local). Money with 2 decimals and
// rates with 4, always printed in full so columns line up.
import type { CategoryKpiRow, OrderKpiRow } from './kpi-rows.js';

type Cell = string | number;
interface Column<R> {
  readonly title: string;
  readonly cell: (r: R) => Cell;
  readonly decimals?: number;
}

const render = <R>(columns: ReadonlyArray<Column<R>>, rows: ReadonlyArray<R>): string => {
  const text = rows.map((r) =>
    columns.map((c) => {
      const v = c.cell(r);
      return typeof v === 'number' && c.decimals !== undefined ? v.toFixed(c.decimals) : String(v);
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.title.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (typeof columns[i]!.cell(rows[0]!) === 'number' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  if (rows.length === 0) return `${columns.map((c) => c.title).join('  ')}\n(no rows)\n`;
  return [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n') + '\n';
};

export const orderTable = (rows: ReadonlyArray<OrderKpiRow>): string =>
  render<OrderKpiRow>(
    [
      { title: 'order_date', cell: (r) => r.order_date },
      { title: 'total_orders', cell: (r) => r.total_orders },
      { title: 'total_revenue', cell: (r) => r.total_revenue, decimals: 2 },
      { title: 'total_items_sold', cell: (r) => r.total_items_sold },
      { title: 'return_rate', cell: (r) => r.return_rate, decimals: 4 },
      { title: 'unique_customers', cell: (r) => r.unique_customers },
      { title: 'net_revenue', cell: (r) => r.net_revenue, decimals: 2 },
    ],
    rows,
  );

export const categoryTable = (rows: ReadonlyArray<CategoryKpiRow>): string =>
  render<CategoryKpiRow>(
    [
      { title: 'category', cell: (r) => r.category },
      { title: 'order_date', cell: (r) => r.order_date },
      { title: 'daily_revenue', cell: (r) => r.daily_revenue, decimals: 2 },
      { title: 'avg_order_value', cell: (r) => r.avg_order_value, decimals: 2 },
      { title: 'avg_return_rate', cell: (r) => r.avg_return_rate, decimals: 4 },
      { title: 'order_count', cell: (r) => r.order_count },
      { title: 'items_sold', cell: (r) => r.items_sold },
      { title: 'net_revenue', cell: (r) => r.net_revenue, decimals: 2 },
    ],
    rows,
  );
