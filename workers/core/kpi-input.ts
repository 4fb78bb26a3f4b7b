// The few fields of cleaned rows the KPIs need, checked structurally. The cleaned zone is written
// by the validate worker through the io-ts codecs of records.ts, so full decoding here would
// re-check millions of fields that cannot be wrong; a line that does not even have these fields
// means a corrupt lake, and the transform stops rather than count it.
import { Buffer } from 'node:buffer';
import { plainIntField, plainStringField, stringMarker } from './flat-json-fields.js';
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

// ---- lines as byte strings ------------------------------------------------------------------
// The transform reads cleaned lines decoded as latin1 ("byte strings": one char per byte, the
// cheapest decoding there is). JSON syntax and the keys are ASCII, and UTF-8 never puts an ASCII
// byte inside a multi-byte character, so searching keys and quotes is exact on byte strings; only
// the values taken out are decoded back to UTF-8, and only when they hold a non-ASCII byte.

const NON_ASCII = /[^\x00-\x7f]/;
export const utf8OfBytes = (bytes: string): string =>
  NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes;

/**
 * The text of a byte string, as a string of its own. A slice of a line is, in V8, a view of the
 * whole chunk the line was split from (hundreds of kilobytes): a category name kept in the KPI
 * rows of every date as such a view kept every date's item text alive, 300 MB on the four-year
 * shop. Decoding copies.
 */
const ownedText = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');

const field = (line: string, key: string): string | undefined => {
  const v = plainStringField(line, key);
  return v === undefined ? undefined : utf8OfBytes(v);
};

/** The KPI fields of one cleaned order line (a byte string): read in place when plain, else parsed. */
export const kpiOrderOfLine = (line: string): KpiOrder | undefined => {
  if (line.indexOf('\\') >= 0) return kpiOrderOf(JSON.parse(utf8OfBytes(line)));
  const order_id = field(line, 'order_id');
  const user_id = field(line, 'user_id');
  const status = plainStringField(line, 'status');
  const order_date = plainStringField(line, 'order_date');
  return order_id !== undefined && user_id !== undefined && order_date !== undefined && OrderStatus.is(status)
    ? { order_id, user_id, status, order_date }
    : kpiOrderOf(JSON.parse(utf8OfBytes(line)));
};

/** Start of the plain string value of `key` and its end (the closing quote), or undefined. */
const stringSpan = (line: string, key: string): readonly [number, number] | undefined => {
  const marker = stringMarker(key);
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  const start = at + marker.length;
  const end = line.indexOf('"', start);
  return end < 0 ? undefined : [start, end];
};
const sameText = (line: string, [start, end]: readonly [number, number], text: string): boolean =>
  end - start === text.length && line.startsWith(text, start);

/**
 * A reader of cleaned item lines (byte strings). Consecutive items mostly share their order and a
 * shop has few categories, so it reuses the previous line's order id and category strings when
 * the bytes match: the common line allocates nothing but its own text. The returned record is
 * reused by the next call: read it before calling again.
 */
export const itemLineReader = (): ((line: string) => KpiItem | undefined) => {
  const slot = { order_id: '', category: '', sale_price_cents: 0 };
  // categories seen so far, as bytes and as text; a shop has a handful, so a scan finds them
  const seenBytes: string[] = [];
  const seenText: string[] = [];
  return (line) => {
    const orderSpan = line.indexOf('\\') < 0 ? stringSpan(line, 'order_id') : undefined;
    const categorySpan = orderSpan && stringSpan(line, 'category');
    const cents = categorySpan && plainIntField(line, 'sale_price_cents');
    if (orderSpan === undefined || categorySpan === undefined || cents === undefined) {
      const parsed = kpiItemOf(JSON.parse(utf8OfBytes(line)));
      if (!parsed) return undefined;
      slot.order_id = parsed.order_id;
      slot.category = parsed.category;
      slot.sale_price_cents = parsed.sale_price_cents;
      return slot;
    }
    if (!sameText(line, orderSpan, slot.order_id)) slot.order_id = utf8OfBytes(line.slice(orderSpan[0], orderSpan[1]));
    let k = 0;
    while (k < seenBytes.length && !sameText(line, categorySpan, seenBytes[k]!)) k++;
    if (k === seenBytes.length) {
      const raw = line.slice(categorySpan[0], categorySpan[1]);
      if (seenBytes.length < 256) {
        seenBytes.push(raw);
        seenText.push(ownedText(raw));
      } else k = -1;
      slot.category = k < 0 ? utf8OfBytes(raw) : seenText[k]!;
    } else slot.category = seenText[k]!;
    slot.sale_price_cents = cents;
    return slot;
  };
};
