-- The category_kpis table (DESIGN §5) recomputed from orders and order_items: one row per
-- (category, order_date) over the orders with an item in the category. Same shared SQL and
-- integer rounding as order_kpis.sql.
WITH per_order AS (
  SELECT
    i.category,
    i.order_date,
    o.batch_id,
    o.batch_seq,
    o.batch_committed_at,
    CASE WHEN o.status = 'Returned' THEN 1 ELSE 0 END AS returned,
    COUNT(*) AS items,
    CAST(SUM(i.sale_price) * 100 AS BIGINT) AS cents,
    CASE WHEN o.status IN ('Cancelled', 'Returned') THEN 0 ELSE CAST(SUM(i.sale_price) * 100 AS BIGINT) END AS net_cents
  FROM order_items i
  JOIN orders o ON o.order_date = i.order_date AND o.order_id = i.order_id
  GROUP BY i.category, i.order_date, i.order_id, o.status, o.batch_id, o.batch_seq, o.batch_committed_at
)
SELECT
  category,
  CAST(order_date AS VARCHAR) AS order_date,
  CAST(SUM(cents) * CAST(0.01 AS DECIMAL(3, 2)) AS DECIMAL(18, 2)) AS daily_revenue,
  CAST(CAST(floor((2 * SUM(cents) + COUNT(*)) / (2 * COUNT(*))) AS BIGINT) * CAST(0.01 AS DECIMAL(3, 2)) AS DECIMAL(18, 2)) AS avg_order_value,
  CAST(CAST(floor((2 * SUM(returned) * 10000 + COUNT(*)) / (2 * COUNT(*))) AS BIGINT) * CAST(0.0001 AS DECIMAL(5, 4)) AS DECIMAL(9, 4)) AS avg_return_rate,
  COUNT(*) AS order_count,
  SUM(items) AS items_sold,
  SUM(returned) AS returned_orders,
  CAST(SUM(net_cents) * CAST(0.01 AS DECIMAL(3, 2)) AS DECIMAL(18, 2)) AS net_revenue,
  max_by(batch_committed_at, batch_seq) AS updated_at,
  max_by(batch_id, batch_seq) AS batch_id
FROM per_order
GROUP BY category, order_date
ORDER BY category, order_date
