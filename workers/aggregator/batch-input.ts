// The execution input of a batch, pure: the manifest travels inline while it fits the ECS override
// budget (the validate task receives it as BATCH_MANIFEST), otherwise as an `s3://` pointer to a
// copy the starter writes to the lake first (DESIGN §8: BATCH_MANIFEST is JSON text or s3://).
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { BatchManifest } from '../core/manifest.js';

/**
 * Longest manifest kept inline, measured as ECS measures it: the JSON text escaped once more as
 * an environment value. The rest of the 8,192-character override budget (ECS_OVERRIDES_MAX_CHARS)
 * holds the structure, BATCH_ID and EXIT_ZERO_ON_REJECT with room to spare
 * (test/aggregator/batch-input.test.ts renders the overrides at exactly this size).
 */
export const INLINE_MANIFEST_MAX_CHARS = 7000;

export const MANIFESTS_PREFIX = 'manifests/';
export const manifestObjectKey = (batchId: string): string => `${MANIFESTS_PREFIX}${batchId}.json`;

export interface PlannedInput {
  /** The StartExecution input: `{batch_id, manifest}` with manifest JSON text or an s3:// URL. */
  readonly input: string;
  /** Written to the lake before the execution starts, when the manifest travels as a pointer. */
  readonly upload?: { readonly key: string; readonly body: string };
}

export const inlineLength = (manifestText: string): number => JSON.stringify(manifestText).length;

export const planExecutionInput = (manifest: BatchManifest, lakeBucket: string): PlannedInput => {
  const text = JSON.stringify(manifest);
  if (inlineLength(text) <= INLINE_MANIFEST_MAX_CHARS) {
    return { input: JSON.stringify({ batch_id: manifest.batch_id, manifest: text }) };
  }
  const key = manifestObjectKey(manifest.batch_id);
  return {
    input: JSON.stringify({ batch_id: manifest.batch_id, manifest: `s3://${lakeBucket}/${key}` }),
    upload: { key, body: text },
  };
};

export interface ManifestPointer {
  readonly bucket: string;
  readonly key: string;
}

/** The pointer of an execution input whose manifest lives in S3; Left for inline or unreadable. */
export const manifestPointerOf = (input: string | undefined): E.Either<string, ManifestPointer> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(input ?? '') as { manifest?: unknown },
      () => 'execution input is not JSON',
    ),
    E.chain((parsed) => {
      const match = typeof parsed.manifest === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(parsed.manifest.trim()) : null;
      return match ? E.right({ bucket: match[1]!, key: match[2]! }) : E.left('execution manifest is not an s3:// pointer');
    }),
  );

/** The keys of a manifest read through a pointer. */
export const keysOfManifestText = (text: string): E.Either<string, ReadonlyArray<string>> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(text) as unknown,
      () => 'pointed-to manifest is not JSON',
    ),
    E.chain((json) => (BatchManifest.is(json) ? E.right(json.files.map((f) => f.key)) : E.left('pointed-to manifest is not a batch manifest'))),
  );
