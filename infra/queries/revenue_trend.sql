-- Analyst example: daily gross and net revenue with a trailing 7-day average of gross revenue.
SELECT
  CAST(order_date AS VARCHAR) AS order_date,
  total_orders,
  total_revenue,
  net_revenue,
  CAST(AVG(total_revenue) OVER (ORDER BY order_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS DECIMAL(18, 2)) AS revenue_7d_avg
FROM order_kpis
ORDER BY order_date
