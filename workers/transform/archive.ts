// Archiving a transformed batch's inputs (DESIGN §6): each source key is copied to
// `archive/<batch>/<key>` in the lake, then removed from the landing bucket. A local landing
// directory is only copied from, never changed. Idempotent: a source already gone from landing is
// counted as archived when its copy exists, as absent otherwise, and neither is an error.
import type { BatchRecord } from '../core/batch.js';
import { archiveKey } from '../core/lake-layout.js';
import type { BlobStore } from '../io/blob-store.js';
import { mapLimit } from '../io/cleaned-lake.js';
import { crashPoint } from '../io/crash-point.js';

export interface ArchiveSummary {
  readonly copied: number;
  readonly removed_from_landing: number;
  readonly already_archived: number;
  readonly absent: number;
}

const exists = async (store: BlobStore, key: string): Promise<boolean> =>
  (await store.list(key)).some((info) => info.key === key);

export const archiveInputs = async (
  lake: BlobStore,
  landing: BlobStore,
  batch: BatchRecord,
  removeFromLanding: boolean,
): Promise<ArchiveSummary> => {
  const outcomes = await mapLimit([...batch.sources].sort(), 8, async (key) => {
    const target = archiveKey(batch.batch_id, key);
    if (await exists(landing, key)) {
      await lake.copyFrom(landing, key, target);
      if (removeFromLanding) await landing.delete([key]);
      crashPoint('transform:mid-archive');
      return removeFromLanding ? 'moved' : 'copied';
    }
    return (await exists(lake, target)) ? 'already_archived' : 'absent';
  });
  const count = (o: string) => outcomes.filter((x) => x === o).length;
  return {
    copied: count('moved') + count('copied'),
    removed_from_landing: count('moved'),
    already_archived: count('already_archived'),
    absent: count('absent'),
  };
};
