// Strict UTF-8 over a byte stream without decoding it: node's native isUtf8 per chunk, with the
// bytes of a character split across two chunks carried over to the next one.
import { isUtf8 } from 'node:buffer';
import { FileFailure } from './rows.js';

/** Length of the incomplete character at the end of the chunk (0 when it ends cleanly). */
const incompleteTail = (chunk: Uint8Array): number => {
  const n = chunk.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = chunk[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
};

/** Length of the longest valid prefix (ending on a character boundary): a binary search, failures only. */
const validPrefix = (body: Buffer): number => {
  const ok = (m: number) => {
    const part = body.subarray(0, m);
    return isUtf8(part.subarray(0, m - incompleteTail(part)));
  };
  let lo = 0;
  let hi = body.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo - incompleteTail(body.subarray(0, lo));
};

/** Carries the valid bytes before the failure, so a reader can still count the rows they hold. */
export class Utf8Failure extends FileFailure {
  constructor(
    message: string,
    readonly validBytes: Buffer,
  ) {
    super('FILE_UNREADABLE', message);
  }
}

export class Utf8Check {
  private carry: Buffer | undefined;
  private offset = 0;

  /**
   * The bytes that are valid UTF-8 so far and end on a character boundary (an incomplete
   * character at the end waits for the next chunk). Throws FILE_UNREADABLE at the first invalid
   * sequence.
   */
  push(chunk: Buffer): Buffer {
    const whole = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const tail = incompleteTail(whole);
    const body = tail === 0 ? whole : whole.subarray(0, whole.length - tail);
    if (!isUtf8(body)) {
      const valid = validPrefix(body);
      throw new Utf8Failure(`not valid UTF-8 at byte ${this.offset + valid}`, body.subarray(0, valid));
    }
    this.offset += body.length;
    this.carry = tail === 0 ? undefined : Buffer.from(whole.subarray(whole.length - tail));
    return body;
  }

  end(): void {
    if (this.carry !== undefined) throw new FileFailure('FILE_UNREADABLE', `not valid UTF-8 (truncated character at byte ${this.offset})`);
  }
}
