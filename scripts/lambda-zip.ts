// Zips a Lambda bundle reproducibly: fixed timestamps, fixed permissions, entries in the given
// order, so the same bundle always gives the same bytes and Terraform's source_code_hash does not
// drift between builds. Usage: node --import tsx scripts/lambda-zip.ts OUT.zip FILE[=NAME]...
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

// zlib.crc32 arrived in Node 20.15; a table keeps this independent of the exact Node release.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export const crc32 = (data: Uint8Array): number => {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
};

/** 1980-01-01 00:00:00, the earliest time a zip can hold, in DOS date/time form. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** -rw-r--r-- regular file, in the high half of the external attributes (made by Unix). */
const UNIX_MODE = (0o100644 << 16) >>> 0;

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/** A little-endian record of fixed fields, as every zip header is. */
const record = (fields: ReadonlyArray<readonly [bytes: 2 | 4, value: number]>): Uint8Array => {
  const out = new Uint8Array(fields.reduce((n, [b]) => n + b, 0));
  const view = new DataView(out.buffer);
  fields.reduce((at, [bytes, value]) => {
    if (bytes === 2) view.setUint16(at, value, true);
    else view.setUint32(at, value >>> 0, true);
    return at + bytes;
  }, 0);
  return out;
};

const VERSION = 20; // zip 2.0: deflate
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;

export const deterministicZip = (entries: readonly ZipEntry[]): Uint8Array => {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const compressed = new Uint8Array(deflateRawSync(entry.data, { level: 9 }));
    const crc = crc32(entry.data);
    const local = record([
      [4, 0x04034b50], [2, VERSION], [2, UTF8_NAMES], [2, DEFLATE], [2, DOS_TIME], [2, DOS_DATE],
      [4, crc], [4, compressed.length], [4, entry.data.length], [2, name.length], [2, 0],
    ]);
    locals.push(local, name, compressed);
    centrals.push(record([
      [4, 0x02014b50], [2, (3 << 8) | VERSION], [2, VERSION], [2, UTF8_NAMES], [2, DEFLATE], [2, DOS_TIME], [2, DOS_DATE],
      [4, crc], [4, compressed.length], [4, entry.data.length], [2, name.length],
      [2, 0], [2, 0], [2, 0], [2, 0], // extra, comment, disk, internal attributes
      [4, UNIX_MODE], [4, offset],
    ]), name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = concat(centrals);
  const end = record([
    [4, 0x06054b50], [2, 0], [2, 0], [2, entries.length], [2, entries.length], [4, directory.length], [4, offset], [2, 0],
  ]);
  return concat([...locals, directory, end]);
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [out, ...files] = process.argv.slice(2);
  if (!out || files.length === 0) {
    console.error('usage: lambda-zip.ts OUT.zip FILE[=NAME]...');
    process.exit(2);
  }
  const entries = files.map((spec) => {
    const [path, name] = spec.split('=');
    return { name: name ?? basename(path!), data: new Uint8Array(readFileSync(path!)) };
  });
  writeFileSync(out, deterministicZip(entries));
  console.log(`wrote ${out} (${entries.map((e) => e.name).join(', ')})`);
}
