// A check thread: reads the files it is given, one at a time, checks every row's own rules and
// sends the outcomes in chunks (protocol.ts). It keeps each chunk's raw rows until the main
// thread has applied the chunk, to render the quarantine lines the main thread asks for; at most
// WINDOW chunks are held, so a thread ahead of the main thread waits instead of buffering a file.
//
// The module is its own worker entry: loaded in a thread created by pool.ts with THREAD_ROLE in
// workerData, it starts serving. In a bundle (dist/validate.js, dist/run-local.js) the thread
// re-enters the bundle itself, whose CLI entry stays idle off the main thread.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Kind } from '../../core/records.js';
import { CHECKS, isRejected } from '../../core/rows/check.js';
import type { ItemOk } from '../../core/rows/item.js';
import type { OrderOk } from '../../core/rows/order.js';
import type { ProductOk } from '../../core/rows/product.js';
import { openStore, type BlobStore } from '../../io/blob-store.js';
import { quarantinedRowLine } from '../../io/quarantine.js';
import { readRows, type PositionKind } from '../../io/readers/index.js';
import { nameChecks } from '../../core/header.js';
import { positionKindOf } from '../positions.js';
import { THREAD_ROLE, type Chunk, type FromThread, type ThreadData, type ToThread } from './protocol.js';

const CHUNK_ROWS = 1024;
const WINDOW = 4;

interface Held {
  readonly key: string;
  readonly positionKind: PositionKind;
  readonly values: unknown[];
  readonly positions: number[];
}

class ChunkBuilder {
  ok: number[] = [];
  a: string[] = [];
  b: string[] = [];
  c: string[] = [];
  d: string[] = [];
  rejected: Chunk['rejected'] = [];
  values: unknown[] = [];
  positions: number[] = [];

  add(kind: Kind, values: unknown, position: number): void {
    const check = CHECKS[kind](values);
    this.values.push(values);
    this.positions.push(position);
    if (isRejected(check)) {
      this.ok.push(0);
      this.rejected.push(check.refs ? { reasons: check.reasons, orderId: check.refs.orderId, productId: check.refs.productId } : { reasons: check.reasons });
      return;
    }
    this.ok.push(1);
    if (kind === 'order_items') {
      const i = check as ItemOk;
      this.a.push(i.prefix), this.b.push(i.id), this.c.push(i.orderId), this.d.push(i.productId);
    } else if (kind === 'orders') {
      const o = check as OrderOk;
      this.a.push(o.line), this.b.push(o.id), this.c.push(o.date);
    } else {
      const p = check as ProductOk;
      this.a.push(p.line), this.b.push(p.id), this.c.push(p.category);
    }
  }
}

const serve = (port: MessagePort, data: ThreadData): void => {
  const store: BlobStore = openStore(data.source);
  const held = new Map<string, Held>();
  let wake: (() => void) | undefined;
  const queue: Array<Extract<ToThread, { type: 'file' }>> = [];
  let busy = false;
  const post = (m: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

  const readFile = async (file: number, key: string, kind: Kind): Promise<void> => {
    const positionKind = positionKindOf(key);
    let seq = 0;
    let chunk = new ChunkBuilder();
    let bytes = 0;
    const flush = () => {
      if (chunk.ok.length === 0) return;
      const ok = Uint8Array.from(chunk.ok);
      held.set(`${file}:${seq}`, { key, positionKind, values: chunk.values, positions: chunk.positions });
      post({ type: 'chunk', file, seq, ok, a: chunk.a, b: chunk.b, c: chunk.c, d: chunk.d, rejected: chunk.rejected, bytes }, [ok.buffer as ArrayBuffer]);
      seq++;
      chunk = new ChunkBuilder();
    };
    const outcome = await readRows(key, () => store.read(key), {
      ...nameChecks(kind, positionKind),
      row: (values, position) => {
        chunk.add(kind, values, position);
        if (chunk.ok.length >= CHUNK_ROWS) flush();
      },
      ready: async (bytesRead) => {
        bytes = bytesRead;
        while (held.size >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
      },
    });
    flush();
    post({ type: 'done', file, outcome });
  };

  const next = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      try {
        await readFile(job.file, job.key, job.kind);
      } catch (error) {
        post({ type: 'failed', file: job.file, message: (error as Error).message });
      }
    }
    busy = false;
  };

  port.on('message', (m: ToThread) => {
    if (m.type === 'file') {
      queue.push(m);
      void next();
      return;
    }
    const id = `${m.file}:${m.seq}`;
    const h = held.get(id);
    held.delete(id);
    if (m.type === 'quarantine' && h !== undefined) {
      const lines = m.rows.map((row, i) => quarantinedRowLine(data.batchId, h.key, h.positionKind, h.positions[row]!, m.reasons[i]!, h.values[row]));
      post({ type: 'quarantined', file: m.file, seq: m.seq, lines });
    }
    const w = wake;
    wake = undefined;
    w?.();
  });
};

if (!isMainThread && parentPort !== null && (workerData as ThreadData | undefined)?.role === THREAD_ROLE) serve(parentPort, workerData as ThreadData);

/** Marks this module as used, so that a bundle keeps it: the pool's thread entry. */
export const CHECK_THREAD_ENTRY = THREAD_ROLE;
