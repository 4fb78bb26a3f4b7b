// The demo's HTML report, pure: KPI rows, validation reports and execution outcomes in, one
// self-contained page out (inline SVG charts and CSS, no script, no external asset), so it opens
// anywhere, offline, and renders the same in a headless browser.
export interface OrderKpiRow {
  readonly order_date: string;
  readonly total_orders: number;
  readonly total_revenue: number;
  readonly total_items_sold?: number;
  readonly return_rate?: number;
  readonly unique_customers?: number;
}

export interface CategoryKpiRow {
  readonly category: string;
  readonly order_date: string;
  readonly daily_revenue: number;
  readonly avg_order_value?: number;
  readonly avg_return_rate?: number;
  readonly order_count?: number;
  readonly returned_orders?: number;
}

export interface KindSummary {
  readonly rows_read: number;
  readonly rows_cleaned: number;
  readonly rows_quarantined: number;
}

export interface ValidationSummary {
  readonly batch_id: string;
  readonly verdict: string;
  readonly reasons: ReadonlyArray<string>;
  readonly kinds: Readonly<Record<string, KindSummary>>;
  readonly reason_counts: Readonly<Record<string, number>>;
}

export interface ExecutionSummary {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
  readonly seconds: number;
}

export interface ReportData {
  readonly title: string;
  readonly generatedAt: string;
  readonly orders: ReadonlyArray<OrderKpiRow>;
  readonly categories: ReadonlyArray<CategoryKpiRow>;
  readonly validations: ReadonlyArray<ValidationSummary>;
  readonly executions: ReadonlyArray<ExecutionSummary>;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const money = (n: number): string => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
const fmt = (n: number): string => (Math.abs(n) >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(Math.round(n)));

/** A "nice" axis maximum at or above `max`: 1, 2 or 5 times a power of ten. */
export const niceMax = (max: number): number => {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p);
};

const W = 860;

/** Vertical bars (left axis) with an optional line (right axis), one point per label. */
export const barLineChart = (
  labels: ReadonlyArray<string>,
  bars: ReadonlyArray<number>,
  barName: string,
  line?: { values: ReadonlyArray<number>; name: string },
): string => {
  const H = 300;
  const m = { l: 64, r: line ? 56 : 16, t: 24, b: 64 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const n = Math.max(labels.length, 1);
  const bmax = niceMax(Math.max(0, ...bars));
  const lmax = niceMax(Math.max(0, ...(line?.values ?? [0])));
  const step = iw / n;
  const x = (i: number) => m.l + i * step;
  const yb = (v: number) => m.t + ih - (v / bmax) * ih;
  const yl = (v: number) => m.t + ih - (v / lmax) * ih;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const every = Math.ceil(n / 16);
  const parts: string[] = [];
  for (const t of ticks) {
    const y = m.t + ih - t * ih;
    parts.push(`<line x1="${m.l}" x2="${m.l + iw}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y + 4}" class="axis" text-anchor="end">${fmt(t * bmax)}</text>`);
    if (line) parts.push(`<text x="${m.l + iw + 6}" y="${y + 4}" class="axis">${fmt(t * lmax)}</text>`);
  }
  bars.forEach((v, i) => {
    const y = yb(v);
    parts.push(
      `<rect x="${(x(i) + step * 0.12).toFixed(1)}" y="${y.toFixed(1)}" width="${(step * 0.76).toFixed(1)}" height="${(m.t + ih - y).toFixed(1)}" class="bar"><title>${escapeHtml(labels[i] ?? '')}: ${money(v)}</title></rect>`,
    );
  });
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const cx = x(i) + step / 2;
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${m.t + ih + 12}" class="axis" text-anchor="end" transform="rotate(-45 ${cx.toFixed(1)} ${m.t + ih + 12})">${escapeHtml(label)}</text>`,
    );
  });
  if (line && line.values.length > 0) {
    const pts = line.values.map((v, i) => `${(x(i) + step / 2).toFixed(1)},${yl(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" class="line"/>`);
    line.values.forEach((v, i) =>
      parts.push(`<circle cx="${(x(i) + step / 2).toFixed(1)}" cy="${yl(v).toFixed(1)}" r="2.5" class="dot"><title>${escapeHtml(labels[i] ?? '')}: ${v}</title></circle>`),
    );
  }
  const legend = `<g class="legend"><rect x="${m.l}" y="4" width="10" height="10" class="bar"/><text x="${m.l + 14}" y="13">${escapeHtml(barName)} (left)</text>${
    line ? `<line x1="${m.l + 200}" x2="${m.l + 216}" y1="9" y2="9" class="line"/><text x="${m.l + 220}" y="13">${escapeHtml(line.name)} (right)</text>` : ''
  }</g>`;
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(barName)}">${legend}${parts.join('')}</svg>`;
};

/** Horizontal bars with a value label; for categories and reason codes. */
export const hbarChart = (rows: ReadonlyArray<readonly [string, number]>, format: (v: number) => string, cls = 'bar'): string => {
  const rowH = 22;
  const m = { l: 190, r: 90, t: 8, b: 8 };
  const H = m.t + m.b + Math.max(rows.length, 1) * rowH;
  const iw = W - m.l - m.r;
  const max = Math.max(0, ...rows.map(([, v]) => v)) || 1;
  const parts = rows.map(([label, v], i) => {
    const y = m.t + i * rowH;
    const w = (v / max) * iw;
    return `<text x="${m.l - 8}" y="${y + 15}" class="axis" text-anchor="end">${escapeHtml(label)}</text><rect x="${m.l}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" class="${cls}"><title>${escapeHtml(label)}: ${format(v)}</title></rect><text x="${(m.l + w + 6).toFixed(1)}" y="${y + 15}" class="value">${format(v)}</text>`;
  });
  if (rows.length === 0) parts.push(`<text x="${m.l}" y="${m.t + 15}" class="axis">none</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img">${parts.join('')}</svg>`;
};

export interface CategoryTotals {
  readonly category: string;
  readonly revenue: number;
  readonly orders: number;
  readonly returnRate: number;
}

/** Per-category totals over every date; the return rate is weighted by each day's orders. */
export const categoryTotals = (rows: ReadonlyArray<CategoryKpiRow>): ReadonlyArray<CategoryTotals> => {
  const acc = new Map<string, { cents: number; orders: number; returned: number }>();
  for (const r of rows) {
    const a = acc.get(r.category) ?? { cents: 0, orders: 0, returned: 0 };
    const orders = r.order_count ?? (r.avg_order_value && r.avg_order_value > 0 ? Math.round(r.daily_revenue / r.avg_order_value) : 0);
    a.cents += Math.round(r.daily_revenue * 100);
    a.orders += orders;
    a.returned += r.returned_orders ?? Math.round((r.avg_return_rate ?? 0) * orders);
    acc.set(r.category, a);
  }
  return [...acc.entries()]
    .map(([category, a]) => ({ category, revenue: a.cents / 100, orders: a.orders, returnRate: a.orders > 0 ? a.returned / a.orders : 0 }))
    .sort((x, y) => y.revenue - x.revenue || (x.category < y.category ? -1 : 1));
};

export const renderReport = (data: ReportData): string => {
  const orders = [...data.orders].sort((a, b) => (a.order_date < b.order_date ? -1 : 1));
  const cats = categoryTotals(data.categories);
  const reasons = new Map<string, number>();
  data.validations.forEach((v) => Object.entries(v.reason_counts).forEach(([k, n]) => reasons.set(k, (reasons.get(k) ?? 0) + n)));
  const reasonRows = [...reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const totalRevenue = orders.reduce((s, o) => s + Math.round(o.total_revenue * 100), 0) / 100;
  const totalOrders = orders.reduce((s, o) => s + o.total_orders, 0);
  const kindRows = data.validations.flatMap((v) =>
    Object.entries(v.kinds).map(
      ([kind, k]) =>
        `<tr><td><code>${escapeHtml(v.batch_id)}</code></td><td>${escapeHtml(v.verdict)}</td><td>${escapeHtml(kind)}</td><td>${k.rows_read}</td><td>${k.rows_cleaned}</td><td>${k.rows_quarantined}</td></tr>`,
    ),
  );
  const execRows = data.executions.map(
    (e) =>
      `<tr><td><code>${escapeHtml(e.name)}</code></td><td class="${e.status === 'SUCCEEDED' ? 'ok' : 'bad'}">${escapeHtml(e.status)}</td><td>${escapeHtml(e.error ?? '')}</td><td>${e.seconds.toFixed(1)} s</td></tr>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:900px;color:#1d2733;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
.meta{color:#5b6b7c}.cards{display:flex;gap:12px;margin:16px 0}.card{flex:1;border:1px solid #dde3ea;border-radius:6px;padding:10px 14px}
.card b{display:block;font-size:20px}table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #eef1f4;padding:4px 6px;text-align:left}
svg{display:block;max-width:100%;height:auto}.grid{stroke:#e6eaef}.axis{font-size:11px;fill:#5b6b7c}.value{font-size:11px;fill:#1d2733}
.bar{fill:#3b7dd8}.bar2{fill:#e07b39}.bar3{fill:#c0392b}.line{fill:none;stroke:#e07b39;stroke-width:2}.dot{fill:#e07b39}.legend text{font-size:12px;fill:#1d2733}
.ok{color:#1e8449}.bad{color:#c0392b}code{font-size:12px}
</style></head><body>
<h1>${escapeHtml(data.title)}</h1>
<div class="meta">generated ${escapeHtml(data.generatedAt)}</div>
<div class="cards"><div class="card">revenue<b>${money(totalRevenue)}</b></div><div class="card">orders<b>${totalOrders}</b></div><div class="card">order dates<b>${orders.length}</b></div><div class="card">categories<b>${cats.length}</b></div></div>
<h2>Daily revenue and orders</h2>
${barLineChart(orders.map((o) => o.order_date), orders.map((o) => o.total_revenue), 'revenue', { values: orders.map((o) => o.total_orders), name: 'orders' })}
<h2>Revenue by category</h2>
${hbarChart(cats.map((c) => [c.category, c.revenue] as const), money)}
<h2>Return rate by category</h2>
${hbarChart(cats.map((c) => [c.category, c.returnRate] as const), pct, 'bar2')}
<h2>Quarantine reasons (rows)</h2>
${hbarChart(reasonRows, (v) => String(v), 'bar3')}
<h2>Validation</h2>
<table><tr><th>batch</th><th>verdict</th><th>kind</th><th>read</th><th>cleaned</th><th>quarantined</th></tr>${kindRows.join('')}</table>
<h2>Executions</h2>
<table><tr><th>execution</th><th>status</th><th>error</th><th>duration</th></tr>${execRows.join('')}</table>
</body></html>
`;
};
