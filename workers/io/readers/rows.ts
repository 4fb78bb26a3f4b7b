// What every reader hands on: rows with their position, a header check for CSV, and the way a
// file fails as a whole.
import type { FileReason, FileReasonCode } from '../../core/reasons.js';

/** `line`: 1-based physical line (CSV, NDJSON). `index`: 0-based array index (JSON). */
export type PositionKind = 'line' | 'index';

export interface RowSink {
  /**
   * CSV: the header's column names, before any row. A returned reason stops the file
   * (FILE_EMPTY, FILE_MISSING_COLUMN).
   */
  readonly columns?: (names: ReadonlyArray<string>) => FileReason | undefined;
  /**
   * JSON: an object row that gives some member names more than once (JSON.parse keeps the last),
   * called with those names before the row. A returned reason stops the file, as for a CSV
   * header naming a column twice.
   */
  readonly repeatedKeys?: (names: ReadonlyArray<string>, position: number) => FileReason | undefined;
  /**
   * One row: column name → raw value for CSV and for JSON objects; any JSON value for an array
   * element or NDJSON line (the sink decides what a non-object is). A number that is a member of
   * a JSON object arrives as a string of its source text (exponent applied), never as a double.
   * Synchronous: no Promise per row.
   */
  readonly row: (values: unknown, position: number) => void;
  /** Awaited between chunks of input, never per row: the sinks' backpressure (and progress). */
  readonly ready: (bytesRead: number) => Promise<void> | undefined;
}

export interface ReadOutcome {
  readonly positionKind: PositionKind;
  /** Rows handed to the sink (for a failed file: before the failure). */
  readonly rows: number;
  /** Bytes read after decompression. */
  readonly bytes: number;
  readonly fileReason?: FileReason;
}

/** Thrown inside a reader to stop a file with a file-level reason. */
export class FileFailure extends Error {
  constructor(
    readonly code: FileReasonCode,
    message: string,
  ) {
    super(message);
  }
  get reason(): FileReason {
    return { code: this.code, message: this.message };
  }
}
