// node dist/generate.js --items N --out DIR [...]: writes a deterministic TheLook-like shop with
// injected defects and its generator-manifest.json (see --help and README: generator).
import { parseFlags } from '../io/cli.js';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileReasonCode } from '../core/reasons.js';
import { GENERATOR_MANIFEST_NAME, GeneratorManifest } from './shop/manifest.js';
import { productCount, type ShopConfig } from './shop/shop-model.js';
import { logger } from '../io/log.js';
import { writeShop } from './write-shop.js';

const HELP = `Usage: node dist/generate.js --items N --out DIR [options]

Writes a deterministic TheLook-like shop under DIR: orders/, order_items/, products/ (K parts per
kind) and DIR/generator-manifest.json, which predicts the validate worker's report row by row.
Same arguments, same bytes.

  --items N            item rows to generate (orders get 1-4 items; products: N/40, 50..29120)
  --out DIR            output directory (must be empty or absent)
  --format F           csv | json | ndjson | mixed | real [csv]: mixed rotates the three across
                       parts; real rotates csv, csv.gz, json, ndjson.gz (as real exports come)
  --gz                 gzip every file
  --parts K            parts per kind [1]
  --products N         products in the catalogue [N/40 of --items, 50..29120]
  --defect-rate R      share of rows given a row defect, 0..1 [0.01]
  --seed S             seed string [1]
  --file-defect CODE   break order_items part 0: FILE_EMPTY | FILE_MISSING_COLUMN | FILE_MALFORMED |
                       FILE_UNREADABLE | FILE_UNSUPPORTED
  --start-date D       first day orders are placed, YYYY-MM-DD [2024-01-01]
  --days D             days orders spread over [365]
  --max-reject-rate R  threshold for the predicted verdict [MAX_REJECT_RATE or 0.05]
  --redeliver-from D   instead of a fresh shop, re-deliver part of the shop generated in D (read
                       from D/generator-manifest.json): its clean products, and a share of its
                       clean orders with their clean items, each order one status further
                       (Processing>Shipped>Complete>Returned) and/or one item fewer. All rows
                       clean; --items, --defect-rate and --file-defect do not apply. --seed picks.
  --redeliver-rate R   share of the earlier shop's clean orders to re-deliver [0.1]
  --id-offset N        added to every order and item id, so a later shop of the same lake makes
                       new orders and items instead of colliding with earlier ids [0]
  --products-from D    re-use the catalogue of the shop generated in D (the same product rows,
                       read from D/generator-manifest.json) instead of making one; --products
                       does not apply
  --help               this text

Prints a one-line JSON summary on stdout. Exit 0 on success, 2 on bad arguments, 1 on failure.`;

const Rate = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');
const Positive = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
const NonNegative = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer');
const IsoDate = t.refinement(t.string, (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'YYYY-MM-DD');

const Config = t.type({
  items: Positive,
  out: t.string,
  format: t.keyof({ csv: null, json: null, ndjson: null, mixed: null, real: null }),
  products: t.union([Positive, t.undefined]),
  gz: t.boolean,
  parts: Positive,
  defectRate: Rate,
  seed: t.string,
  fileDefect: t.union([FileReasonCode, t.undefined]),
  startDate: IsoDate,
  days: Positive,
  maxRejectRate: Rate,
  redeliverFrom: t.union([t.string, t.undefined]),
  redeliverRate: Rate,
  idOffset: NonNegative,
  productsFrom: t.union([t.string, t.undefined]),
});

/** What an earlier shop was made from, as its manifest records it. */
const EarlierArgs = t.intersection([
  t.type({ seed: t.string, items: Positive, parts: Positive, defect_rate: Rate, start_date: IsoDate, days: Positive }),
  t.partial({
    products: Positive,
    id_offset: NonNegative,
    catalog: t.type({ seed: t.string, products: Positive, defect_rate: Rate }),
  }),
]);

type EarlierArgs = t.TypeOf<typeof EarlierArgs>;

/** The catalogue a shop was made with: its own, or the one it re-used (--products-from). */
const catalogOf = (a: EarlierArgs): { seed: string; products: number; defectRate: number } =>
  a.catalog
    ? { seed: a.catalog.seed, products: a.catalog.products, defectRate: a.catalog.defect_rate }
    : { seed: a.seed, products: a.products ?? productCount(a.items), defectRate: a.defect_rate };

const earlierArgs = async (dir: string): Promise<EarlierArgs> => {
  const text = await readFile(join(dir, GENERATOR_MANIFEST_NAME), 'utf8').catch(() => fail(2, `no ${GENERATOR_MANIFEST_NAME} in ${dir}`));
  const decoded = GeneratorManifest.decode(JSON.parse(text));
  const args = isLeft(decoded) ? decoded : EarlierArgs.decode(decoded.right.args);
  if (isLeft(args)) return fail(2, `${dir}/${GENERATOR_MANIFEST_NAME} is not a fresh shop's manifest`);
  return args.right;
};

const earlierShop = async (dir: string): Promise<ShopConfig> => {
  const a = await earlierArgs(dir);
  return {
    seed: a.seed,
    items: a.items,
    parts: a.parts,
    defectRate: a.defect_rate,
    startMicros: Date.parse(`${a.start_date}T00:00:00Z`) * 1000,
    days: a.days,
    ...(a.products === undefined ? {} : { products: a.products }),
    ...(a.id_offset === undefined ? {} : { idOffset: a.id_offset }),
    ...(a.catalog === undefined ? {} : { catalogFrom: catalogOf(a) }),
  };
};

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : s.trim() === '' ? Number.NaN : Number(s));

const fail = (code: number, message: string): never => {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(code);
};

const main = async (): Promise<void> => {
  const parsed = (() => {
    try {
      return parseFlags({
        options: {
          items: { type: 'string' },
          out: { type: 'string' },
          format: { type: 'string', default: 'csv' },
          gz: { type: 'boolean', default: false },
          parts: { type: 'string', default: '1' },
          products: { type: 'string' },
          'defect-rate': { type: 'string', default: '0.01' },
          seed: { type: 'string', default: '1' },
          'file-defect': { type: 'string' },
          'start-date': { type: 'string', default: '2024-01-01' },
          days: { type: 'string', default: '365' },
          'max-reject-rate': { type: 'string', default: process.env.MAX_REJECT_RATE ?? '0.05' },
          'redeliver-from': { type: 'string' },
          'redeliver-rate': { type: 'string', default: '0.1' },
          'id-offset': { type: 'string', default: '0' },
          'products-from': { type: 'string' },
          help: { type: 'boolean', default: false },
        },
        strict: true,
      }).values;
    } catch (error) {
      return fail(2, `${(error as Error).message} (see --help)`);
    }
  })();
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (parsed.out === undefined) return fail(2, '--out is required (see --help)');
  const redeliverFrom = parsed['redeliver-from'];
  if (parsed.items === undefined && redeliverFrom === undefined) return fail(2, '--items is required (see --help)');
  const decoded = Config.decode({
    items: redeliverFrom === undefined ? num(parsed.items) : 1,
    out: parsed.out,
    format: parsed.format,
    gz: parsed.gz,
    parts: num(parsed.parts),
    products: num(parsed.products),
    defectRate: num(parsed['defect-rate']),
    seed: parsed.seed,
    fileDefect: parsed['file-defect'],
    startDate: parsed['start-date'],
    days: num(parsed.days),
    maxRejectRate: num(parsed['max-reject-rate']),
    redeliverFrom,
    redeliverRate: num(parsed['redeliver-rate']),
    idOffset: num(parsed['id-offset']),
    productsFrom: parsed['products-from'],
  });
  if (isLeft(decoded)) {
    const first = decoded.left[0];
    const field = first?.context.map((c) => c.key).filter((k) => k !== '').join('.') ?? '?';
    // the config's field names are the flags' in camelCase: name the flag the user typed
    return fail(2, `bad value for --${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${JSON.stringify(first?.value)} (see --help)`);
  }
  const c = decoded.right;
  const log = logger('generate');
  const started = process.hrtime.bigint();
  const redeliver =
    c.redeliverFrom === undefined ? undefined : { earlier: await earlierShop(c.redeliverFrom), seed: c.seed, rate: c.redeliverRate, parts: c.parts };
  const catalog = c.productsFrom === undefined ? undefined : catalogOf(await earlierArgs(c.productsFrom));
  const manifest = await writeShop({
    ...(c.idOffset === 0 ? {} : { idOffset: c.idOffset }),
    ...(catalog === undefined ? {} : { catalogFrom: catalog }),
    ...(redeliver === undefined ? {} : { redeliver }),
    seed: c.seed,
    items: c.items,
    parts: c.parts,
    ...(c.products === undefined ? {} : { products: c.products }),
    defectRate: c.defectRate,
    startMicros: Date.parse(`${c.startDate}T00:00:00Z`) * 1000,
    days: c.days,
    out: c.out,
    format: c.format,
    gz: c.gz,
    ...(c.fileDefect === undefined ? {} : { fileDefect: c.fileDefect }),
    maxRejectRate: c.maxRejectRate,
    args: redeliver !== undefined ? { redeliver_from: c.redeliverFrom, redeliver_rate: c.redeliverRate, seed: c.seed, format: c.format, gz: c.gz, parts: c.parts } : {
      items: c.items,
      format: c.format,
      gz: c.gz,
      parts: c.parts,
      defect_rate: c.defectRate,
      seed: c.seed,
      start_date: c.startDate,
      days: c.days,
      ...(c.products === undefined ? {} : { products: c.products }),
      ...(c.fileDefect === undefined ? {} : { file_defect: c.fileDefect }),
      ...(c.idOffset === 0 ? {} : { id_offset: c.idOffset }),
      ...(catalog === undefined ? {} : { catalog: { seed: catalog.seed, products: catalog.products, defect_rate: catalog.defectRate }, products_from: c.productsFrom }),
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log.info('generated', { out: c.out, seconds: Number(seconds.toFixed(2)) });
  const rows = Object.fromEntries(Object.entries(manifest.kinds).map(([k, v]) => [k, v.rows_read]));
  process.stdout.write(`${JSON.stringify({ out: c.out, files: manifest.files.length, rows, verdict: manifest.verdict, reasons: manifest.reasons })}\n`);
};

main().catch((error: unknown) => fail(1, error instanceof Error ? error.message : String(error)));
