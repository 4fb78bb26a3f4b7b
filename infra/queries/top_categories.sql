-- Analyst example: the ten categories with the most gross revenue over the lake's history.
SELECT
  category,
  CAST(SUM(daily_revenue) AS DECIMAL(18, 2)) AS revenue,
  SUM(order_count) AS orders,
  SUM(items_sold) AS items_sold,
  CAST(SUM(net_revenue) AS DECIMAL(18, 2)) AS net_revenue
FROM category_kpis
GROUP BY category
ORDER BY revenue DESC, category
LIMIT 10
