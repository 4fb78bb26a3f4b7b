// One file's counts as its rows are routed, and the file's report once it is read.
import type { RowReason } from '../core/reasons.js';
import type { Kind } from '../core/records.js';
import type { FileReport } from '../core/report.js';
import { showFormat, type FileFormat, type ReadOutcome } from '../io/readers/index.js';

export class FileTally {
  cleaned = 0;
  quarantined = 0;
  private readonly reasonCounts: Record<string, number> = {};

  /** A quarantined row counts once under each of its distinct codes. */
  reject(reasons: ReadonlyArray<RowReason>): void {
    this.quarantined++;
    for (let i = 0; i < reasons.length; i++) {
      const code = reasons[i]!.code;
      let repeated = false;
      for (let j = 0; j < i; j++) if (reasons[j]!.code === code) repeated = true;
      if (!repeated) this.reasonCounts[code] = (this.reasonCounts[code] ?? 0) + 1;
    }
  }

  report(key: string, kind: Kind, outcome: ReadOutcome & { format?: FileFormat }): FileReport {
    const failed = outcome.fileReason !== undefined;
    return {
      key,
      kind,
      format: outcome.format ? showFormat(outcome.format) : 'unknown',
      rows_read: outcome.rows,
      rows_cleaned: failed ? 0 : this.cleaned,
      rows_quarantined: failed ? outcome.rows : this.quarantined,
      ...(outcome.fileReason ? { file_reason: outcome.fileReason } : {}),
      reason_counts: Object.fromEntries(Object.entries(this.reasonCounts).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }
}

export const unsupportedFile = (key: string): FileReport => ({
  key, kind: null, format: 'unknown', rows_read: 0, rows_cleaned: 0, rows_quarantined: 0, reason_counts: {},
  file_reason: { code: 'FILE_UNSUPPORTED', message: 'not under products/, orders/ or order_items/' },
});
