// Read → check → accept, file by file in processing order: each row's own rules (core/rows/check)
// then the batch's (BatchState), accepted lines to their spill partition, rejected rows to the
// kind's quarantine partition in file order.
import type { Kind } from '../core/records.js';
import type { FileReport } from '../core/report.js';
import type { BatchState } from '../core/rows/batch-state.js';
import { CHECKS } from '../core/rows/check.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Logger } from '../io/log.js';
import { quarantinedRowLine } from '../io/quarantine.js';
import { positionKindOf, readRows } from '../io/readers/index.js';
import { headerReason, repeatedKeysReason } from '../core/header.js';
import type { SpillWriters } from '../io/spill.js';
import type { InputFile } from './batch-files.js';
import { FileTally, unsupportedFile } from './file-tally.js';

export interface Progress {
  readonly file: string;
  readonly rows: number;
  /** Input bytes read so far (after decompression). */
  readonly bytes: number;
}

export interface AcceptContext {
  readonly source: BlobStore;
  readonly state: BatchState;
  readonly spill: SpillWriters;
  readonly batchId: string;
  readonly onProgress?: (progress: Progress) => void;
  readonly log?: Logger;
}

export const quarantinePartition = (kind: Kind): string => `q|${kind}`;

/** Row positions are array indexes in a JSON array, physical lines elsewhere (the readers say). */
export { positionKindOf };

export const acceptFiles = async (files: ReadonlyArray<InputFile>, ctx: AcceptContext): Promise<FileReport[]> => {
  const { source, state, spill, batchId, log } = ctx;
  const reports: FileReport[] = [];
  let rowsBefore = 0;
  let bytesBefore = 0;
  for (const { key, kind } of files) {
    if (kind === null) {
      reports.push(unsupportedFile(key));
      continue;
    }
    const check = CHECKS[kind];
    const tally = new FileTally();
    const quarantine = quarantinePartition(kind);
    const positionKind = positionKindOf(key);
    let rows = 0;
    const started = Date.now();
    state.fileStarted();
    const outcome = await readRows(key, () => source.read(key), {
      columns: (names) => headerReason(kind, names),
      repeatedKeys: (names, position) => repeatedKeysReason(kind, names, `${positionKind === 'index' ? 'element' : 'line'} ${position}`),
      row: (values, position) => {
        rows++;
        const result = state.accept(kind, check(values));
        if (typeof result === 'string') {
          spill.append(state.partition, result);
          tally.cleaned++;
        } else {
          tally.reject(result);
          spill.append(quarantine, quarantinedRowLine(batchId, key, positionKind, position, result, values));
        }
      },
      ready: (bytesRead) => {
        ctx.onProgress?.({ file: key, rows: rowsBefore + rows, bytes: bytesBefore + bytesRead });
        return spill.ready();
      },
    });
    log?.debug('file read', { key, rows: outcome.rows, bytes: outcome.bytes, ms: Date.now() - started });
    rowsBefore += outcome.rows;
    bytesBefore += outcome.bytes;
    if (outcome.fileReason !== undefined) {
      state.fileFailed(kind);
      log?.warn('file quarantined', { key, ...outcome.fileReason });
    }
    reports.push(tally.report(key, kind, outcome));
  }
  return reports;
};
