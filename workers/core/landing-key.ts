// The one rule for keys relative to a root (landing or lake, directory or S3 prefix), and the one
// predicate for files that are not data. Every path that takes a key from outside — a manifest
// (BATCH_MANIFEST, --manifest, _manifest.json), a listing, a batch record — goes through these, in
// the validator, the aggregator and both stores, so no key reaches outside its root and a marker
// file is skipped the same way everywhere.
import * as E from 'fp-ts/lib/Either.js';

/** The manifest the aggregator reads; the only `_` name that is not a marker. */
export const MANIFEST_NAME = '_manifest.json';

/**
 * The key as `/`-separated segments with `.` and empty segments dropped and `..` applied, or why it
 * has no such form inside its root: an absolute path, a drive letter, a backslash (a separator on
 * Windows, a plain character in S3: either reading would surprise someone), a NUL or control
 * character, or a `..` climbing above the root.
 */
export const normaliseKey = (key: string): E.Either<string, string> => {
  if (key.startsWith('/')) return E.left('is an absolute path');
  if (/^[A-Za-z]:/.test(key)) return E.left('names a drive');
  if (key.includes('\\')) return E.left('contains a backslash');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return E.left('contains a control character');
  const segments: string[] = [];
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') segments.push(segment);
    else if (segments.pop() === undefined) return E.left('climbs above the root');
  }
  if (segments.length === 0) return E.left('names the root itself');
  const normal = segments.join('/');
  // `./C:x` or `a/../C:x` reach a drive only once normalised: the rule holds for the normal form too.
  if (/^[A-Za-z]:/.test(normal)) return E.left('names a drive');
  return E.right(normal);
};

/** The normalised key, or an Error naming the key and the rule it breaks (for the stores). */
export const containedKeyOrThrow = (key: string): string => {
  const normalised = normaliseKey(key);
  if (E.isLeft(normalised)) throw new KeyOutsideRoot(key, normalised.left);
  return normalised.right;
};

/** A listing prefix under the same rule: `''` is the whole root; a trailing `/` is kept. */
export const containedPrefixOrThrow = (prefix: string): string =>
  prefix === '' ? '' : `${containedKeyOrThrow(prefix)}${prefix.endsWith('/') ? '/' : ''}`;

/** A key that leaves its root: the stores refuse it before any I/O. */
export class KeyOutsideRoot extends Error {
  override readonly name = 'KeyOutsideRoot';
  constructor(
    readonly key: string,
    readonly why: string,
  ) {
    super(`key ${JSON.stringify(key)} ${why}: it would leave its root`);
  }
}

/**
 * Why a file is not data, or undefined when it is. Upload tools leave markers beside the parts
 * (`_SUCCESS`, `_temporary/…` from Spark and Hadoop, `.DS_Store` from Finder, `.keep` to hold an
 * empty folder, editor swap files), and the S3 console leaves `folder/` placeholders: a segment
 * below the root that starts with `.` or `_` hides the file (as Hadoop's input filter does), except
 * the file name `_manifest.json`. Applied to a normalised key.
 */
export const ignoredReason = (key: string): string | undefined => {
  if (key.endsWith('/')) return 'folder placeholder';
  const segments = key.split('/');
  const name = segments[segments.length - 1]!;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (last && segment === MANIFEST_NAME) return undefined;
    if (segment.startsWith('.')) return last ? `hidden file ${name}` : `inside hidden folder ${segment}`;
    if (segment.startsWith('_')) return last ? `marker file ${name}` : `inside marker folder ${segment}`;
  }
  return undefined;
};

export const isIgnoredKey = (key: string): boolean => ignoredReason(key) !== undefined;
