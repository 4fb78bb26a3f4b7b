// Zips a Lambda bundle reproducibly: a fixed timestamp and mode on every entry, entries in the
// given order, so the same bundle always gives the same bytes and Terraform's source_code_hash
// does not drift between builds.
import yazl from 'yazl';

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

// DOS timestamps only, as local-time fields from a local-time Date: the same bytes in every time
// zone (yazl's Info-ZIP "UT" field would encode the instant, which moves with the zone).
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export const deterministicZip = (entries: ReadonlyArray<ZipEntry>): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const entry of entries) {
      zip.addBuffer(Buffer.from(entry.data), entry.name, { mtime: FIXED_MTIME, mode: 0o100644, forceDosTimestamp: true });
    }
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
