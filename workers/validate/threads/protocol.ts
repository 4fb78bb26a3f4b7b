// Messages between the validate worker's main thread and its check threads (check-thread.ts).
// A check thread reads one file at a time (file-job.ts): it checks each row's own rules and sends
// the main thread, a chunk of rows at a time, only what the batch's rules need (ids, an order's
// date, an item's references) as one concatenated string with end offsets; the main thread answers with the
// verdicts, and the thread renders, partitions and gzips the rows into its own spill files. At
// the file's end it sends where its partitions' members are (FileSpill): the main thread joins
// the files' partitions in file order.
import type { Kind } from '../../core/records.js';
import type { Location } from '../../io/location.js';
import type { FileSpill } from '../../io/spill.js';
import type { Claims, Outcome, Verdicts } from '../file-job.js';

export const THREAD_ROLE = 'validate-check-rows';

export interface ThreadData {
  readonly role: typeof THREAD_ROLE;
  readonly source: Location;
  readonly batchId: string;
  /** The thread's spill files: `<spillPath>.cleaned` and `<spillPath>.quarantine`. */
  readonly spillPath: string;
}

/** Main → thread. */
export type ToThread =
  | { readonly type: 'file'; readonly file: number; readonly key: string; readonly kind: Kind }
  | ({ readonly type: 'verdicts'; readonly file: number } & Verdicts);

/** Thread → main. */
export type FromThread =
  | ({ readonly type: 'claims'; readonly file: number } & Claims)
  | { readonly type: 'done'; readonly file: number; readonly outcome: Outcome; readonly cleaned: FileSpill; readonly quarantine: FileSpill }
  | { readonly type: 'failed'; readonly file: number; readonly message: string; readonly stack?: string };
