// Test helpers for the validate worker: landing directories built from a map of files, and
// readers of what the worker wrote to the lake.
import { mkdtemp, mkdir, rm, writeFile, cp } from 'node:fs/promises';
import { test } from 'uvu';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BlobStore } from '../../workers/io/blob-store.js';
import { readNdjsonGz } from '../../workers/io/ndjson-gz.js';
import { validationReportKey } from '../../workers/core/lake-layout.js';
import type { ValidationReport } from '../../workers/core/report.js';

export interface TempDirs {
  readonly landing: string;
  readonly lake: string;
  readonly root: string;
  readonly cleanup: () => Promise<void>;
}

export const tempDirs = async (): Promise<TempDirs> => {
  const root = await mkdtemp(join(tmpdir(), 'validate-test-'));
  return { root, landing: join(root, 'landing'), lake: join(root, 'lake'), cleanup: () => rm(root, { recursive: true, force: true }) };
};

export const writeFiles = async (dir: string, files: Readonly<Record<string, string | Buffer>>): Promise<void> => {
  for (const [key, body] of Object.entries(files)) {
    await mkdir(dirname(join(dir, key)), { recursive: true });
    await writeFile(join(dir, key), body);
  }
};

/** Copies files of a shared data set into kind folders: `{ 'orders/orders.csv': '/abs/orders.csv' }`. */
export const copyFiles = async (dir: string, files: Readonly<Record<string, string>>): Promise<void> => {
  for (const [key, from] of Object.entries(files)) {
    await mkdir(dirname(join(dir, key)), { recursive: true });
    await cp(from, join(dir, key));
  }
};

export const readReport = async (lake: BlobStore, batchId: string): Promise<ValidationReport> =>
  JSON.parse((await lake.readSmall(validationReportKey(batchId)))!.toString('utf8')) as ValidationReport;

export const readGzLines = async (lake: BlobStore, key: string): Promise<unknown[]> => {
  const out: unknown[] = [];
  for await (const row of readNdjsonGz(await lake.read(key))) out.push(row);
  return out;
};

export const csv = (header: string, rows: ReadonlyArray<string>): string => `${header}\n${rows.join('\n')}\n`;

/** A uvu test that gets fresh landing and lake directories, removed afterwards whatever happens. */
export const withDirs = (name: string, body: (dirs: TempDirs) => Promise<void>) =>
  test(name, async () => {
    const dirs = await tempDirs();
    try {
      await body(dirs);
    } finally {
      await dirs.cleanup();
    }
  });
