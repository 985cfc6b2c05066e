-- The bundled example database: a small shop's regions, customers,
-- products, orders and order items. Press Ctrl+Enter to run the query.
SELECT r.name AS region,
       COUNT(DISTINCT o.order_id) AS orders,
       ROUND(SUM(i.quantity * i.unit_price * (1 - i.discount)), 2) AS revenue
FROM order_items AS i
JOIN orders AS o ON o.order_id = i.order_id
JOIN customers AS c ON c.customer_id = o.customer_id
JOIN regions AS r ON r.region_id = c.region_id
WHERE o.status <> 'cancelled'
GROUP BY r.name
ORDER BY revenue DESC;
