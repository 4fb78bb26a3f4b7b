// The aggregator's decision, pure: from what the landing bucket holds right now, what running
// executions have already claimed, and any explicit manifests, decide which batch (if any) to start.
// No I/O here, so the laws (same files -> same batch id, whatever the order or duplication of the
// events; an incomplete set starts nothing) are tested without AWS.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import * as t from 'io-ts';
import { isIgnoredKey, MANIFEST_NAME, normaliseKey } from '../core/landing-key.js';
import { batchIdOf, type BatchFile, type BatchManifest } from '../core/manifest.js';
import { KINDS, type Kind } from '../core/records.js';

/** One object of the landing listing. Keys are relative to the landing root. */
export interface LandingObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  /** LastModified in ms, for the settle window; not part of the batch's identity. */
  readonly lastModified?: number;
}

/** An explicit batch definition found in landing: `…/_manifest.json` naming keys. */
export interface ExplicitManifest {
  readonly key: string;
  readonly keys: ReadonlyArray<string>;
  /**
   * Reserves its keys without starting them: the reprocess command holds files it copies back
   * from the archive until its own execution (which keeps the original batch id) claims them.
   */
  readonly hold?: boolean;
}

export type Decision =
  | { readonly _tag: 'Start'; readonly manifest: BatchManifest; readonly definedBy: string }
  | { readonly _tag: 'Wait'; readonly reason: string };

export { MANIFEST_NAME };

export const kindOfKey = (key: string): Kind | undefined => {
  const top = key.slice(0, key.indexOf('/'));
  return (KINDS as ReadonlyArray<string>).includes(top) ? (top as Kind) : undefined;
};

/** A data part: under a kind prefix, neither a folder placeholder nor a marker or hidden file. */
export const isDataKey = (key: string): boolean => kindOfKey(key) !== undefined && !isIgnoredKey(key);

/** A manifest lives outside the kind prefixes, so it is never mistaken for data. */
export const isManifestKey = (key: string): boolean =>
  kindOfKey(key) === undefined && (key === MANIFEST_NAME || key.endsWith(`/${MANIFEST_NAME}`));

/**
 * The body of `_manifest.json`: `{"keys": [...]}` or `{"files": [key | {key}]}`, keys relative to
 * the landing root like every other key in the pipeline.
 */
const ManifestBody = t.intersection([
  t.union([
    t.type({ keys: t.readonlyArray(t.string) }),
    t.type({ files: t.readonlyArray(t.union([t.string, t.type({ key: t.string })])) }),
  ]),
  t.partial({ hold: t.boolean }),
]);

export const parseManifestBody = (key: string, text: string): E.Either<string, ExplicitManifest> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(text) as unknown,
      () => `${key}: not JSON`,
    ),
    E.chain((json) =>
      pipe(
        ManifestBody.decode(json),
        E.mapLeft(() => `${key}: expected {"keys": [...]} or {"files": [...]}`),
      ),
    ),
    E.map((body) => ({ named: 'keys' in body ? body.keys : body.files.map((f) => (typeof f === 'string' ? f : f.key)), hold: body.hold === true })),
    // Keys are normalised by the one rule of core/landing-key.ts; a manifest naming a key outside
    // the landing root is refused whole (it could never complete, and must not reach a worker).
    E.chain(({ named, hold }) =>
      pipe(
        named,
        RA.traverse(E.Applicative)((k) => pipe(normaliseKey(k), E.mapLeft((why) => `${key}: key ${JSON.stringify(k)} ${why}`))),
        E.map((keys) => ({ key, keys: [...new Set(keys.filter((k) => !isIgnoredKey(k)))], ...(hold ? { hold: true } : {}) })),
      ),
    ),
    E.chain((m) =>
      m.keys.length > 0 && m.keys.every(isDataKey)
        ? E.right(m)
        : E.left(`${key}: needs at least one key, each under orders/, order_items/ or products/`),
    ),
  );

const toBatchFile = (o: LandingObject): BatchFile => ({ key: o.key, etag: o.etag, size: o.size });

const byKey = (a: BatchFile, b: BatchFile) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Deduplicated by key (a listing may repeat nothing, but events and merged listings can). */
const uniqueByKey = (objects: ReadonlyArray<LandingObject>): ReadonlyArray<LandingObject> =>
  Array.from(new Map(objects.map((o) => [o.key, o] as const)).values());

export const manifestOf = (objects: ReadonlyArray<LandingObject>): BatchManifest => {
  const files = uniqueByKey(objects).map(toBatchFile).sort(byKey);
  return { batch_id: batchIdOf(files), files };
};

export const missingKinds = (keys: ReadonlyArray<string>): ReadonlyArray<Kind> =>
  KINDS.filter((kind) => !keys.some((k) => kindOfKey(k) === kind));

/**
 * Decides from the listing. `claimed` holds keys that a running execution already owns: they are
 * neither started again nor mixed into a new batch, so batches never overlap. Keys named by a
 * pending manifest are reserved for it. Explicit manifests come first, in key order; then the
 * remaining parts form a batch once every kind has at least one of them.
 */
export const decide = (
  listing: ReadonlyArray<LandingObject>,
  claimed: ReadonlySet<string>,
  manifests: ReadonlyArray<ExplicitManifest>,
): Decision => {
  const free = uniqueByKey(listing.filter((o) => isDataKey(o.key) && !claimed.has(o.key)));
  const present = new Map(free.map((o) => [o.key, o] as const));
  const waits: string[] = [];
  for (const m of [...manifests].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (m.hold) {
      waits.push(`${m.key}: held`);
      continue;
    }
    const overlap = m.keys.filter((k) => claimed.has(k));
    if (overlap.length > 0) {
      waits.push(`${m.key}: ${overlap.length} key(s) belong to a running execution`);
      continue;
    }
    const missing = m.keys.filter((k) => !present.has(k));
    if (missing.length > 0) {
      waits.push(`${m.key}: missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
      continue;
    }
    return { _tag: 'Start', manifest: manifestOf(m.keys.map((k) => present.get(k)!)), definedBy: m.key };
  }
  const reserved = new Set(manifests.flatMap((m) => m.keys));
  const loose = free.filter((o) => !reserved.has(o.key));
  const missing = missingKinds(loose.map((o) => o.key));
  if (loose.length > 0 && missing.length === 0) {
    return { _tag: 'Start', manifest: manifestOf(loose), definedBy: 'listing' };
  }
  const listingWait =
    loose.length === 0
      ? 'no unclaimed parts in landing'
      : `missing: ${missing.join(', ')} (have ${pipe(
          KINDS,
          RA.filter((k) => loose.some((o) => kindOfKey(o.key) === k)),
        ).join(', ')})`;
  return { _tag: 'Wait', reason: [...waits, listingWait].join('; ') };
};

/** Keys a running execution owns, from its input's manifest (JSON text; pointers are opaque). */
export const claimedKeysOfInput = (input: string | undefined): E.Either<string, ReadonlyArray<string>> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(input ?? '') as { manifest?: unknown },
      () => 'execution input is not JSON',
    ),
    E.chain((parsed) =>
      typeof parsed.manifest === 'string' && parsed.manifest.trimStart().startsWith('{')
        ? E.tryCatch(
            () => (JSON.parse(parsed.manifest as string) as BatchManifest).files.map((f) => f.key),
            () => 'execution manifest is not a batch manifest',
          )
        : E.left('execution manifest is not inline JSON'),
    ),
  );

/** The input the state machine expects: batch id and the manifest as JSON text (DESIGN §7). */
export const executionInput = (manifest: BatchManifest): string =>
  JSON.stringify({ batch_id: manifest.batch_id, manifest: JSON.stringify(manifest) });
