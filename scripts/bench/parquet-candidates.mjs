// How the analytics lake's Parquet writer was chosen (README "Analytics lake"): one candidate per
// process, the same synthetic order_items rows to a SNAPPY file, a JSON line of time, peak RSS and
// size. The candidates other than hyparquet-writer and DuckDB are not project dependencies: run it
// where they are installed, e.g.
//   mkdir /tmp/pq && cd /tmp/pq && npm i hyparquet-writer@0.17.0 parquet-wasm@0.8.0 apache-arrow@21.2.0 \
//     @dsnp/parquetjs@1.8.9 @duckdb/node-api@1.5.6-r.1 && cp <repo>/scripts/bench/parquet-candidates.mjs . &&
//   for w in hyparquet-writer parquet-wasm duckdb parquetjs; do node parquet-candidates.mjs $w 1000000; done
import { writeFileSync, statSync } from 'node:fs';
const [writer, nArg] = process.argv.slice(2);
const N = Number(nArg ?? 1_000_000);
const cats = ['Jeans', 'Tops & Tees', 'Swim', 'Accessories', 'Outerwear & Coats', 'Sleep & Lounge'];
const statuses = ['Complete', 'Shipped', 'Processing', 'Returned', 'Cancelled'];
const base = Date.parse('2026-03-01T00:00:00Z');
const rows = [];
for (let i = 0; i < N; i++) {
  const t = base + (i * 7919) % 86_400_000;
  rows.push({ id: String(1000000 + i), order_id: String(500000 + (i >> 1)), product_id: String(i % 29000), user_id: String(i % 80000), status: statuses[i % 5],
    created_at: new Date(t).toISOString(), shipped_at: i % 3 ? new Date(t + 3600e3).toISOString() : undefined, delivered_at: undefined, returned_at: i % 10 === 3 ? new Date(t + 86400e3).toISOString() : undefined,
    inventory_item_id: String(2000000 + i), sale_price_cents: (i * 37) % 99999 + 1, category: cats[i % 6], batch_id: 'batch-2026-03-01-0001' });
}
const ndjsonBytes = rows.reduce((n, r) => n + JSON.stringify(r).length + 1, 0);
const STR = ['id', 'order_id', 'product_id', 'user_id', 'status', 'inventory_item_id', 'category', 'batch_id'];
const TS = ['created_at', 'shipped_at', 'delivered_at', 'returned_at'];
const ms = (s) => (s === undefined ? null : Date.parse(s));
let peak = 0; const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5); sample.unref();
const rss0 = process.memoryUsage().rss;
const out = `${process.cwd()}/out-${writer}.parquet`;
const t0 = performance.now();
if (writer === 'hyparquet-writer') {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const col = (k, f = (v) => v ?? null) => rows.map((r) => f(r[k]));
  const columnData = [
    ...STR.map((k) => ({ name: k, data: col(k) })),
    ...TS.map((k) => ({ name: k, data: col(k, ms) })),
  ];
  const schema = [{ name: 'root', num_children: columnData.length + 1 },
    ...STR.map((k) => ({ name: k, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' })),
    ...TS.map((k) => ({ name: k, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, repetition_type: 'OPTIONAL' })),
    { name: 'sale_price', type: 'INT64', converted_type: 'DECIMAL', logical_type: { type: 'DECIMAL', precision: 18, scale: 2 }, precision: 18, scale: 2, repetition_type: 'OPTIONAL' }];
  columnData.push({ name: 'sale_price', data: rows.map((r) => BigInt(r.sale_price_cents)) });
  writeFileSync(out, new Uint8Array(parquetWriteBuffer({ columnData, schema, rowGroupSize: 100_000 })));
} else if (writer === 'parquet-wasm') {
  const arrow = await import('apache-arrow');
  const pw = await import('parquet-wasm/node');
  const strs = (k) => arrow.vectorFromArray(rows.map((r) => r[k] ?? null), new arrow.Utf8());
  const tss = (k) => arrow.vectorFromArray(rows.map((r) => ms(r[k])), new arrow.TimestampMillisecond('UTC'));
  const dec = new arrow.Decimal(2, 18, 128);
  const cents = new Uint32Array(N * 4); rows.forEach((r, i) => { cents[i * 4] = r.sale_price_cents; });
  const decVec = arrow.makeVector(arrow.makeData({ type: dec, length: N, data: cents }));
  const cols = {}; for (const k of STR) cols[k] = strs(k); for (const k of TS) cols[k] = tss(k); cols.sale_price = decVec;
  const table = new arrow.Table(cols);
  const wasmTable = pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
  writeFileSync(out, pw.writeParquet(wasmTable, props));
} else if (writer === 'duckdb') {
  const d = await import('@duckdb/node-api');
  const inst = await d.DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await inst.connect();
  await c.run(`CREATE TABLE t (${STR.map((k) => `${k} VARCHAR`).join(', ')}, ${TS.map((k) => `${k} TIMESTAMPTZ`).join(', ')}, sale_price DECIMAL(18,2))`);
  const a = await c.createAppender('t');
  for (const r of rows) {
    for (const k of STR) r[k] === undefined ? a.appendNull() : a.appendVarchar(r[k]);
    for (const k of TS) r[k] === undefined ? a.appendNull() : a.appendTimestampTZ(new d.DuckDBTimestampTZValue(BigInt(ms(r[k])) * 1000n));
    a.appendDecimal(new d.DuckDBDecimalValue(BigInt(r.sale_price_cents), 18, 2));
    a.endRow();
  }
  a.closeSync();
  await c.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION snappy)`);
} else if (writer === 'parquetjs') {
  const pq = (await import('@dsnp/parquetjs')).default;
  const fields = {}; for (const k of STR) fields[k] = { type: 'UTF8', optional: true, compression: 'SNAPPY' };
  for (const k of TS) fields[k] = { type: 'TIMESTAMP_MILLIS', optional: true, compression: 'SNAPPY' };
  fields.sale_price = { type: 'DECIMAL', precision: 18, scale: 2, optional: true, compression: 'SNAPPY' };
  const w = await pq.ParquetWriter.openFile(new pq.ParquetSchema(fields), out, { rowGroupSize: 100000 });
  for (const r of rows) {
    const o = {}; for (const k of STR) if (r[k] !== undefined) o[k] = r[k];
    for (const k of TS) if (r[k] !== undefined) o[k] = new Date(r[k]);
    o.sale_price = r.sale_price_cents / 100;
    await w.appendRow(o);
  }
  await w.close();
} else throw new Error(writer);
const secs = (performance.now() - t0) / 1000;
clearInterval(sample); peak = Math.max(peak, process.memoryUsage().rss);
const size = statSync(out).size;
console.log(JSON.stringify({ writer, rows: N, secs: +secs.toFixed(2), ndjson_MB_per_s: +(ndjsonBytes / 1e6 / secs).toFixed(1), rows_per_s: Math.round(N / secs), rss_before_MB: Math.round(rss0 / 1e6), peak_rss_MB: Math.round(peak / 1e6), file_MB: +(size / 1e6).toFixed(1), ndjson_MB: +(ndjsonBytes / 1e6).toFixed(1) }));
