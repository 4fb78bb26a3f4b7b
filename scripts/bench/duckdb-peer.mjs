// The benchmark's peer: DuckDB doing the pipeline's job in SQL on the same files — the row rules of
// docs/validation-semantics.md (required, types, status set, chronology, non-negative money, first
// valid occurrence of a key, items referring to valid orders and known products), then both KPI
// tables of DESIGN §5. Every core (DuckDB's default threads). Prints one JSON line: row counts and
// KPI sums, which the bench compares with the pipeline's own KPIs (a peer that computed something
// else would not be a peer). Usage: node scripts/bench/duckdb-peer.mjs <shop dir>
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const COLUMNS = {
  products: ['id', 'sku', 'cost', 'category', 'retail_price'],
  orders: ['order_id', 'user_id', 'status', 'created_at', 'shipped_at', 'delivered_at', 'returned_at', 'num_of_item'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price', 'created_at', 'shipped_at', 'delivered_at', 'returned_at'],
};

const list = (files) => `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
const varchar = (cols) => `{${cols.map((c) => `${c}: 'VARCHAR'`).join(', ')}}`;

/** One relation over a kind's files of every format, each row with its file and its place in it. */
const source = (kind) => {
  const files = readdirSync(join(dir, kind)).sort().map((f) => join(dir, kind, f));
  const csv = files.filter((f) => /\.csv(\.gz)?$/.test(f));
  const json = files.filter((f) => /\.json(\.gz)?$/.test(f));
  const ndjson = files.filter((f) => /\.(ndjson|jsonl)(\.gz)?$/.test(f));
  const cols = COLUMNS[kind].join(', ');
  const parts = [];
  // all_varchar + union_by_name: columns by header name, values as their text (the rules decide)
  if (csv.length) parts.push(`SELECT ${cols}, filename FROM read_csv(${list(csv)}, all_varchar = true, union_by_name = true, filename = true, header = true, delim = ',', quote = '"', escape = '"')`);
  if (json.length) parts.push(`SELECT ${cols}, filename FROM read_json(${list(json)}, format = 'array', columns = ${varchar(COLUMNS[kind])}, filename = true)`);
  if (ndjson.length) parts.push(`SELECT ${cols}, filename FROM read_json(${list(ndjson)}, format = 'newline_delimited', columns = ${varchar(COLUMNS[kind])}, filename = true)`);
  return `(SELECT *, row_number() OVER () AS rn FROM (${parts.join(' UNION ALL ')}))`;
};

const SQL = `
CREATE MACRO present(x) AS x IS NOT NULL AND trim(x) <> '';
CREATE MACRO money_ok(x) AS regexp_full_match(trim(x), '[0-9]+(\\.[0-9]+)?');
CREATE MACRO cents(x) AS CAST(round(CAST(trim(x) AS DECIMAL(38, 10)) * 100) AS BIGINT);
CREATE MACRO ts(x) AS TRY_CAST(regexp_replace(trim(x), ' UTC$', '') AS TIMESTAMPTZ);
CREATE MACRO ts_ok(x) AS NOT present(x) OR ts(x) IS NOT NULL;

CREATE TABLE products AS
  SELECT trim(id) AS id, trim(category) AS category FROM ${source('products')}
  WHERE present(id) AND present(sku) AND present(category) AND money_ok(cost) AND money_ok(retail_price)
  QUALIFY row_number() OVER (PARTITION BY trim(id) ORDER BY filename, rn) = 1;

CREATE TABLE orders AS
  SELECT trim(order_id) AS order_id, trim(user_id) AS user_id, lower(trim(status)) AS status,
         CAST(timezone('UTC', ts(created_at)) AS DATE) AS order_date
  FROM ${source('orders')}
  WHERE present(order_id) AND present(user_id)
    AND lower(trim(status)) IN ('processing', 'shipped', 'delivered', 'complete', 'cancelled', 'returned')
    AND ts(created_at) IS NOT NULL AND ts_ok(shipped_at) AND ts_ok(delivered_at) AND ts_ok(returned_at)
    AND (NOT present(num_of_item) OR regexp_full_match(trim(num_of_item), '[0-9]{1,15}'))
    AND coalesce(ts(shipped_at) >= ts(created_at), true)
    AND coalesce(ts(delivered_at) >= ts(shipped_at), true)
    AND coalesce(ts(returned_at) >= ts(delivered_at), true)
  QUALIFY row_number() OVER (PARTITION BY trim(order_id) ORDER BY filename, rn) = 1;

CREATE TABLE items AS
  SELECT i.*, o.order_date, o.status, o.user_id, p.category FROM (
    SELECT trim(id) AS id, trim(order_id) AS order_id, trim(product_id) AS product_id, cents(sale_price) AS cents, filename, rn
    FROM ${source('order_items')}
    WHERE present(id) AND present(order_id) AND present(product_id) AND money_ok(sale_price)
      AND ts_ok(created_at) AND ts_ok(shipped_at) AND ts_ok(delivered_at) AND ts_ok(returned_at)
  ) i
  JOIN orders o USING (order_id) JOIN products p ON p.id = i.product_id
  QUALIFY row_number() OVER (PARTITION BY i.id ORDER BY i.filename, i.rn) = 1;

CREATE TABLE order_kpis AS
  SELECT o.order_date, count(*) AS total_orders, sum(coalesce(s.cents, 0)) AS revenue_cents, sum(coalesce(s.n, 0)) AS items_sold,
         count(*) FILTER (WHERE o.status = 'returned') AS returned_orders, count(DISTINCT o.user_id) AS unique_customers,
         sum(CASE WHEN o.status IN ('cancelled', 'returned') THEN 0 ELSE coalesce(s.cents, 0) END) AS net_cents
  FROM orders o LEFT JOIN (SELECT order_id, sum(cents) AS cents, count(*) AS n FROM items GROUP BY order_id) s USING (order_id)
  GROUP BY o.order_date;

CREATE TABLE category_kpis AS
  SELECT category, order_date, sum(cents) AS revenue_cents, count(DISTINCT order_id) AS order_count, count(*) AS items_sold,
         count(DISTINCT order_id) FILTER (WHERE status = 'returned') AS returned_orders,
         round(sum(cents) / count(DISTINCT order_id)) AS avg_order_value_cents
  FROM items GROUP BY category, order_date;
`;

const db = await DuckDBInstance.create(':memory:');
const connection = await db.connect();
await connection.run(SQL);
const totals = await connection.runAndReadAll(`
  SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM items) AS items,
         (SELECT sum(revenue_cents) FROM order_kpis) AS revenue_cents, (SELECT count(*) FROM order_kpis) AS order_kpi_rows,
         (SELECT count(*) FROM category_kpis) AS category_kpi_rows`);
const [row] = totals.getRowObjectsJson();
process.stdout.write(`${JSON.stringify(row)}\n`);
