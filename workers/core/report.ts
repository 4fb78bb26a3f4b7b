// The validation report (reports/<batch>/validation.json, docs/validation-semantics.md) and the pure
// rules that turn per-file counts into per-kind shares and a verdict.
import * as t from 'io-ts';
import { FileReasonCode } from './reasons.js';
import { Kind, KINDS } from './records.js';

const Counts = t.record(t.string, t.number);

export const FileReport = t.intersection([
  t.type({
    key: t.string,
    kind: t.union([Kind, t.null]),
    format: t.string,
    rows_read: t.number,
    rows_cleaned: t.number,
    rows_quarantined: t.number,
    reason_counts: Counts,
  }),
  t.partial({ file_reason: t.type({ code: FileReasonCode, message: t.string }) }),
]);
export type FileReport = t.TypeOf<typeof FileReport>;

export const KindReport = t.type({
  files: t.number,
  rows_read: t.number,
  rows_cleaned: t.number,
  rows_quarantined: t.number,
  reject_rate: t.number,
});
export type KindReport = t.TypeOf<typeof KindReport>;

export const Verdict = t.keyof({ ACCEPTED: null, REJECTED: null });
export type Verdict = t.TypeOf<typeof Verdict>;

export const ValidationReport = t.intersection([t.type({
  batch_id: t.string,
  verdict: Verdict,
  reasons: t.readonlyArray(t.string),
  max_reject_rate: t.number,
  kinds: t.type({ products: KindReport, orders: KindReport, order_items: KindReport }),
  files: t.readonlyArray(FileReport),
  reason_counts: Counts,
  order_dates: t.readonlyArray(t.string),
  published: t.boolean,
  started_at: t.string,
  finished_at: t.string,
}),
  // Marker and hidden files found or named but not read (core/landing-key.ts ignoredReason).
  t.partial({ ignored: t.readonlyArray(t.type({ key: t.string, reason: t.string })) }),
]);
export type ValidationReport = t.TypeOf<typeof ValidationReport>;

/** Sums per-file counts per kind; a kind without rows has a share of 0. */
export const summariseKinds = (files: ReadonlyArray<FileReport>): Record<Kind, KindReport> => {
  const out = {} as Record<Kind, KindReport>;
  for (const kind of KINDS) {
    const mine = files.filter((f) => f.kind === kind);
    const rows_read = mine.reduce((s, f) => s + f.rows_read, 0);
    const rows_quarantined = mine.reduce((s, f) => s + f.rows_quarantined, 0);
    out[kind] = {
      files: mine.length,
      rows_read,
      rows_cleaned: mine.reduce((s, f) => s + f.rows_cleaned, 0),
      rows_quarantined,
      reject_rate: rows_read === 0 ? 0 : rows_quarantined / rows_read,
    };
  }
  return out;
};

/** Row reasons over all files; a row with two codes counts once under each. */
export const totalReasonCounts = (files: ReadonlyArray<FileReport>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const f of files) for (const [code, n] of Object.entries(f.reason_counts)) out[code] = (out[code] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/**
 * REJECTED when any file is quarantined whole, or any kind's share of quarantined rows exceeds
 * the limit (strictly). Reasons are sentences for people and for the notification.
 */
export const verdictOf = (
  files: ReadonlyArray<FileReport>,
  kinds: Record<Kind, KindReport>,
  maxRejectRate: number,
): { verdict: Verdict; reasons: ReadonlyArray<string> } => {
  const reasons: string[] = [];
  for (const f of files) if (f.file_reason) reasons.push(`${f.key}: ${f.file_reason.code}: ${f.file_reason.message}`);
  for (const kind of KINDS) {
    const k = kinds[kind];
    if (k.reject_rate > maxRejectRate)
      reasons.push(`${kind}: ${k.rows_quarantined} of ${k.rows_read} rows quarantined (${(k.reject_rate * 100).toFixed(2)}%), above the limit of ${(maxRejectRate * 100).toFixed(2)}%`);
  }
  return { verdict: reasons.length === 0 ? 'ACCEPTED' : 'REJECTED', reasons };
};

