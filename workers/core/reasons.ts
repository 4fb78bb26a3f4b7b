// The closed set of reasons a file or a row can be quarantined for. Codes are stable strings:
// reports, quarantine records, the generator's manifest and notifications all use them.
import * as t from 'io-ts';

/** Whole-file problems: the file goes to quarantine and the batch is rejected (DESIGN §4). */
export const FileReasonCode = t.keyof({
  FILE_UNREADABLE: null, // I/O error, not UTF-8, truncated or corrupt gzip
  FILE_EMPTY: null, // no header / no content at all
  FILE_MISSING_COLUMN: null, // a required column is absent from the header
  FILE_MALFORMED: null, // unterminated quote, JSON syntax error, not an array of objects
  FILE_UNSUPPORTED: null, // extension is none of .csv .json .jsonl .ndjson (optionally .gz)
});
export type FileReasonCode = t.TypeOf<typeof FileReasonCode>;

/** Row problems: the row goes to quarantine with every reason that applies (DESIGN §4). */
export const RowReasonCode = t.keyof({
  MISSING_FIELD: null, // a required field is empty or absent
  INVALID_TYPE: null, // a present value does not have its type (money, integer, timestamp)
  UNKNOWN_STATUS: null, // order status outside the six known ones
  NEGATIVE_MONEY: null, // money below zero
  BROKEN_CHRONOLOGY: null, // shipped < created, delivered < shipped, returned < delivered (orders)
  DUPLICATE_KEY: null, // key seen earlier in the batch among otherwise valid rows
  UNKNOWN_ORDER: null, // item whose order_id is not a valid order of the batch
  UNKNOWN_PRODUCT: null, // item whose product_id is neither in the batch nor in the catalog
});
export type RowReasonCode = t.TypeOf<typeof RowReasonCode>;

export const ROW_REASON_CODES: ReadonlyArray<RowReasonCode> = Object.keys(RowReasonCode.keys) as RowReasonCode[];
export const FILE_REASON_CODES: ReadonlyArray<FileReasonCode> = Object.keys(FileReasonCode.keys) as FileReasonCode[];

/** One reason, with the field it concerns when there is one, and a human sentence. */
export interface RowReason {
  readonly code: RowReasonCode;
  readonly field?: string;
  readonly message: string;
}

export interface FileReason {
  readonly code: FileReasonCode;
  readonly message: string;
}
