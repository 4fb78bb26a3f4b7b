-- The order_kpis table (DESIGN §5) recomputed from orders and order_items: one row per order_date.
-- Written in the SQL Athena (Trino) and DuckDB share, so it runs unchanged on both: rounding half
-- away from zero as integer arithmetic (floor((2a + b) / 2b), exact below 2^53 in either engine),
-- scaled back by multiplying with a cast decimal (exact in both; decimal division is not, and
-- DuckDB reads an unsized DECIMAL literal as DECIMAL(18,3)).
WITH item_totals AS (
  SELECT order_date, order_id, COUNT(*) AS items, SUM(sale_price) AS revenue
  FROM order_items
  GROUP BY order_date, order_id
),
per_order AS (
  SELECT
    o.order_date,
    o.user_id,
    o.batch_id,
    o.batch_seq,
    o.batch_committed_at,
    CASE WHEN o.status = 'Returned' THEN 1 ELSE 0 END AS returned,
    COALESCE(t.items, 0) AS items,
    CAST(COALESCE(t.revenue, 0) * 100 AS BIGINT) AS cents,
    CASE WHEN o.status IN ('Cancelled', 'Returned') THEN 0 ELSE CAST(COALESCE(t.revenue, 0) * 100 AS BIGINT) END AS net_cents
  FROM orders o
  LEFT JOIN item_totals t ON t.order_date = o.order_date AND t.order_id = o.order_id
)
SELECT
  CAST(order_date AS VARCHAR) AS order_date,
  COUNT(*) AS total_orders,
  CAST(SUM(cents) * CAST(0.01 AS DECIMAL(3, 2)) AS DECIMAL(18, 2)) AS total_revenue,
  SUM(items) AS total_items_sold,
  CAST(CAST(floor((2 * SUM(returned) * 10000 + COUNT(*)) / (2 * COUNT(*))) AS BIGINT) * CAST(0.0001 AS DECIMAL(5, 4)) AS DECIMAL(9, 4)) AS return_rate,
  COUNT(DISTINCT user_id) AS unique_customers,
  SUM(returned) AS returned_orders,
  CAST(SUM(net_cents) * CAST(0.01 AS DECIMAL(3, 2)) AS DECIMAL(18, 2)) AS net_revenue,
  max_by(batch_committed_at, batch_seq) AS updated_at,
  max_by(batch_id, batch_seq) AS batch_id
FROM per_order
GROUP BY order_date
ORDER BY order_date
