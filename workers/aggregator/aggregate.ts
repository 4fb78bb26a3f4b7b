// The aggregator's imperative shell: list landing, read claims of running executions and explicit
// manifests, decide (pure, file-set.ts), start the execution, consume the manifest.
//
// Overlap safety: keys in the input of every RUNNING execution are claimed and left out of new
// batches. Running executions are listed BEFORE landing: an execution that ends in between has
// already archived (deleted) its files, so they cannot reappear in the listing. Two aggregator
// invocations racing each other could still both start; in AWS the events queue is FIFO with one
// message group, so Lambda runs one invocation at a time (and the local poller calls it serially),
// and equal file sets share a name anyway.
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ExecutionStatus,
  ListExecutionsCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import * as E from 'fp-ts/lib/Either.js';
import type { BatchManifest } from '../core/manifest.js';
import type { Logger } from '../io/log.js';
import { settleState, type Recheck } from './settle.js';
import { keysOfManifestText, manifestPointerOf, planExecutionInput } from './batch-input.js';
import {
  claimedKeysOfInput,
  decide,
  isManifestKey,
  parseManifestBody,
  type Decision,
  type ExplicitManifest,
  type LandingObject,
} from './file-set.js';

export interface AggregatorDeps {
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly landingBucket: string;
  /** Where manifests too large to pass inline are written (`manifests/<batch>.json`). */
  readonly lakeBucket: string;
  readonly stateMachineArn: string;
  readonly log: Logger;
  /** The settle window (absent or 0 s: a complete set of loose parts starts at once). */
  readonly settle?: SettleWindow;
}

export interface SettleWindow {
  readonly seconds: number;
  readonly now: () => number;
  /** Asks for one evaluation at `dueAt` (idempotent per set). */
  readonly scheduleRecheck: (recheck: Recheck) => Promise<void>;
}

export type Outcome =
  | { readonly _tag: 'Started'; readonly batchId: string; readonly executionArn: string; readonly files: number }
  | { readonly _tag: 'AlreadyStarted'; readonly batchId: string }
  | { readonly _tag: 'Waiting'; readonly reason: string }
  | { readonly _tag: 'Settling'; readonly batchId: string; readonly dueAt: number };

const stripQuotes = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');

export const listLanding = async (s3: S3Client, bucket: string): Promise<ReadonlyArray<LandingObject>> => {
  const out: LandingObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (o.Key) {
        out.push({ key: o.Key, etag: stripQuotes(o.ETag), size: o.Size ?? 0, ...(o.LastModified ? { lastModified: o.LastModified.getTime() } : {}) });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
};

export interface Claims {
  readonly keys: ReadonlySet<string>;
  /** Running executions whose input names no readable file list: nothing may start beside them. */
  readonly opaque: ReadonlyArray<string>;
}

/** Keys of an execution input: inline JSON, or the manifest its s3:// pointer names. */
const keysOfInput = async (s3: S3Client, input: string | undefined): Promise<E.Either<string, ReadonlyArray<string>>> => {
  const inline = claimedKeysOfInput(input);
  if (E.isRight(inline)) return inline;
  const pointer = manifestPointerOf(input);
  if (E.isLeft(pointer)) return inline;
  const res = await s3.send(new GetObjectCommand({ Bucket: pointer.right.bucket, Key: pointer.right.key })).catch((error: { name?: string }) => {
    if (error.name === 'NoSuchKey') return undefined;
    throw error;
  });
  return res ? keysOfManifestText(await res.Body!.transformToString('utf8')) : E.left('pointed-to manifest is gone');
};

export const runningClaims = async (sfn: SFNClient, stateMachineArn: string, s3: S3Client): Promise<Claims> => {
  const keys = new Set<string>();
  const opaque: string[] = [];
  let token: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: ExecutionStatus.RUNNING, nextToken: token }),
    );
    for (const ex of page.executions ?? []) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }));
      const claimed = await keysOfInput(s3, described.input);
      if (E.isRight(claimed)) claimed.right.forEach((k) => keys.add(k));
      else opaque.push(ex.name ?? ex.executionArn ?? '?');
    }
    token = page.nextToken;
  } while (token);
  return { keys, opaque };
};

const readManifests = async (
  s3: S3Client,
  bucket: string,
  listing: ReadonlyArray<LandingObject>,
  log: Logger,
): Promise<ReadonlyArray<ExplicitManifest>> => {
  const found: ExplicitManifest[] = [];
  for (const o of listing.filter((l) => isManifestKey(l.key))) {
    // A manifest consumed (or a held one released) between the listing and this read is gone.
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.key })).catch((error: { name?: string }) => {
      if (error.name === 'NoSuchKey') return undefined;
      throw error;
    });
    if (!res) continue;
    const parsed = parseManifestBody(o.key, await res.Body!.transformToString('utf8'));
    if (E.isRight(parsed)) found.push(parsed.right);
    else log.warn('ignoring malformed manifest', { key: o.key, reason: parsed.left });
  }
  return found;
};

const isAlreadyExists = (error: unknown): boolean => (error as { name?: string }).name === 'ExecutionAlreadyExists';

/**
 * One evaluation of the landing bucket; may start several batches (an explicit manifest and the
 * loose parts beside it). Throws on I/O errors so that the caller retries the events.
 */
export const evaluateLanding = async (deps: AggregatorDeps): Promise<ReadonlyArray<Outcome>> => {
  const { s3, sfn, landingBucket, stateMachineArn, log } = deps;
  const claims = await runningClaims(sfn, stateMachineArn, s3);
  if (claims.opaque.length > 0) {
    const reason = `running executions with unreadable file lists: ${claims.opaque.join(', ')}`;
    log.info('waiting', { reason });
    return [{ _tag: 'Waiting', reason }];
  }
  const listing = await listLanding(s3, landingBucket);
  const manifests = await readManifests(s3, landingBucket, listing, log);
  // Keys of batches decided in this evaluation are claimed locally at once: no need to trust
  // ListExecutions to show an execution started a millisecond ago.
  const claimed = new Set(claims.keys);
  const outcomes: Outcome[] = [];
  for (;;) {
    const decision: Decision = decide(
      listing,
      claimed,
      manifests.filter((m) => !m.keys.some((k) => claimed.has(k))),
    );
    if (decision._tag === 'Wait') {
      log.info('waiting', { reason: decision.reason, claimed: claims.keys.size });
      return [...outcomes, { _tag: 'Waiting', reason: decision.reason }];
    }
    const { manifest, definedBy } = decision;
    manifest.files.forEach((f) => claimed.add(f.key));
    if (definedBy === 'listing') {
      const settling = await awaitSettle(deps, listing, manifest);
      if (settling) return [...outcomes, settling];
    }
    outcomes.push(await start(deps, manifest, definedBy));
  }
};

/**
 * Loose parts (no manifest) wait until the newest of them is SETTLE_SECONDS old: a re-check is
 * scheduled for that moment and the set does not start now. Manifest-defined sets never wait.
 */
const awaitSettle = async (
  deps: AggregatorDeps,
  listing: ReadonlyArray<LandingObject>,
  manifest: BatchManifest,
): Promise<Outcome | undefined> => {
  if (!deps.settle) return undefined;
  const keys = new Set(manifest.files.map((f) => f.key));
  const state = settleState(listing.filter((o) => keys.has(o.key)), deps.settle.seconds, deps.settle.now());
  if (state._tag === 'Settled') return undefined;
  await deps.settle.scheduleRecheck({ bucket: deps.landingBucket, batchId: manifest.batch_id, dueAt: state.dueAt });
  deps.log.info('settling', { batch_id: manifest.batch_id, files: manifest.files.length, newest: state.newestKey, due_at: new Date(state.dueAt).toISOString() });
  return { _tag: 'Settling', batchId: manifest.batch_id, dueAt: state.dueAt };
};

const start = async (deps: AggregatorDeps, manifest: BatchManifest, definedBy: string): Promise<Outcome> => {
  const { s3, sfn, landingBucket, lakeBucket, stateMachineArn, log } = deps;
  const consume = async () => {
    // A manifest is consumed once its batch exists: the execution input now carries the list.
    if (definedBy !== 'listing') await s3.send(new DeleteObjectCommand({ Bucket: landingBucket, Key: definedBy }));
  };
  const planned = planExecutionInput(manifest, lakeBucket);
  try {
    // The pointer's object exists before any execution could read it; rewriting it for a batch
    // that already exists writes the same bytes (same files, same id).
    if (planned.upload) {
      await s3.send(new PutObjectCommand({ Bucket: lakeBucket, Key: planned.upload.key, Body: planned.upload.body, ContentType: 'application/json' }));
    }
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: manifest.batch_id, input: planned.input }));
    log.info('started batch', { batch_id: manifest.batch_id, files: manifest.files.length, defined_by: definedBy, manifest_in_lake: planned.upload !== undefined });
    await consume();
    return { _tag: 'Started', batchId: manifest.batch_id, executionArn: started.executionArn ?? '', files: manifest.files.length };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    log.info('batch already started', { batch_id: manifest.batch_id });
    await consume();
    return { _tag: 'AlreadyStarted', batchId: manifest.batch_id };
  }
};
