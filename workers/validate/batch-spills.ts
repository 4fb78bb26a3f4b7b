// The batch's spill files in one temporary directory: the main thread's writers (files read
// inline), each check thread's (thread-<i>.*, written there), and the two sets that join the
// files' partitions in file order — cleaned rows by partition, quarantined rows by kind.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpillSet, SpillWriters } from '../io/spill.js';

export class BatchSpills {
  readonly cleanedSet = new SpillSet();
  readonly quarantineSet = new SpillSet();

  private constructor(
    readonly dir: string,
    readonly cleaned: SpillWriters,
    readonly quarantine: SpillWriters,
  ) {}

  static async create(): Promise<BatchSpills> {
    const dir = await mkdtemp(join(tmpdir(), 'validate-spill-'));
    return new BatchSpills(dir, await SpillWriters.at(join(dir, 'main.cleaned')), await SpillWriters.at(join(dir, 'main.quarantine')));
  }

  async dispose(): Promise<void> {
    await Promise.all([this.cleanedSet.dispose(), this.quarantineSet.dispose(), this.cleaned.dispose(), this.quarantine.dispose()]);
    await rm(this.dir, { recursive: true, force: true });
  }
}
