// Which candidate keys of a batch the validator reads, which it reports without reading, and which
// it ignores — pure, from the manifest's keys or a listing. Every candidate lands in exactly one of
// the three lists, so nothing named or found is dropped unreported.
import * as E from 'fp-ts/lib/Either.js';
import type { BatchFile } from './manifest.js';
import { ignoredReason, normaliseKey } from './landing-key.js';
import type { FileReason } from './reasons.js';
import { KINDS, type Kind } from './records.js';
import type { FileReport } from './report.js';

export interface InputFile {
  /** Normalised, inside the root. */
  readonly key: string;
  readonly kind: Kind;
}

export interface IgnoredFile {
  readonly key: string;
  readonly reason: string;
}

export interface BatchFilePlan {
  /** To read, in processing order (products, orders, items; then by key). */
  readonly read: ReadonlyArray<InputFile>;
  /** Reported with a file reason and never read: outside every kind prefix, or outside the root. */
  readonly refused: ReadonlyArray<FileReport>;
  /** Keys inside the root (read, or refused for their prefix): the only ones copied to quarantine or deleted. */
  readonly insideRoot: ReadonlySet<string>;
  readonly ignored: ReadonlyArray<IgnoredFile>;
  /** The candidates with normalised keys, for the batch id. */
  readonly listed: ReadonlyArray<BatchFile>;
}

export const kindOfKey = (key: string): Kind | null => KINDS.find((k) => key.startsWith(`${k}/`)) ?? null;

const byKindThenKey = (a: InputFile, b: InputFile): number => {
  const ka = KINDS.indexOf(a.kind);
  const kb = KINDS.indexOf(b.kind);
  return ka !== kb ? ka - kb : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
};

const refusal = (key: string, kind: Kind | null, fileReason: FileReason): FileReport => ({
  key, kind, format: 'unknown', rows_read: 0, rows_cleaned: 0, rows_quarantined: 0, reason_counts: {}, file_reason: fileReason,
});

export const planBatchFiles = (candidates: ReadonlyArray<BatchFile>): BatchFilePlan => {
  const read = new Map<string, InputFile>();
  const refused = new Map<string, FileReport>();
  const inside: string[] = [];
  const ignored: IgnoredFile[] = [];
  const listed: BatchFile[] = [];
  for (const candidate of candidates) {
    const normalised = normaliseKey(candidate.key);
    if (E.isLeft(normalised)) {
      if (!refused.has(candidate.key)) {
        refused.set(candidate.key, refusal(candidate.key, null, { code: 'FILE_UNREADABLE', message: `outside the input root: the key ${normalised.left}; nothing outside the root is read` }));
      }
      listed.push(candidate);
      continue;
    }
    const key = normalised.right;
    const why = ignoredReason(candidate.key.endsWith('/') ? candidate.key : key);
    if (why !== undefined) {
      ignored.push({ key: candidate.key, reason: why });
      continue;
    }
    listed.push({ ...candidate, key });
    if (read.has(key) || refused.has(key)) continue;
    const kind = kindOfKey(key);
    if (kind === null) {
      refused.set(key, refusal(key, null, { code: 'FILE_UNSUPPORTED', message: 'not under products/, orders/ or order_items/' }));
      inside.push(key);
    } else read.set(key, { key, kind });
  }
  return { read: [...read.values()].sort(byKindThenKey), refused: [...refused.values()], insideRoot: new Set([...read.keys(), ...inside]), ignored, listed };
};
