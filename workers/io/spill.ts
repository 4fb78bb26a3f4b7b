// Gzipped NDJSON output for many partitions at once in bounded memory. Rows arrive in any date
// order, and a batch can touch thousands of order_date partitions, so one open gzip stream (and
// one upload) per partition is not an option. Instead:
// - each partition encodes its lines straight into a FLUSH_BYTES Buffer (no string concatenation:
//   a rope of lines costs a flatten, a copy and garbage), handed whole to its gzip stream when
//   full (level 1; zlib runs on libuv's thread pool, off the main thread);
// - at most MAX_OPEN gzip streams are open; the least recently used one is ended when another is
//   needed, and the partition continues in a new spill file. Each spill file is a complete gzip
//   member, and concatenated gzip members are one valid gzip file (RFC 1952), so publishing a
//   partition is a plain concatenation of its spill files.
// Memory: MAX_OPEN × (zlib state ≈ 300 KB + writable buffer) + partitions × FLUSH_BYTES at most.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { constants, createGzip, type Gzip, type ZlibOptions } from 'node:zlib';

const FLUSH_BYTES = 32 * 1024;
const NEWLINE = 10;
const MAX_OPEN = 24;
const GZIP_HIGH_WATER = 1 << 20;

interface Partition {
  readonly id: string;
  buffer: Buffer | undefined;
  used: number;
  rows: number;
  files: string[];
  open: { gzip: Gzip; done: Promise<void> } | undefined;
}

export interface SpilledPartition {
  readonly id: string;
  readonly rows: number;
  /** The partition's gzip bytes: its spill files, concatenated. */
  readonly open: () => Readable;
}

export class SpillWriters {
  private readonly partitions = new Map<string, Partition>();
  /** Open partitions, least recently used first (Map keeps insertion order). */
  private readonly lru = new Map<string, Partition>();
  /** Ended streams still compressing: bounded too, each holds its zlib state until done. */
  private readonly closing = new Set<Promise<void>>();
  private fileCount = 0;

  private constructor(private readonly dir: string) {}

  static async create(): Promise<SpillWriters> {
    return new SpillWriters(await mkdtemp(join(tmpdir(), 'validate-spill-')));
  }

  /** Appends one line (without its newline) to a partition. */
  append(id: string, line: string): void {
    let p = this.partitions.get(id);
    if (p === undefined) {
      p = { id, buffer: undefined, used: 0, rows: 0, files: [], open: undefined };
      this.partitions.set(id, p);
    }
    p.rows++;
    // a UTF-16 unit takes at most 3 UTF-8 bytes: flush first when the line might not fit
    const room = FLUSH_BYTES - p.used;
    if (p.buffer !== undefined && line.length * 3 + 1 > room) this.flush(p);
    if (line.length * 3 + 1 > FLUSH_BYTES) {
      this.openFor(p).write(`${line}\n`);
      return;
    }
    p.buffer ??= Buffer.allocUnsafe(FLUSH_BYTES);
    p.used += p.buffer.write(line, p.used);
    p.buffer[p.used++] = NEWLINE;
  }

  rows(id: string): number {
    return this.partitions.get(id)?.rows ?? 0;
  }

  /** Resolves when the open gzip streams have room again: awaited between input chunks. */
  ready(): Promise<void> | undefined {
    if (this.closing.size > MAX_OPEN) return Promise.race(this.closing);
    for (const p of this.lru.values()) {
      if (p.open?.gzip.writableNeedDrain) return new Promise((resolve) => p.open!.gzip.once('drain', resolve));
    }
    return undefined;
  }

  private flush(p: Partition): void {
    if (p.buffer === undefined || p.used === 0) return;
    this.openFor(p).write(p.buffer.subarray(0, p.used));
    p.buffer = undefined;
    p.used = 0;
  }

  private openFor(p: Partition): Gzip {
    if (p.open !== undefined) {
      this.lru.delete(p.id);
      this.lru.set(p.id, p);
      return p.open.gzip;
    }
    if (this.lru.size >= MAX_OPEN) {
      const [oldest] = this.lru.values();
      if (oldest) this.close(oldest);
    }
    const path = join(this.dir, `${this.fileCount++}.gz`);
    // zlib passes stream options through to its Transform; the typings do not say so
    const gzip = createGzip({ level: constants.Z_BEST_SPEED, writableHighWaterMark: GZIP_HIGH_WATER } as ZlibOptions);
    const file: WriteStream = createWriteStream(path);
    gzip.pipe(file);
    p.open = { gzip, done: finished(file).then(() => undefined) };
    p.files.push(path);
    this.lru.set(p.id, p);
    return gzip;
  }

  private close(p: Partition): void {
    if (p.open === undefined) return;
    p.open.gzip.end();
    const done: Promise<void> = p.open.done.finally(() => this.closing.delete(done));
    this.closing.add(done);
    p.open = undefined;
    this.lru.delete(p.id);
  }

  /** Flushes and closes everything; the partitions, sorted by id, ready to publish. */
  async finish(): Promise<ReadonlyArray<SpilledPartition>> {
    for (const p of this.partitions.values()) {
      this.flush(p);
      this.close(p);
      if (this.closing.size > MAX_OPEN) await Promise.race(this.closing);
    }
    await Promise.all(this.closing);
    return [...this.partitions.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({ id: p.id, rows: p.rows, open: () => Readable.from(concatFiles(p.files)) }));
  }

  async dispose(): Promise<void> {
    for (const p of this.partitions.values()) p.open?.gzip.destroy();
    await Promise.allSettled(this.closing);
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function* concatFiles(files: ReadonlyArray<string>): AsyncGenerator<Buffer> {
  for (const f of files) for await (const chunk of createReadStream(f)) yield chunk as Buffer;
}
