// The local runtime needs files that ship with the sources (the committed Terraform, the moto
// launcher, the offline CLI config). It finds them from the working directory, so the same code
// works from TypeScript (tsx) and from a bundle in dist/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest directory at or above `from` that holds `marker` (a relative path). */
export const findAbove = (marker: string, from: string = process.cwd()): string => {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
    if (dirname(dir) === dir) throw new Error(`${marker} not found in ${from} or above: run from the repository`);
  }
};

export const repoRoot = (from?: string): string => findAbove(join('workers', 'local', 'moto', 'launcher.py'), from);
