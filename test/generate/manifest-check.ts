// An independent check of a generator manifest against the files it describes: rows per file,
// positions, totals, and for each row the codes one can see without a validator (blank required
// fields, negative or non-decimal money, unknown status, repeated keys, references to rows that
// are not clean).
import * as assert from 'uvu/assert';
import type { GeneratorManifest } from '../../workers/generate/shop/manifest.js';
import { readRecords, type Value } from './read-back.js';

const REQUIRED: Record<string, string[]> = {
  products: ['id', 'sku', 'cost', 'category', 'retail_price'],
  orders: ['order_id', 'user_id', 'created_at', 'status'],
  order_items: ['id', 'order_id', 'product_id', 'sale_price'],
};
const KEY: Record<string, string> = { products: 'id', orders: 'order_id', order_items: 'id' };
const MONEY: Record<string, string[]> = { products: ['cost', 'retail_price'], orders: [], order_items: ['sale_price'] };
const STATUSES = ['processing', 'shipped', 'delivered', 'complete', 'cancelled', 'returned'];
const text = (v: Value): string => (v === undefined || v === null ? '' : String(v).trim());
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Checks a manifest against its files: rows per file, positions, totals, and for each row the
 * codes one can see without a validator (blank required fields, negative money, unknown status,
 * repeated keys, references to rows that are not clean).
 */
export const checkAgainstFiles = (dir: string, m: GeneratorManifest): void => {
  const cleanIds: Record<string, Set<string>> = { products: new Set(), orders: new Set(), order_items: new Set() };
  const order = ['products', 'orders', 'order_items'];
  const files = [...m.files].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.key < b.key ? -1 : 1));
  for (const f of files) {
    const records = readRecords(dir, f.key, f.format);
    assert.is(records.length, f.rows, `${f.key}: rows`);
    assert.is(f.rows_written, f.rows);
    const codesAt = new Map(f.quarantined.map((q) => [q.line ?? q.index, q.codes]));
    assert.is(codesAt.size, f.quarantined.length, `${f.key}: one entry per row`);
    for (const q of f.quarantined) assert.equal([...q.codes], [...q.codes].sort());
    for (const r of records) {
      const codes = codesAt.get(r.at) ?? [];
      codesAt.delete(r.at);
      const has = (c: string) => codes.includes(c as never);
      const blank = REQUIRED[f.kind]!.some((c) => text(r.fields[c]) === '');
      assert.is(has('MISSING_FIELD'), blank, `${f.key}@${r.at} MISSING_FIELD`);
      const negative = MONEY[f.kind]!.some((c) => DECIMAL.test(text(r.fields[c])) && text(r.fields[c]).startsWith('-'));
      assert.is(has('NEGATIVE_MONEY'), negative, `${f.key}@${r.at} NEGATIVE_MONEY`);
      const badMoney = MONEY[f.kind]!.some((c) => text(r.fields[c]) !== '' && !DECIMAL.test(text(r.fields[c])));
      if (badMoney) assert.ok(has('INVALID_TYPE'), `${f.key}@${r.at} INVALID_TYPE`);
      if (f.kind === 'orders') {
        const status = text(r.fields.status).toLowerCase();
        assert.is(has('UNKNOWN_STATUS'), status !== '' && !STATUSES.includes(status), `${f.key}@${r.at} UNKNOWN_STATUS`);
      }
      if (f.kind === 'order_items') {
        const oid = text(r.fields.order_id);
        const pid = text(r.fields.product_id);
        assert.is(has('UNKNOWN_ORDER'), oid !== '' && !cleanIds.orders!.has(oid), `${f.key}@${r.at} UNKNOWN_ORDER`);
        assert.is(has('UNKNOWN_PRODUCT'), pid !== '' && !cleanIds.products!.has(pid), `${f.key}@${r.at} UNKNOWN_PRODUCT`);
      }
      const key = text(r.fields[KEY[f.kind]!]);
      if (has('DUPLICATE_KEY')) {
        assert.equal([...codes], ['DUPLICATE_KEY']);
        assert.ok(cleanIds[f.kind]!.has(key), `${f.key}@${r.at} duplicate of a clean row`);
      } else if (codes.length === 0) {
        assert.not.ok(cleanIds[f.kind]!.has(key), `${f.key}@${r.at} clean row with a used key`);
        cleanIds[f.kind]!.add(key);
      }
    }
    assert.is(codesAt.size, 0, `${f.key}: quarantined positions that are no record: ${[...codesAt.keys()].join(',')}`);
  }
  for (const kind of order) {
    const ofKind = m.files.filter((f) => f.kind === kind);
    const k = m.kinds[kind as 'orders'];
    assert.is(k.rows_read, ofKind.reduce((s, f) => s + f.rows, 0));
    assert.is(k.rows_quarantined, ofKind.reduce((s, f) => s + f.quarantined.length, 0));
    assert.is(k.rows_cleaned, cleanIds[kind]!.size);
  }
  const tally: Record<string, number> = {};
  for (const f of m.files) for (const q of f.quarantined) for (const c of q.codes) tally[c] = (tally[c] ?? 0) + 1;
  assert.equal(m.reason_counts, Object.fromEntries(Object.entries(tally).sort()));
  const over = Object.values(m.kinds).some((k) => k.rows_quarantined / k.rows_read > m.max_reject_rate);
  assert.is(m.verdict, over ? 'REJECTED' : 'ACCEPTED');
};

