// terraform/examples/existing-state calls the module by the relative path ../../modules/…; tests
// copy the committed tree (modules and examples, nothing else) so the path resolves and nothing is
// written next to the committed files.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EXAMPLE = join('examples', 'existing-state');

/** A fresh copy of terraform/{modules,examples}; returns the example's directory in it. */
export const copyExampleTree = (prefix: string): { root: string; example: string } => {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const skip = (src: string) => !/\.terraform(\/|$)|tfstate|_override\.tf(\.json)?$|\.tfplan$/.test(src);
  for (const dir of ['modules', 'examples']) cpSync(join('terraform', dir), join(root, dir), { recursive: true, filter: skip });
  return { root, example: join(root, EXAMPLE) };
};
