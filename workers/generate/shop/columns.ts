// Column layout of each kind as TheLook exports it, and which columns DESIGN §3 requires.
import type { Kind } from '../../core/records.js';

export const COLUMNS: Readonly<Record<Kind, ReadonlyArray<string>>> = {
  products: ['id', 'cost', 'category', 'name', 'brand', 'retail_price', 'department', 'sku', 'distribution_center_id'],
  orders: ['order_id', 'user_id', 'status', 'gender', 'created_at', 'returned_at', 'shipped_at', 'delivered_at', 'num_of_item'],
  order_items: [
    'id',
    'order_id',
    'user_id',
    'product_id',
    'inventory_item_id',
    'status',
    'created_at',
    'shipped_at',
    'delivered_at',
    'returned_at',
    'sale_price',
  ],
};

export const REQUIRED: Readonly<Record<Kind, ReadonlyArray<string>>> = {
  products: ['id', 'sku', 'cost', 'category', 'retail_price'],
  orders: ['order_id', 'user_id', 'created_at', 'status'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price'],
};

/**
 * A row as the shop writes it. Numbers are written as numbers (JSON numbers; `%.17g` in CSV),
 * strings as strings, `undefined` as an empty CSV field or an absent JSON key.
 */
export type Cell = string | number | undefined;
export type Row = Record<string, Cell>;
