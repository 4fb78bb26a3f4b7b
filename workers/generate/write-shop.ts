// Writes a generated shop under a directory, part by part, and its generator-manifest.json.
// Streaming: one open file per kind, rows encoded and written as they are generated.
import { mkdir, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COLUMNS } from './shop/columns.js';
import { csvHeader, csvRecord, jsonRecord, type Format } from './shop/encode.js';
import {
  fileEntry,
  GENERATOR_MANIFEST_NAME,
  summarise,
  type GeneratedFile,
  type GeneratorManifest,
  type QuarantinedRow,
} from './shop/manifest.js';
import { redeliveryEmissions, type RedeliveryConfig } from './shop/redeliver.js';
import { shopEmissions, type Emission, type ShopConfig } from './shop/shop-model.js';
import type { FileReasonCode } from '../core/reasons.js';
import { KINDS, type Kind } from '../core/records.js';
import { openPartFile, type PartFile } from './part-file.js';

/** `mixed` rotates csv, json, ndjson across parts; `real` rotates csv, csv.gz, json, ndjson.gz. */
export type FormatChoice = Format | 'mixed' | 'real';

/** A file-level defect the generator can put in one file (the first part of order_items). */
export type FileDefect = Exclude<FileReasonCode, never>;

export interface ShopOptions extends ShopConfig {
  readonly out: string;
  readonly format: FormatChoice;
  readonly gz: boolean;
  readonly fileDefect?: FileDefect;
  readonly maxRejectRate: number;
  /** Write a re-delivery of an earlier shop instead of a fresh one (the shop fields then go unused). */
  readonly redeliver?: RedeliveryConfig;
  /** Recorded in the manifest as given on the command line. */
  readonly args: Readonly<Record<string, unknown>>;
}

const FORMATS: ReadonlyArray<Format> = ['csv', 'json', 'ndjson'];
const KIND_INDEX: Readonly<Record<Kind, number>> = { products: 0, orders: 1, order_items: 2 };
const EXTENSION: Readonly<Record<Format, string>> = { csv: 'csv', json: 'json', ndjson: 'ndjson' };

/** The broken file: nothing refers to items, so breaking one cascades to no other file. */
const BROKEN: { readonly kind: Kind; readonly part: number } = { kind: 'order_items', part: 0 };

/** A truncated gzip keeps its 10-byte header and a few bytes of deflate data: no whole record. */
const TRUNCATED_GZIP_BYTES = 20;

/** What exports of a real shop look like: plain and gzipped CSV, a JSON array, gzipped NDJSON. */
const REAL: ReadonlyArray<{ readonly format: Format; readonly gz: boolean }> = [
  { format: 'csv', gz: false },
  { format: 'csv', gz: true },
  { format: 'json', gz: false },
  { format: 'ndjson', gz: true },
];

const formatOf = (choice: FormatChoice, kind: Kind, part: number): Format =>
  choice === 'mixed'
    ? (FORMATS[(part + KIND_INDEX[kind]) % FORMATS.length] ?? 'csv')
    : choice === 'real'
      ? (REAL[(part + KIND_INDEX[kind]) % REAL.length]?.format ?? 'csv')
      : choice;

const gzOf = (options: ShopOptions, kind: Kind, part: number): boolean =>
  options.format === 'real' ? (REAL[(part + KIND_INDEX[kind]) % REAL.length]?.gz ?? false) : options.gz;

interface OpenPart {
  readonly kind: Kind;
  readonly part: number;
  readonly key: string;
  readonly format: Format;
  readonly columns: ReadonlyArray<string>;
  readonly file: PartFile;
  readonly gz: boolean;
  readonly quarantined: QuarantinedRow[];
  readonly defect?: FileDefect;
  /** Records the validator will read: all, or for a broken file those before the break. */
  readable?: number;
}

const encode = (part: OpenPart, emission: Emission): string =>
  part.format === 'csv' ? csvRecord(part.columns, emission.row) : jsonRecord(part.columns, emission.row);

/**
 * The record at which FILE_MALFORMED breaks a file: the middle of a JSON or NDJSON file (a syntax
 * error mid-file, after whole elements); the last record of a CSV file, so that no later quote (a
 * quoted invalid price) can close the unterminated one.
 */
const breakAt = (format: Format, rows: number): number => (format === 'csv' ? Math.max(0, rows - 1) : Math.floor(rows / 2));

/** A record that cannot be parsed, in the file's own format (see README: generator). */
const malformed = (part: OpenPart, emission: Emission): string => {
  const text = encode(part, emission);
  if (part.format === 'csv') {
    // Opens a quote that never closes: the rest of the file falls inside one field.
    const comma = text.indexOf(',');
    return `${text.slice(0, comma + 1)}"${text.slice(comma + 1)}`;
  }
  // `{"id":"7","order_id":` followed by the next element: a JSON syntax error.
  const colon = text.indexOf(':', text.indexOf(':') + 1);
  return text.slice(0, colon + 1);
};

/** Invalid UTF-8: a lone 0xFF byte inside the record. */
const unreadable = (text: string): Buffer => {
  const bytes = Buffer.from(text, 'utf8');
  const at = Math.floor(bytes.length / 2);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
};

const emissionsOf = (options: ShopOptions): Iterable<Emission> =>
  options.redeliver === undefined ? shopEmissions(options) : redeliveryEmissions(options.redeliver);

export const writeShop = async (options: ShopOptions): Promise<GeneratorManifest> => {
  await mkdir(options.out, { recursive: true });
  const existing = await readdir(options.out);
  if (existing.length > 0) throw new Error(`--out ${options.out} is not empty`);
  for (const kind of KINDS) await mkdir(join(options.out, kind), { recursive: true });

  const rowsOf = rowCounter(options);
  const files: GeneratedFile[] = [];
  const open = new Map<Kind, OpenPart>();

  const close = async (part: OpenPart): Promise<void> => {
    await part.file.close();
    if (part.defect === 'FILE_UNREADABLE' && part.gz) await truncate(join(options.out, part.key), TRUNCATED_GZIP_BYTES);
    const written = part.file.records();
    files.push(
      fileEntry(
        {
          key: part.key,
          kind: part.kind,
          format: part.format,
          gz: part.gz,
          rows: part.readable ?? written,
          rows_written: written,
          ...(part.defect === undefined ? {} : { file_reason: part.defect }),
        },
        part.quarantined,
      ),
    );
  };

  const openPart = (kind: Kind, part: number): OpenPart => {
    const defect = options.fileDefect !== undefined && kind === BROKEN.kind && part === BROKEN.part ? options.fileDefect : undefined;
    // A missing column is a file-level defect of CSV only (a JSON file lacking a key is row-level).
    const format = defect === 'FILE_MISSING_COLUMN' ? 'csv' : formatOf(options.format, kind, part);
    const gz = gzOf(options, kind, part);
    const columns = defect === 'FILE_MISSING_COLUMN' ? COLUMNS[kind].filter((c) => c !== 'sale_price') : COLUMNS[kind];
    const name = `part-${String(part).padStart(5, '0')}.${defect === 'FILE_UNSUPPORTED' ? 'txt' : EXTENSION[format]}${gz ? '.gz' : ''}`;
    const key = `${kind}/${name}`;
    const file = openPartFile({
      path: join(options.out, key),
      format,
      gz,
      header: csvHeader(columns),
      windows: format === 'csv' && part % 2 === 1,
      empty: defect === 'FILE_EMPTY',
    });
    const opened: OpenPart = { kind, part, key, format, columns, file, gz, quarantined: [], ...(defect === undefined ? {} : { defect }) };
    // Rows the validator gets to before the break (docs/validation-semantics.md: records parsed before the failure).
    if (defect === 'FILE_EMPTY' || defect === 'FILE_MISSING_COLUMN' || defect === 'FILE_UNSUPPORTED' || defect === 'FILE_UNREADABLE') opened.readable = 0;
    if (defect === 'FILE_MALFORMED') opened.readable = breakAt(format, rowsOf(kind, part));
    return opened;
  };

  for (const emission of emissionsOf(options)) {
    let part = open.get(emission.kind);
    if (part === undefined || part.part !== emission.part) {
      if (part !== undefined) await close(part);
      part = openPart(emission.kind, emission.part);
      open.set(emission.kind, part);
    }
    const at = part.file.records();
    const position = part.file.position();
    let record: string | Buffer;
    if (part.defect === 'FILE_MALFORMED' && at === part.readable) record = malformed(part, emission);
    else if (part.defect === 'FILE_UNREADABLE' && !part.gz && at === 0) record = unreadable(encode(part, emission));
    else record = encode(part, emission);
    // A broken file's rows after the break are never read, so never checked.
    const read = part.readable === undefined || at < part.readable;
    if (read && emission.codes.length > 0) part.quarantined.push({ ...position, codes: emission.codes });
    const wait = part.file.write(record);
    if (wait) await wait;
  }
  for (const part of open.values()) await close(part);

  // Processing order, as the validator reports files: kinds products, orders, items; keys ascending.
  files.sort((a, b) => KIND_INDEX[a.kind] - KIND_INDEX[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const manifest: GeneratorManifest = {
    generator: 'ecommerce-pipeline generate',
    version: 1,
    args: options.args,
    max_reject_rate: options.maxRejectRate,
    ...summarise(files, options.maxRejectRate),
    files,
  };
  await writeFile(join(options.out, GENERATOR_MANIFEST_NAME), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
};

/**
 * Records a part will hold, needed up front only to place FILE_MALFORMED's break in the middle of
 * its file: counted by running the model once without writing (small: a test-sized shop).
 */
const rowCounter = (options: ShopOptions) => {
  let counts: Map<string, number> | undefined;
  return (kind: Kind, part: number): number => {
    if (counts === undefined) {
      counts = new Map();
      for (const e of emissionsOf(options)) counts.set(`${e.kind}/${e.part}`, (counts.get(`${e.kind}/${e.part}`) ?? 0) + 1);
    }
    return counts.get(`${kind}/${part}`) ?? 0;
  };
};
