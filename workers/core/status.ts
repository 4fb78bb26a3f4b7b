// Order status: six values, matched case-insensitively after trimming, stored capitalised
// (real data has both `Complete` and `delivered`).
import type { OrderStatus } from './records.js';

const BY_LOWER: ReadonlyMap<string, OrderStatus> = new Map(
  (['Processing', 'Shipped', 'Delivered', 'Complete', 'Cancelled', 'Returned'] as const).map((s) => [s.toLowerCase(), s]),
);

export const normaliseStatus = (text: string): OrderStatus | undefined => BY_LOWER.get(text.trim().toLowerCase());
