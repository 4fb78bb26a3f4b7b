// Columns (core/analytics-columns.ts) as one Parquet file. The file format — thrift page headers
// and footer, RLE/bit-packed levels, snappy — is hyparquet-writer's (pure JavaScript, no native
// binary in the image; README "Analytics lake"); only the column values are laid out here, because
// our columns are flat and typed in advance: the library's general path (per-value TextEncoder,
// a trial dictionary and string statistics on every column, BigInt per decimal) cost 11 s of the
// transform's 34 s on the four-year shop's 5,800 small files, this one ≈1 s (README measurements).
// Physical types are the ones Athena (Trino) and DuckDB both read: strings BYTE_ARRAY/UTF8,
// timestamps INT64 TIMESTAMP(MILLIS, UTC), DECIMAL(18,2) on INT64 and DECIMAL(9,4) on INT32
// (the spec's physical types for those precisions), counts INT32.
import { Buffer } from 'node:buffer';
import { ByteWriter, type SchemaElement } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeRleBitPackedHybrid } from 'hyparquet-writer/src/encoding.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import type { Cell, ColumnDef, Columns } from '../core/analytics-columns.js';

type ColumnChunk = Parameters<typeof writeMetadata>[1]['row_groups'][number]['columns'][number];
type Statistics = NonNullable<NonNullable<ColumnChunk['meta_data']>['statistics']>;

const elementOf = ({ name, type }: ColumnDef): SchemaElement => {
  const base = { name, repetition_type: 'OPTIONAL' } as const;
  switch (type) {
    case 'string':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'timestamp':
      return { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
    case 'int':
      return { ...base, type: 'INT32' };
    case 'decimal(18,2)':
      return { ...base, type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2, logical_type: { type: 'DECIMAL', precision: 18, scale: 2 } };
    case 'decimal(9,4)':
      return { ...base, type: 'INT32', converted_type: 'DECIMAL', precision: 9, scale: 4, logical_type: { type: 'DECIMAL', precision: 9, scale: 4 } };
  }
};

/** Row groups of this many rows: a reader can skip or parallelise within a large date. */
const ROW_GROUP_ROWS = 100_000;
/** Pages of at most this many rows, so a page of a large row group stays around a megabyte. */
const PAGE_ROWS = 20_000;

const is64 = (def: ColumnDef) => def.type === 'timestamp' || def.type === 'decimal(18,2)';
const TWO_32 = 4294967296;

/** PLAIN values of one page, nulls left out (the definition levels place them). */
const plainValues = (def: ColumnDef, values: ReadonlyArray<Cell>, from: number, to: number): Buffer => {
  if (def.type === 'string') {
    let size = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v !== null) size += 4 + Buffer.byteLength(v as string, 'utf8');
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v === null) continue;
      const n = out.write(v as string, at + 4, 'utf8');
      out.writeUInt32LE(n, at);
      at += 4 + n;
    }
    return out;
  }
  const width = is64(def) ? 8 : 4;
  let count = 0;
  for (let i = from; i < to; i++) if (values[i] !== null) count++;
  const out = Buffer.allocUnsafe(count * width);
  let at = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v === null) continue;
    const n = v as number;
    if (!Number.isSafeInteger(n)) throw new Error(`parquet: ${def.name} needs an integer, got ${n}`);
    if (width === 4) out.writeInt32LE(n, at);
    else {
      // two's complement halves of a safe integer, without a BigInt per value
      const hi = Math.floor(n / TWO_32);
      out.writeUInt32LE(n - hi * TWO_32, at);
      out.writeInt32LE(hi, at + 4);
    }
    at += width;
  }
  return out;
};

/** The dictionary of a low-cardinality string column chunk and each non-null value's index in it. */
const dictionaryOf = (values: ReadonlyArray<Cell>, from: number, to: number): { readonly dictionary: string[]; readonly indexes: number[] } => {
  const at = new Map<string, number>();
  const dictionary: string[] = [];
  const indexes: number[] = [];
  for (let i = from; i < to; i++) {
    const v = values[i] as string | null;
    if (v === null) continue;
    let k = at.get(v);
    if (k === undefined) {
      at.set(v, (k = dictionary.length));
      dictionary.push(v);
    }
    indexes.push(k);
  }
  return { dictionary, indexes };
};

const writerBytes = (w: ByteWriter): Uint8Array => w.getBytes();

/**
 * A writer for bytes that are copied out before the next use (a page's levels, its dictionary
 * indexes): reused, because an ArrayBuffer per page was a measurable share of the allocations.
 */
const scratch = (w: ByteWriter): ByteWriter => {
  w.index = 0;
  w.offset = 0;
  return w;
};
const levelsScratch = new ByteWriter(4096);
const indexScratch = new ByteWriter(4096);

/** Numbers compare as numbers; strings (dictionary columns only) in UTF-8 byte order, as the spec wants. */
const statisticsOf = (def: ColumnDef, values: ReadonlyArray<Cell>, from: number, to: number, dictionary?: ReadonlyArray<string>): Statistics => {
  let nulls = 0;
  for (let i = from; i < to; i++) if (values[i] === null) nulls++;
  const stats: Statistics = { null_count: BigInt(nulls) };
  if (def.type === 'string') {
    if (!dictionary || dictionary.length === 0) return stats;
    const bytes = dictionary.map((s) => Buffer.from(s, 'utf8'));
    let min = bytes[0]!;
    let max = bytes[0]!;
    for (const b of bytes) {
      if (Buffer.compare(b, min) < 0) min = b;
      if (Buffer.compare(b, max) > 0) max = b;
    }
    return { ...stats, min_value: new Uint8Array(min), max_value: new Uint8Array(max) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v === null) continue;
    if ((v as number) < min) min = v as number;
    if ((v as number) > max) max = v as number;
  }
  if (min === Infinity) return stats;
  // INT64 statistics are bigints; a decimal's are its unscaled value, as ours already are
  return is64(def) ? { ...stats, min_value: BigInt(min), max_value: BigInt(max) } : { ...stats, min_value: min, max_value: max };
};

/** One DATA_PAGE_V2: definition levels (never compressed in V2), then the snappy-compressed values. */
const writeDataPage = (writer: ByteWriter, values: ReadonlyArray<Cell>, from: number, to: number, encoding: 'PLAIN' | 'RLE_DICTIONARY', body: Uint8Array): number => {
  const levels = scratch(levelsScratch);
  const defined: number[] = new Array(to - from);
  let nulls = 0;
  for (let i = from; i < to; i++) {
    const d = values[i] === null ? 0 : 1;
    defined[i - from] = d;
    nulls += 1 - d;
  }
  writeRleBitPackedHybrid(levels, defined, 1);
  const compressed = snappyCompress(body);
  const start = writer.offset;
  writePageHeader(writer, {
    type: 'DATA_PAGE_V2',
    uncompressed_page_size: levels.offset + body.byteLength,
    compressed_page_size: levels.offset + compressed.byteLength,
    data_page_header_v2: {
      num_values: to - from,
      num_nulls: nulls,
      num_rows: to - from,
      encoding,
      definition_levels_byte_length: levels.offset,
      repetition_levels_byte_length: 0,
      is_compressed: true,
    },
  });
  const header = writer.offset - start;
  writer.appendBytes(writerBytes(levels));
  writer.appendBytes(compressed);
  return header + levels.offset + body.byteLength;
};

/** Bit-packed dictionary indexes of a page: their bit width first, then the RLE/bit-packed hybrid. */
const indexBody = (indexes: number[], dictionarySize: number): Uint8Array => {
  const w = scratch(indexScratch);
  const bitWidth = Math.ceil(Math.log2(Math.max(dictionarySize, 1) + 1)) || 1;
  w.appendUint8(bitWidth);
  writeRleBitPackedHybrid(w, indexes, bitWidth);
  return writerBytes(w);
};

const writeColumnChunk = (writer: ByteWriter, def: ColumnDef, element: SchemaElement, values: ReadonlyArray<Cell>, from: number, to: number): ColumnChunk => {
  const start = writer.offset;
  let uncompressed = 0;
  let dictionary_page_offset: bigint | undefined;
  let dictionary: ReturnType<typeof dictionaryOf> | undefined;
  if (def.dictionary) {
    dictionary = dictionaryOf(values, from, to);
    dictionary_page_offset = BigInt(writer.offset);
    const plain = plainValues(def, dictionary.dictionary, 0, dictionary.dictionary.length);
    const compressed = snappyCompress(plain);
    const headerStart = writer.offset;
    writePageHeader(writer, {
      type: 'DICTIONARY_PAGE',
      uncompressed_page_size: plain.byteLength,
      compressed_page_size: compressed.byteLength,
      dictionary_page_header: { num_values: dictionary.dictionary.length, encoding: 'PLAIN' },
    });
    uncompressed += writer.offset - headerStart + plain.byteLength;
    writer.appendBytes(compressed);
  }
  const data_page_offset = BigInt(writer.offset);
  let pages = 0;
  let firstIndex = 0;
  for (let p = from; p < to || p === from; p += PAGE_ROWS) {
    const end = Math.min(p + PAGE_ROWS, to);
    let body: Uint8Array;
    if (dictionary) {
      let count = 0;
      for (let i = p; i < end; i++) if (values[i] !== null) count++;
      body = indexBody(dictionary.indexes.slice(firstIndex, firstIndex + count), dictionary.dictionary.length);
      firstIndex += count;
    } else body = plainValues(def, values, p, end);
    uncompressed += writeDataPage(writer, values, p, end, dictionary ? 'RLE_DICTIONARY' : 'PLAIN', body);
    pages++;
    if (end >= to) break;
  }
  const encoding = dictionary ? 'RLE_DICTIONARY' : 'PLAIN';
  return {
    meta_data: {
      type: element.type!,
      encodings: dictionary ? ['PLAIN', 'RLE_DICTIONARY'] : ['PLAIN'],
      path_in_schema: [def.name],
      codec: 'SNAPPY',
      num_values: BigInt(to - from),
      total_compressed_size: BigInt(writer.offset - start),
      total_uncompressed_size: BigInt(uncompressed),
      data_page_offset,
      dictionary_page_offset,
      statistics: statisticsOf(def, values, from, to, dictionary?.dictionary),
      encoding_stats: [
        ...(dictionary ? [{ page_type: 'DICTIONARY_PAGE' as const, encoding: 'PLAIN' as const, count: 1 }] : []),
        { page_type: 'DATA_PAGE_V2' as const, encoding, count: pages },
      ],
    },
    file_offset: BigInt(start),
  };
};

export const parquetBytes = (columns: Columns): Uint8Array => {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.defs.length }, ...columns.defs.map(elementOf)];
  const writer = new ByteWriter(16 * 1024);
  writer.appendUint32(0x31524150); // PAR1
  const row_groups = [];
  for (let from = 0; from < columns.rows; from += ROW_GROUP_ROWS) {
    const to = Math.min(from + ROW_GROUP_ROWS, columns.rows);
    const groupStart = writer.offset;
    const chunks = columns.defs.map((def, i) => writeColumnChunk(writer, def, schema[i + 1]!, columns.values[i]!, from, to));
    row_groups.push({
      columns: chunks,
      total_byte_size: chunks.reduce((n, c) => n + c.meta_data!.total_uncompressed_size, 0n),
      num_rows: BigInt(to - from),
      total_compressed_size: BigInt(writer.offset - groupStart),
    });
  }
  writeMetadata(writer, { version: 2, created_by: 'ecommerce-pipeline (hyparquet-writer)', schema, num_rows: BigInt(columns.rows), row_groups, metadata_length: 0 });
  writer.appendUint32(0x31524150);
  return writer.getBytes();
};
