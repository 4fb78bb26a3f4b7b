// Gzipped NDJSON output for many partitions at once, in bounded memory, with rows arriving in any
// partition order (orders and items come in any date order, and a batch can touch thousands of
// order_date partitions: one gzip stream, file or upload per partition is not an option).
//
// Each partition encodes its lines straight into a block buffer (no string concatenation).
// A full buffer is compressed on its own into one gzip member (zlib.gzipSync, level 1, on the
// calling thread: the async zlib.gzip cost ~90 µs of stream machinery per 16 KiB block on the
// main thread, more than the deflate itself; a check thread compresses its own files' rows) and
// appended to ONE local spill file through a 1 MiB staging buffer; the partition keeps the list
// of its members' (offset, length). Concatenated gzip members are one valid gzip file (RFC 1952),
// so publishing a partition is reading its members back in order.
//
// Files: `takeFile()` closes the current file's partitions (their members are final) and starts
// afresh, so a file's members depend on that file's lines alone — whichever thread and writer
// spilled it. A SpillSet joins the files' partitions, in file order, from any number of spill
// files (one per thread).
// Memory: blocks shrink from 64 KiB towards 8 KiB as partitions multiply, so buffers stay within
// BUFFER_BUDGET up to 6,000 partitions (beyond, every buffer is flushed early when over budget),
// plus the blocks waiting for compression (at most MAX_IN_FLIGHT at a time: a budget flush of
// thousands of partitions once started thousands of zlib streams together, ~300 KB of native
// memory each, and took peak RSS from 170 to 470 MB at 100 k items over four years of dates). (256 KiB blocks in a 96 MiB budget, tried
// for fewer zlib.gzip calls, took peak RSS at 4 M items from 563 to 662 MB: over the 600 target.)
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, gzipSync } from 'node:zlib';

const MAX_BLOCK = 64 * 1024;
const MIN_BLOCK = 8 * 1024;
/** Per writer (a thread holds one for cleaned rows): the same whatever the thread count. */
const BUFFER_BUDGET = 24 * 1024 * 1024;
const STAGE_BYTES = 1024 * 1024;
const NEWLINE = 10;

interface Partition {
  readonly id: string;
  buffer: Buffer | undefined;
  used: number;
  size: number;
  rows: number;
  /** Members in row order: offset, length, offset, length… */
  readonly members: number[];
}

/** One file's partitions in one spill file: plain data, posted from a check thread. */
export interface FileSpill {
  readonly path: string;
  readonly partitions: ReadonlyArray<{ readonly id: string; readonly rows: number; readonly members: ReadonlyArray<number> }>;
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
  private partitions = new Map<string, Partition>();
  private last: Partition | undefined;
  private buffered = 0;
  private end = 0;
  private readonly stage = Buffer.allocUnsafe(STAGE_BYTES);
  private staged = 0;
  private set: SpillSet | undefined;
  /**
   * Flushed block buffers by size, for reuse: a fresh 16 KiB ArrayBuffer per block (30 k per
   * thread on the 1 M shop) made V8 collect for the external memory's sake.
   */
  private readonly spare = new Map<number, Buffer[]>();

  private constructor(
    private readonly dir: string | undefined,
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  /** A writer with its own temporary directory (removed by dispose). */
  static async create(): Promise<SpillWriters> {
    const dir = await mkdtemp(join(tmpdir(), 'validate-spill-'));
    const path = join(dir, 'spill.gz-members');
    return new SpillWriters(dir, path, await open(path, 'w+'));
  }

  /** A writer of a file in a directory someone else owns (a check thread's, in the batch's). */
  static async at(path: string): Promise<SpillWriters> {
    return new SpillWriters(undefined, path, await open(path, 'w+'));
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
      p.buffer = this.spare.get(p.size)?.pop() ?? Buffer.allocUnsafe(p.size);
      this.buffered += p.size;
      if (this.buffered > BUFFER_BUDGET) for (const q of this.partitions.values()) if (q !== p) this.flush(q);
    }
    p.used += p.buffer.write(line, p.used);
    p.buffer[p.used++] = NEWLINE;
  }

  rows(id: string): number {
    return this.partitions.get(id)?.rows ?? 0;
  }

  /** Compression is synchronous: nothing waits. Kept for the readers' backpressure hook. */
  ready(): Promise<void> | undefined {
    return undefined;
  }

  private flush(p: Partition): void {
    const buffer = p.buffer;
    if (buffer === undefined) return;
    const block = buffer.subarray(0, p.used);
    p.buffer = undefined;
    p.used = 0;
    this.buffered -= p.size;
    if (block.length > 0) this.compress(p, block);
    // compressed already (synchronously): the block can take the next rows of any partition
    let spare = this.spare.get(buffer.length);
    if (spare === undefined) this.spare.set(buffer.length, (spare = []));
    if (spare.length * buffer.length < BUFFER_BUDGET) spare.push(buffer);
  }

  private compress(p: Partition, block: Buffer): void {
    const compressed = gzipSync(block, { level: constants.Z_BEST_SPEED });
    const offset = this.end;
    p.members.push(offset, compressed.length);
    if (this.staged + compressed.length > STAGE_BYTES) this.writeStaged();
    if (compressed.length > STAGE_BYTES) this.writeAt(compressed, offset);
    else {
      compressed.copy(this.stage, this.staged);
      this.staged += compressed.length;
    }
    this.end += compressed.length;
  }

  /** The staged bytes: the members just before `end`. */
  private writeStaged(): void {
    if (this.staged === 0) return;
    this.writeAt(this.stage.subarray(0, this.staged), this.end - this.staged);
    this.staged = 0;
  }

  private writeAt(bytes: Buffer, position: number): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.file.fd, bytes, done, bytes.length - done, position + done);
  }

  /** The current file's partitions, every member on disk; the next lines start a new file. */
  takeFile(): FileSpill {
    for (const p of this.partitions.values()) this.flush(p);
    this.writeStaged();
    const partitions = [...this.partitions.values()].map((p) => ({ id: p.id, rows: p.rows, members: p.members }));
    this.partitions = new Map();
    this.last = undefined;
    this.buffered = 0;
    return { path: this.path, partitions };
  }

  /** Everything appended as one file; the partitions, sorted by id, ready to publish. */
  async finish(): Promise<ReadonlyArray<SpilledPartition>> {
    this.set ??= new SpillSet();
    this.set.add(this.takeFile());
    return this.set.finish();
  }

  async dispose(): Promise<void> {
    await this.set?.dispose();
    await this.file.close().catch(() => undefined);
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Files' partitions joined in the order the files were added: what gets published. */
export class SpillSet {
  private readonly parts = new Map<string, { rows: number; members: Array<{ path: string; offset: number; length: number }> }>();
  private readonly handles = new Map<string, Promise<FileHandle>>();

  add(spill: FileSpill): void {
    for (const p of spill.partitions) {
      let part = this.parts.get(p.id);
      if (part === undefined) this.parts.set(p.id, (part = { rows: 0, members: [] }));
      part.rows += p.rows;
      for (let i = 0; i < p.members.length; i += 2) part.members.push({ path: spill.path, offset: p.members[i]!, length: p.members[i + 1]! });
    }
  }

  finish(): ReadonlyArray<SpilledPartition> {
    return [...this.parts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, p]) => {
        const bytes = p.members.reduce((n, m) => n + m.length, 0);
        return { id, rows: p.rows, bytes, open: () => Readable.from(this.members(p.members)), read: () => this.readWhole(p.members, bytes) };
      });
  }

  private handle(path: string): Promise<FileHandle> {
    let handle = this.handles.get(path);
    if (handle === undefined) this.handles.set(path, (handle = open(path, 'r')));
    return handle;
  }

  /**
   * A small partition's members into one buffer, by synchronous positional reads of the local
   * spill files: thousands of partitions of a few members each, where a thread-pool round trip
   * per member cost more than the copy from the page cache.
   */
  private async readWhole(members: ReadonlyArray<{ path: string; offset: number; length: number }>, bytes: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const m of members) {
      const { fd } = await this.handle(m.path);
      for (let done = 0; done < m.length; ) {
        const got = readSync(fd, out, at + done, m.length - done, m.offset + done);
        if (got === 0) throw new Error(`spill file ended inside a member at ${m.offset + done}`);
        done += got;
      }
      at += m.length;
    }
    return out;
  }

  // Positional reads on one open handle per spill file: a stream per member would open and close
  // the file thousands of times (one member per 8–64 KiB block).
  private async *members(members: ReadonlyArray<{ path: string; offset: number; length: number }>): AsyncGenerator<Buffer> {
    for (const m of members) {
      if (m.length === 0) continue;
      const file = await this.handle(m.path);
      const chunk = Buffer.allocUnsafe(m.length);
      let got = 0;
      while (got < m.length) {
        const { bytesRead } = await file.read(chunk, got, m.length - got, m.offset + got);
        if (bytesRead === 0) throw new Error(`spill file ended inside a member at ${m.offset + got}`);
        got += bytesRead;
      }
      yield chunk;
    }
  }

  async dispose(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map(async (h) => (await h.catch(() => undefined))?.close().catch(() => undefined)));
  }
}
