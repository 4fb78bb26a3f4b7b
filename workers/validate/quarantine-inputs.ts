// A rejected batch's inputs move to quarantine: each is copied first, and only the copies that
// succeeded are removed from landing afterwards. A copy that fails for any reason other than the
// input being gone already stops the run (exit 1, the state machine's failure path) with nothing
// deleted, so no input is ever lost between landing and quarantine.
import { quarantineFileKey, quarantineFileReasonKey } from '../core/lake-layout.js';
import type { FileReport } from '../core/report.js';
import type { BlobStore } from '../io/blob-store.js';
import type { Logger } from '../io/log.js';
import { quarantinedFileReason } from '../io/quarantine.js';

/** Keys whose quarantine copy is confirmed: the only ones that may leave landing. */
export interface QuarantinedInputs {
  readonly copied: ReadonlyArray<string>;
  /** Inputs that no longer existed (deleted during the run): nothing to copy, nothing to delete. */
  readonly absent: ReadonlyArray<string>;
  /** Inputs the store never reads (a link leading outside the root, a directory): left where they are. */
  readonly refused: ReadonlyArray<string>;
}

// The local store's refusal (local-store.ts OutsideRoot): such a file is reported, never copied.
const isRefused = (error: unknown): boolean => (error as { name?: string }).name === 'OutsideRoot';

const isAbsent = (error: unknown): boolean => {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.code === 'ENOENT' || e.$metadata?.httpStatusCode === 404;
};

export const quarantineInputs = async (props: {
  readonly source: BlobStore;
  readonly lake: BlobStore;
  readonly batchId: string;
  readonly files: ReadonlyArray<Pick<FileReport, 'key' | 'file_reason'>>;
  readonly reasons: ReadonlyArray<string>;
  readonly log?: Logger;
}): Promise<QuarantinedInputs> => {
  const { source, lake, batchId, reasons, log } = props;
  const copied: string[] = [];
  const absent: string[] = [];
  const refused: string[] = [];
  const failed: string[] = [];
  for (const f of props.files) {
    try {
      await lake.copyFrom(source, f.key, quarantineFileKey(batchId, f.key));
      copied.push(f.key);
    } catch (error) {
      if (isAbsent(error)) absent.push(f.key);
      else if (isRefused(error)) refused.push(f.key);
      else {
        failed.push(f.key);
        log?.error('could not copy file to quarantine', { key: f.key, error: String(error) });
      }
    }
    await lake.write(quarantineFileReasonKey(batchId, f.key), quarantinedFileReason(batchId, f.key, f.file_reason, reasons), 'application/json');
  }
  if (failed.length > 0) {
    throw new Error(`could not copy ${failed.length} input(s) to quarantine (${failed.slice(0, 3).join(', ')}${failed.length > 3 ? ', …' : ''}); nothing was deleted from landing`);
  }
  if (absent.length > 0) log?.warn('inputs gone before their quarantine copy', { keys: absent });
  return { copied, absent, refused };
};
