// The few fields of cleaned rows the KPIs need, checked structurally. The cleaned zone is written
// by the validate worker through the io-ts codecs of records.ts, so full decoding here would
// re-check millions of fields that cannot be wrong; a line that does not even have these fields
// means a corrupt lake, and the transform stops rather than count it.
import { OrderStatus } from './records.js';

export interface KpiOrder {
  readonly order_id: string;
  readonly user_id: string;
  readonly status: OrderStatus;
  readonly order_date: string;
}

export interface KpiItem {
  readonly order_id: string;
  readonly category: string;
  readonly sale_price_cents: number;
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null;
const isCents = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0;

export const kpiOrderOf = (u: unknown): KpiOrder | undefined =>
  isRecord(u) &&
  typeof u.order_id === 'string' &&
  typeof u.user_id === 'string' &&
  typeof u.order_date === 'string' &&
  OrderStatus.is(u.status)
    ? { order_id: u.order_id, user_id: u.user_id, status: u.status, order_date: u.order_date }
    : undefined;

export const kpiItemOf = (u: unknown): KpiItem | undefined =>
  isRecord(u) && typeof u.order_id === 'string' && typeof u.category === 'string' && isCents(u.sale_price_cents)
    ? (u as unknown as KpiItem)
    : undefined;
