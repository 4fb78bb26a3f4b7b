// Gzipped NDJSON output for many partitions at once, in bounded memory, with rows arriving in any
// partition order (orders and items come in any date order, and a batch can touch thousands of
// order_date partitions: one gzip stream, file or upload per partition is not an option).
//
// Each partition encodes its lines straight into a block buffer (no string concatenation).
// A full buffer is compressed on its own into one gzip member (zlib.gzip, level 1, on libuv's
// thread pool, off the main thread) and appended to ONE local spill file; the partition keeps the
// list of its members' (offset, length). Concatenated gzip members are one valid gzip file
// (RFC 1952), so publishing a partition is reading its members back in order.
// Memory: blocks shrink from 64 KiB towards 8 KiB as partitions multiply, so buffers stay within
// BUFFER_BUDGET up to 6,000 partitions (beyond, every buffer is flushed early when over budget),
// plus the blocks waiting for compression (at most MAX_IN_FLIGHT at a time: a budget flush of
// thousands of partitions once started thousands of zlib streams together, ~300 KB of native
// memory each, and took peak RSS from 170 to 470 MB at 100 k items over four years of dates). (256 KiB blocks in a 96 MiB budget, tried
// for fewer zlib.gzip calls, took peak RSS at 4 M items from 563 to 662 MB: over the 600 target.)
import { open, mkdtemp, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, gzip } from 'node:zlib';

const MAX_BLOCK = 64 * 1024;
const MIN_BLOCK = 8 * 1024;
const BUFFER_BUDGET = 48 * 1024 * 1024;
const MAX_IN_FLIGHT = 16;
const NEWLINE = 10;

interface Member {
  offset: number;
  length: number;
}

interface Partition {
  readonly id: string;
  buffer: Buffer | undefined;
  used: number;
  size: number;
  rows: number;
  /** Members in row order; a slot is filled when its block is written. */
  readonly members: Member[];
}

export interface SpilledPartition {
  readonly id: string;
  readonly rows: number;
  /** Compressed size: the sum of its members. */
  readonly bytes: number;
  /** The partition's gzip bytes: its members, concatenated. */
  readonly open: () => Readable;
  /** The same bytes in one buffer (for a small partition: one PUT, no stream machinery). */
  readonly read: () => Promise<Buffer>;
}

export class SpillWriters {
  private readonly partitions = new Map<string, Partition>();
  private last: Partition | undefined;
  private buffered = 0;
  private inFlight = 0;
  private end = 0;
  private failure: Error | undefined;
  private waiters: Array<() => void> = [];
  /** Blocks waiting for a compression slot, in the order they were cut. */
  private queue: Array<{ readonly member: Member; readonly block: Buffer }> = [];
  private queueHead = 0;

  private constructor(
    private readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async create(): Promise<SpillWriters> {
    const dir = await mkdtemp(join(tmpdir(), 'validate-spill-'));
    const path = join(dir, 'spill.gz-members');
    return new SpillWriters(dir, await open(path, 'w+'));
  }

  /** Appends one line (without its newline) to a partition. */
  append(id: string, line: string): void {
    // consecutive rows mostly go to the same partition (an order's items, one date's orders)
    let p = id === this.last?.id ? this.last : this.partitions.get(id);
    if (p === undefined) {
      p = { id, buffer: undefined, used: 0, size: MAX_BLOCK, rows: 0, members: [] };
      this.partitions.set(id, p);
    }
    this.last = p;
    p.rows++;
    // a UTF-16 unit takes at most 3 UTF-8 bytes: flush first when the line might not fit
    if (p.buffer !== undefined && line.length * 3 + 1 > p.size - p.used) this.flush(p);
    if (line.length * 3 + 1 > MIN_BLOCK) {
      this.flush(p);
      this.compress(p, Buffer.from(`${line}\n`));
      return;
    }
    if (p.buffer === undefined) {
      p.size = Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, 2 ** Math.floor(Math.log2(BUFFER_BUDGET / this.partitions.size))));
      p.buffer = Buffer.allocUnsafe(p.size);
      this.buffered += p.size;
      if (this.buffered > BUFFER_BUDGET) for (const q of this.partitions.values()) if (q !== p) this.flush(q);
    }
    p.used += p.buffer.write(line, p.used);
    p.buffer[p.used++] = NEWLINE;
  }

  rows(id: string): number {
    return this.partitions.get(id)?.rows ?? 0;
  }

  /** Resolves when few enough blocks wait for compression: awaited between input chunks. */
  ready(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    return this.waiting() <= MAX_IN_FLIGHT ? undefined : new Promise((resolve) => this.waiters.push(resolve));
  }

  private waiting(): number {
    return this.queue.length - this.queueHead;
  }

  private flush(p: Partition): void {
    if (p.buffer === undefined) return;
    const block = p.buffer.subarray(0, p.used);
    p.buffer = undefined;
    p.used = 0;
    this.buffered -= p.size;
    if (block.length > 0) this.compress(p, block);
  }

  private compress(p: Partition, block: Buffer): void {
    const member: Member = { offset: -1, length: 0 };
    p.members.push(member);
    this.queue.push({ member, block });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting() > 0) {
      const { member, block } = this.queue[this.queueHead++]!;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      this.start(member, block);
    }
  }

  private start(member: Member, block: Buffer): void {
    this.inFlight++;
    gzip(block, { level: constants.Z_BEST_SPEED }, (error, compressed) => {
      if (error) return this.settle(error);
      // reserve the place now, write at it: blocks may finish in any order
      member.offset = this.end;
      member.length = compressed.length;
      this.end += compressed.length;
      this.file.write(compressed, 0, compressed.length, member.offset).then(
        () => this.settle(undefined),
        (e: Error) => this.settle(e),
      );
    });
  }

  private settle(error: Error | undefined): void {
    this.inFlight--;
    if (error) this.failure ??= error;
    this.pump();
    if (this.waiting() <= MAX_IN_FLIGHT / 2 || error) {
      const waiting = this.waiters;
      this.waiters = [];
      waiting.forEach((w) => w());
    }
  }

  /** Every block written (settle() wakes waiters on each completion once few blocks wait). */
  private async drained(): Promise<void> {
    while (this.inFlight > 0 || (this.waiting() > 0 && !this.failure)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  /** Flushes everything; the partitions, sorted by id, ready to publish. */
  async finish(): Promise<ReadonlyArray<SpilledPartition>> {
    for (const p of this.partitions.values()) {
      this.flush(p);
      if (this.waiting() > MAX_IN_FLIGHT) await this.ready();
    }
    await this.drained();
    return [...this.partitions.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({
        id: p.id,
        rows: p.rows,
        bytes: p.members.reduce((n, m) => n + m.length, 0),
        open: () => Readable.from(this.members(p.members)),
        read: async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of this.members(p.members)) chunks.push(chunk);
          return Buffer.concat(chunks);
        },
      }));
  }

  // Positional reads on the one open handle: a stream per member would open and close the spill
  // file thousands of times (one member per 8–64 KiB block).
  private async *members(members: ReadonlyArray<Member>): AsyncGenerator<Buffer> {
    for (const m of members) {
      if (m.length === 0) continue;
      const chunk = Buffer.allocUnsafe(m.length);
      let got = 0;
      while (got < m.length) {
        const { bytesRead } = await this.file.read(chunk, got, m.length - got, m.offset + got);
        if (bytesRead === 0) throw new Error(`spill file ended inside a member at ${m.offset + got}`);
        got += bytesRead;
      }
      yield chunk;
    }
  }

  async dispose(): Promise<void> {
    await this.drained().catch(() => undefined);
    await this.file.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
