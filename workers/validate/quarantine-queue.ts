// Quarantine lines rendered by check threads arrive whenever a thread gets to them; they go to the
// quarantine spill in the order their chunks were applied (file order), so its bytes do not depend
// on thread timing.
import type { Kind } from '../core/records.js';
import type { SpillWriters } from '../io/spill.js';

interface Entry {
  readonly id: string;
  readonly kind: Kind;
  lines?: ReadonlyArray<string>;
}

export class QuarantineQueue {
  private readonly entries: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private waiter: (() => void) | undefined;

  constructor(private readonly spill: SpillWriters) {}

  /** Chunk `seq` of `file` has quarantined rows; their lines will come. */
  expect(file: number, seq: number, kind: Kind): void {
    const entry: Entry = { id: `${file}:${seq}`, kind };
    this.entries.push(entry);
    this.byId.set(entry.id, entry);
  }

  fill(file: number, seq: number, lines: ReadonlyArray<string>): void {
    const entry = this.byId.get(`${file}:${seq}`);
    if (entry === undefined) return;
    this.byId.delete(entry.id);
    entry.lines = lines;
    while (this.entries[0]?.lines !== undefined) {
      const head = this.entries.shift()!;
      for (const line of head.lines!) this.spill.append(head.kind, line);
    }
    if (this.entries.length === 0) {
      const w = this.waiter;
      this.waiter = undefined;
      w?.();
    }
  }

  ready(): Promise<void> | undefined {
    return this.spill.ready();
  }

  /** Every expected line is in the spill. */
  async drained(): Promise<void> {
    while (this.entries.length > 0) await new Promise<void>((resolve) => (this.waiter = resolve));
  }
}
