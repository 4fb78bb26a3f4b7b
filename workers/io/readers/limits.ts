// The one size cap of every reader: a record (a CSV row, an NDJSON line, a JSON-array element) is
// held whole in memory while it is parsed, so a larger one stops the file with a file-level reason
// instead of growing the heap until the task is killed (a small .json.gz can expand to a 600 MB
// string). 16 Mi characters is far beyond any real row (the fields the worker reads are ids,
// timestamps and amounts) and keeps a worker's peak at a few times that.
import { FileFailure } from './rows.js';

export const MAX_RECORD_CHARS = 16 << 20;

/** `what`: where the record starts, e.g. "line 7", "element 3". */
export const recordTooLarge = (what: string, hint = ''): FileFailure =>
  new FileFailure('FILE_MALFORMED', `record too large: ${what} is longer than ${MAX_RECORD_CHARS} characters (16 Mi, the record cap)${hint}`);
