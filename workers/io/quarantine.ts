// Quarantine records: one NDJSON line per rejected row, and the reason file beside a quarantined
// whole file.
import type { FileReason, RowReason } from '../core/reasons.js';
import type { PositionKind } from './readers/index.js';

/** DESIGN §4: the raw row is kept up to 8 KiB. */
export const RAW_ROW_LIMIT = 8 * 1024;

/**
 * The raw row as its JSON value when its text fits in 8 KiB; otherwise the first 8 KiB of that
 * text, with `raw_truncated: true`.
 */
const rawOf = (values: unknown): { raw: unknown; raw_truncated?: true } => {
  const text = JSON.stringify(values) ?? 'null';
  if (Buffer.byteLength(text) <= RAW_ROW_LIMIT) return { raw: values ?? null };
  let cut = text.slice(0, RAW_ROW_LIMIT);
  while (Buffer.byteLength(cut) > RAW_ROW_LIMIT) cut = cut.slice(0, -1);
  return { raw: cut, raw_truncated: true };
};

export const quarantinedRowLine = (
  batchId: string,
  sourceKey: string,
  positionKind: PositionKind,
  position: number,
  reasons: ReadonlyArray<RowReason>,
  values: unknown,
): string =>
  JSON.stringify({
    batch_id: batchId,
    source_key: sourceKey,
    [positionKind]: position,
    reasons: reasons.map((r) => ({ code: r.code, field: r.field ?? null, message: r.message })),
    ...rawOf(values),
  });

export const quarantinedFileReason = (
  batchId: string,
  sourceKey: string,
  fileReason: FileReason | undefined,
  batchReasons: ReadonlyArray<string>,
): string =>
  `${JSON.stringify(
    {
      batch_id: batchId,
      source_key: sourceKey,
      file_reason: fileReason ?? null,
      batch_verdict: 'REJECTED',
      batch_reasons: batchReasons,
    },
    null,
    2,
  )}\n`;
