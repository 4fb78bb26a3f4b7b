// BlobStore over a local directory: keys map to files below the root.
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore } from './blob-store.js';

const walk = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : Promise.resolve(e.isFile() ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
};

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

export const localStore = (root: string): BlobStore => {
  const pathOf = (key: string) => join(root, ...key.split('/'));
  // Write to a temporary name and rename, so a reader never sees half a file.
  const atomically = async (key: string, write: (tmp: string) => Promise<void>) => {
    const path = pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await write(tmp);
    await rename(tmp, path);
  };
  const store: BlobStore = {
    root,
    list: async (prefix) => {
      // Walk only the deepest directory the prefix names, then filter.
      const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const files = await walk(dirPart === '' ? root : pathOf(dirPart));
      const infos: BlobInfo[] = [];
      for (const file of files) {
        const key = relative(root, file).split(sep).join('/');
        if (!key.startsWith(prefix) || /\.tmp-\d+$/.test(key)) continue;
        const s = await stat(file);
        infos.push({ key, size: s.size, etag: `${s.size}-${Math.trunc(s.mtimeMs)}` });
      }
      return infos.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    read: async (key) => {
      await stat(pathOf(key));
      return createReadStream(pathOf(key));
    },
    readSmall: (key) => readFile(pathOf(key)).catch((error) => (isMissing(error) ? undefined : Promise.reject(error))),
    write: (key, body) => atomically(key, (tmp) => writeFile(tmp, body)),
    writeStream: (key, body: Readable) => atomically(key, (tmp) => pipeline(body, createWriteStream(tmp))),
    copyFrom: async (source, fromKey, toKey) => {
      if (source === store) {
        return atomically(toKey, (tmp) => copyFile(pathOf(fromKey), tmp));
      }
      const body = await source.read(fromKey);
      return store.writeStream(toKey, body);
    },
    delete: async (keys) => {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })));
    },
  };
  return store;
};
