// Lambda entry (dist/generator-lambda.js, handler `handler`): the generator on a schedule (seed
// 004). EventBridge Scheduler invokes it with {"scheduled_time": "<aws.scheduler.scheduled-time>"};
// it renders a small shop for that time and puts it into landing, `_manifest.json` first so the
// aggregator reserves the parts and starts them as one batch once the last has landed.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { logger } from '../io/log.js';
import { MAX_ITEMS, scheduledBatch, type RunSettings } from './scheduled-batch.js';

export interface GeneratorDeps {
  readonly s3: S3Client;
  readonly landingBucket: string;
  readonly settings: RunSettings;
  /** When the event names no scheduled time (a manual test invocation). */
  readonly now: () => number;
}

export interface GeneratorResult {
  readonly manifest_key: string;
  readonly keys: ReadonlyArray<string>;
  readonly rows: Readonly<Record<string, number>>;
  readonly id_offset: number;
}

const ScheduledEvent = t.partial({ scheduled_time: t.string });

/** The schedule's own time, not the invocation's: a retry of the same slot writes the same batch. */
export const scheduledMs = (event: unknown, now: () => number): number => {
  const decoded = ScheduledEvent.decode(event ?? {});
  const text = E.isRight(decoded) ? decoded.right.scheduled_time : undefined;
  if (text === undefined) return now();
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`scheduled_time is not a timestamp: ${JSON.stringify(text)}`);
  return ms;
};

export const runScheduled = async (event: unknown, deps: GeneratorDeps): Promise<GeneratorResult> => {
  const batch = scheduledBatch(scheduledMs(event, deps.now), deps.settings);
  const put = (key: string, body: string, contentType: string) =>
    deps.s3.send(new PutObjectCommand({ Bucket: deps.landingBucket, Key: key, Body: body, ContentType: contentType }));
  // Manifest first: parts landing before it could otherwise complete a loose set on their own.
  await put(batch.manifestKey, batch.manifestBody, 'application/json');
  for (const part of batch.parts) await put(part.key, part.body, 'text/csv');
  return {
    manifest_key: batch.manifestKey,
    keys: batch.parts.map((p) => p.key),
    rows: Object.fromEntries(batch.parts.map((p) => [p.kind, p.rows])),
    id_offset: batch.idOffset,
  };
};

const Items = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_ITEMS, `an integer in [1, ${MAX_ITEMS}]`);
const Rate = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a number in [0, 1]');

export const settingsFromEnv = (env: NodeJS.ProcessEnv): RunSettings => {
  const items = Number(env.GENERATOR_ITEMS ?? '200');
  const defectRate = Number(env.GENERATOR_DEFECT_RATE ?? '0.01');
  return pipe(
    t.type({ items: Items, defectRate: Rate }).decode({ items, defectRate }),
    E.getOrElseW(() => {
      throw new Error(`GENERATOR_ITEMS must be 1..${MAX_ITEMS} and GENERATOR_DEFECT_RATE 0..1, not ${env.GENERATOR_ITEMS} and ${env.GENERATOR_DEFECT_RATE}`);
    }),
  );
};

const log = logger('generator-lambda');
let s3: S3Client | undefined;

export const handler = async (event: unknown): Promise<GeneratorResult> => {
  const landingBucket = process.env.LANDING_BUCKET;
  if (landingBucket === undefined || landingBucket === '') throw new Error('LANDING_BUCKET is required');
  s3 ??= new S3Client({});
  const result = await runScheduled(event, { s3, landingBucket, settings: settingsFromEnv(process.env), now: Date.now });
  log.info('generated', { manifest_key: result.manifest_key, rows: result.rows, id_offset: result.id_offset });
  return result;
};
