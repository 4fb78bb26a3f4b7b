// generator-manifest.json: what the generator wrote and what the validate worker must report for
// it (docs/validation-semantics.md): per file the rows it will read and the rows it will quarantine with
// their codes, per kind the totals, and the verdict under a reject-rate threshold.
import { pipe } from 'fp-ts/lib/function.js';
import * as M from 'fp-ts/lib/Monoid.js';
import * as N from 'fp-ts/lib/number.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import * as RR from 'fp-ts/lib/ReadonlyRecord.js';
import * as t from 'io-ts';
import { FileReasonCode, RowReasonCode } from '../../core/reasons.js';
import { Kind, KINDS } from '../../core/records.js';
import { KindReport, Verdict } from '../../core/report.js';

export const GENERATOR_MANIFEST_NAME = 'generator-manifest.json';

export const FileFormat = t.keyof({ csv: null, json: null, ndjson: null });
export type FileFormat = t.TypeOf<typeof FileFormat>;

export const QuarantinedRow = t.intersection([
  t.type({ codes: t.readonlyArray(RowReasonCode) }),
  t.partial({ line: t.number, index: t.number }),
]);
export type QuarantinedRow = t.TypeOf<typeof QuarantinedRow>;

const Counts = t.record(t.string, t.number);

export const GeneratedFile = t.intersection([
  t.type({
    key: t.string,
    kind: Kind,
    format: FileFormat,
    gz: t.boolean,
    /** Rows the validator reads: every record, or for a broken file those before the break. */
    rows: t.number,
    /** Data records physically in the file (differs from `rows` only in a broken file). */
    rows_written: t.number,
    /**
     * Rows quarantined with row codes, in file order, codes sorted. In a broken file: those of
     * the rows read before the break (the validator checks them before the file fails).
     */
    quarantined: t.readonlyArray(QuarantinedRow),
    reason_counts: Counts,
  }),
  t.partial({ file_reason: FileReasonCode }),
]);
export type GeneratedFile = t.TypeOf<typeof GeneratedFile>;

/** Per-kind totals and verdict have the validation report's own shapes: the manifest predicts it. */
export const KindTotals = KindReport;
export type KindTotals = KindReport;

export const GeneratorManifest = t.type({
  generator: t.literal('ecommerce-pipeline generate'),
  version: t.literal(1),
  /** The arguments that made this shop: the same arguments make the same bytes. */
  args: t.record(t.string, t.unknown),
  max_reject_rate: t.number,
  verdict: Verdict,
  reasons: t.readonlyArray(t.string),
  kinds: t.type({ products: KindTotals, orders: KindTotals, order_items: KindTotals }),
  reason_counts: Counts,
  files: t.readonlyArray(GeneratedFile),
});
export type GeneratorManifest = t.TypeOf<typeof GeneratorManifest>;

interface Tally {
  readonly files: number;
  readonly rows_read: number;
  readonly rows_quarantined: number;
}
const tallyMonoid: M.Monoid<Tally> = M.struct({ files: N.MonoidSum, rows_read: N.MonoidSum, rows_quarantined: N.MonoidSum });

const countsMonoid: M.Monoid<Readonly<Record<string, number>>> = RR.getUnionMonoid(N.SemigroupSum);

const tallyOf = (file: GeneratedFile): Tally => ({
  files: 1,
  rows_read: file.rows,
  rows_quarantined: file.file_reason === undefined ? file.quarantined.length : file.rows,
});

/** Rows per code in a file: a row with two codes counts once under each. */
export const reasonCountsOf = (rows: ReadonlyArray<QuarantinedRow>): Readonly<Record<string, number>> =>
  pipe(
    rows,
    RA.chain((r) => r.codes),
    RA.foldMap(countsMonoid)((code) => ({ [code]: 1 })),
  );

const sortedRecord = (counts: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** Totals, reason counts and verdict of a set of generated files, as the validator computes them. */
export const summarise = (
  files: ReadonlyArray<GeneratedFile>,
  maxRejectRate: number,
): Pick<GeneratorManifest, 'verdict' | 'reasons' | 'kinds' | 'reason_counts'> => {
  const totals = (kind: Kind): KindTotals => {
    const tally = pipe(
      files,
      RA.filter((f) => f.kind === kind),
      RA.foldMap(tallyMonoid)(tallyOf),
    );
    return {
      ...tally,
      rows_cleaned: tally.rows_read - tally.rows_quarantined,
      reject_rate: tally.rows_read === 0 ? 0 : tally.rows_quarantined / tally.rows_read,
    };
  };
  const kinds = { products: totals('products'), orders: totals('orders'), order_items: totals('order_items') };
  const reasons = [
    ...files.flatMap((f) => (f.file_reason === undefined ? [] : [`${f.key}: ${f.file_reason}`])),
    ...KINDS.flatMap((k) =>
      kinds[k].reject_rate > maxRejectRate ? [`${k}: ${percent(kinds[k].reject_rate)} of rows quarantined, over ${percent(maxRejectRate)}`] : [],
    ),
  ];
  return {
    verdict: reasons.length === 0 ? 'ACCEPTED' : 'REJECTED',
    reasons,
    kinds,
    reason_counts: sortedRecord(
      pipe(
        files,
        RA.foldMap(countsMonoid)((f) => f.reason_counts),
      ),
    ),
  };
};

export const fileEntry = (
  base: Omit<GeneratedFile, 'reason_counts' | 'quarantined'>,
  quarantined: ReadonlyArray<QuarantinedRow>,
): GeneratedFile => ({ ...base, quarantined, reason_counts: sortedRecord(reasonCountsOf(quarantined)) });
