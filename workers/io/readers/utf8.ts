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

export class Utf8Check {
  private carry: Buffer | undefined;
  private offset = 0;

  /** Throws FILE_UNREADABLE at the first invalid sequence. */
  push(chunk: Buffer): void {
    const whole = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const tail = incompleteTail(whole);
    const body = tail === 0 ? whole : whole.subarray(0, whole.length - tail);
    if (!isUtf8(body)) throw new FileFailure('FILE_UNREADABLE', `not valid UTF-8 (within bytes ${this.offset}-${this.offset + body.length})`);
    this.offset += body.length;
    this.carry = tail === 0 ? undefined : Buffer.from(whole.subarray(whole.length - tail));
  }

  end(): void {
    if (this.carry !== undefined) throw new FileFailure('FILE_UNREADABLE', `not valid UTF-8 (truncated character at byte ${this.offset})`);
  }
}
