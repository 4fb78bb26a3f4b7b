// Sends archived batches through the state machine again (a fix in the rules, a lost table),
// keeping each batch's id: validate rewrites the batch's own cleaned files and keeps its recorded
// sequence, the transform recomputes the dates it touches from the whole cleaned zone, so KPIs
// stay exactly-once whatever is reprocessed, in any order, any number of times.
//
// The files go back to their landing keys (the workers read landing), one batch at a time (two
// archived batches may share key names), guarded by a held manifest so that the aggregator does
// not take them for a new upload; once the execution is RUNNING it claims them itself.
import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { archivePrefix, BATCH_RECORDS_PREFIX } from '../core/lake-layout.js';
import { BatchRecord } from '../core/batch.js';
import type { BatchFile, BatchManifest } from '../core/manifest.js';
import type { BlobStore } from '../io/blob-store.js';
import { readBatchRecord } from '../io/catalog.js';
import type { S3BlobStore } from '../io/s3-store.js';
import type { Logger } from '../io/log.js';
import * as E from 'fp-ts/lib/Either.js';
import { claimedKeysOfInput, isDataKey } from '../aggregator/file-set.js';
import { keysOfManifestText, manifestPointerOf, planExecutionInput } from '../aggregator/batch-input.js';

export interface ReprocessDeps {
  readonly landing: S3BlobStore;
  readonly lake: S3BlobStore;
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  readonly log: Logger;
  /** How long to wait for one execution to leave RUNNING. */
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

export type BatchResult =
  | { readonly _tag: 'Done'; readonly batchId: string; readonly execution: string; readonly status: string }
  | { readonly _tag: 'Skipped'; readonly batchId: string; readonly reason: string };

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

export const executionArnOf = (stateMachineArn: string, name: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** A fresh execution name for a forced re-run: the batch id plus a base-36 time, ≤ 80 chars. */
export const forcedName = (batchId: string, now: number): string => `${batchId}-r${now.toString(36)}`.slice(0, 80);

const heldManifestKey = (batchId: string) => `_reprocess/${batchId}/_manifest.json`;

/** Archived batches, oldest first by their recorded sequence, optionally only those touching [from, to]. */
export const archivedBatches = async (
  lake: BlobStore,
  range?: { from?: string; to?: string },
): Promise<ReadonlyArray<BatchRecord>> => {
  const records: BatchRecord[] = [];
  for (const info of await lake.list(BATCH_RECORDS_PREFIX)) {
    const body = await lake.readSmall(info.key);
    if (!body) continue;
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (!BatchRecord.is(parsed)) continue;
    const touches = parsed.order_dates.some((d) => (!range?.from || d >= range.from) && (!range?.to || d <= range.to));
    if (range && (range.from || range.to) && !touches) continue;
    records.push(parsed);
  }
  const archived = await Promise.all(records.map(async (r) => ((await lake.list(archivePrefix(r.batch_id))).length > 0 ? r : undefined)));
  return archived.filter((r): r is BatchRecord => r !== undefined).sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
};

const statusOf = async (sfn: SFNClient, arn: string): Promise<string | undefined> =>
  sfn.send(new DescribeExecutionCommand({ executionArn: arn })).then(
    (r) => r.status,
    (error: { name?: string }) => {
      if (error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    },
  );

export const reprocessBatch = async (deps: ReprocessDeps, batchId: string, force: boolean): Promise<BatchResult> => {
  const { landing, lake, sfn, stateMachineArn, log } = deps;
  const name = force ? forcedName(batchId, Date.now()) : batchId;
  const arn = executionArnOf(stateMachineArn, name);
  if (!force && (await statusOf(sfn, arn)) !== undefined) {
    return { _tag: 'Skipped', batchId, reason: `execution ${batchId} already exists; --force runs it again` };
  }
  const prefix = archivePrefix(batchId);
  const archived = (await lake.list(prefix)).filter((o) => isDataKey(o.key.slice(prefix.length)));
  if (archived.length === 0) return rerunFromLanding(deps, batchId, name, arn);
  // A transform killed mid-archive moved only some inputs: the batch record names every source,
  // and those not archived are still in landing. A landing object equal to its archive copy (same
  // ETag) is this batch's own leftover; a different one belongs to a later upload.
  const archivedEtag = new Map(archived.map((o) => [o.key.slice(prefix.length), o.etag] as const));
  const record = await readBatchRecord(lake, batchId).catch(() => undefined);
  const keys = [...new Set([...archivedEtag.keys(), ...(record?.sources ?? [])])].sort();
  const inLanding = new Map((await landing.list('')).map((o) => [o.key, o.etag] as const));
  const occupied = [...archivedEtag].filter(([k, etag]) => inLanding.has(k) && inLanding.get(k) !== etag).map(([k]) => k);
  if (occupied.length > 0) {
    return { _tag: 'Skipped', batchId, reason: `landing already holds ${occupied.join(', ')}; run again once it is processed` };
  }
  const missing = keys.filter((k) => !archivedEtag.has(k) && !inLanding.has(k));
  if (missing.length > 0) return { _tag: 'Skipped', batchId, reason: `neither archived nor in landing: ${missing.join(', ')}` };
  const hold = heldManifestKey(batchId);
  await landing.write(hold, JSON.stringify({ keys, hold: true }), 'application/json');
  try {
    for (const k of keys) if (!inLanding.has(k)) await landing.copyFrom(lake, `${prefix}${k}`, k);
    const present = new Map((await landing.list('')).map((o) => [o.key, o] as const));
    const files: BatchFile[] = keys.map((k) => ({ key: k, etag: present.get(k)?.etag ?? '', size: present.get(k)?.size ?? 0 }));
    const manifest: BatchManifest = { batch_id: batchId, files };
    // Large manifests go to the lake as the aggregator's do (ECS override limit); the root is the
    // lake store's own, so the pointer names the object written here.
    const planned = planExecutionInput(manifest, `${lake.bucket}/${lake.prefix}`.replace(/\/+$/, ''));
    if (planned.upload) await lake.write(planned.upload.key, planned.upload.body, 'application/json');
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: planned.input }));
    log.info('reprocessing', { batch_id: batchId, execution: name, files: files.length });
  } finally {
    // The RUNNING execution claims the keys from here on (or, if it could not start, the files
    // are free again for whoever looks next).
    await landing.delete([hold]);
  }
  return awaitEnd(deps, batchId, name, arn, keys);
};

/**
 * A batch that failed before the transform archived it still has its files in landing: it runs
 * again with the input of its first execution (the same files, the same batch id).
 */
const rerunFromLanding = async (deps: ReprocessDeps, batchId: string, name: string, arn: string): Promise<BatchResult> => {
  const { landing, sfn, stateMachineArn, log } = deps;
  const first = await sfn
    .send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, batchId) }))
    .catch(() => undefined);
  const claimed = await keysOfFirstInput(deps.lake, first?.input);
  if (!first || E.isLeft(claimed)) {
    return { _tag: 'Skipped', batchId, reason: `not archived, and no execution ${batchId} to take the file list from` };
  }
  const keys = claimed.right;
  const present = new Set((await landing.list('')).map((o) => o.key));
  const missing = keys.filter((k) => !present.has(k));
  if (missing.length > 0) return { _tag: 'Skipped', batchId, reason: `not archived, and landing lacks ${missing.join(', ')}` };
  if (name === batchId) return { _tag: 'Skipped', batchId, reason: `execution ${batchId} already exists; --force runs it again` };
  await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: first.input! }));
  log.info('re-running from landing', { batch_id: batchId, execution: name, files: keys.length });
  return awaitEnd(deps, batchId, name, arn, keys);
};

/** The keys of an execution input: inline, or in the lake object its s3:// pointer names. */
const keysOfFirstInput = async (lake: S3BlobStore, input: string | undefined): Promise<E.Either<string, ReadonlyArray<string>>> => {
  const inline = claimedKeysOfInput(input);
  const pointer = manifestPointerOf(input);
  if (E.isRight(inline) || E.isLeft(pointer) || pointer.right.bucket !== lake.bucket || !pointer.right.key.startsWith(lake.prefix)) return inline;
  const body = await lake.readSmall(pointer.right.key.slice(lake.prefix.length));
  return body ? keysOfManifestText(body.toString('utf8')) : E.left('pointed-to manifest is gone');
};

const awaitEnd = async (
  deps: ReprocessDeps,
  batchId: string,
  name: string,
  arn: string,
  keys: ReadonlyArray<string>,
): Promise<BatchResult> => {
  const { landing, sfn } = deps;
  const deadline = Date.now() + deps.timeoutMs;
  for (;;) {
    const status = await statusOf(sfn, arn);
    if (status !== 'RUNNING') {
      // moto shows ABORTED for every run the local driver finished; the files tell the outcome:
      // a successful run archives them out of landing again.
      const left = (await Promise.all(keys.map((k) => landing.list(k)))).flat().filter((o) => keys.includes(o.key));
      const effective = status === 'ABORTED' ? (left.length === 0 ? 'SUCCEEDED' : 'FAILED') : (status ?? 'UNKNOWN');
      return { _tag: 'Done', batchId, execution: name, status: effective };
    }
    if (Date.now() > deadline) return { _tag: 'Done', batchId, execution: name, status: 'STILL_RUNNING' };
    await sleep(deps.pollMs ?? 500);
  }
};

