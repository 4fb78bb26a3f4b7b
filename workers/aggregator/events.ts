// The shapes the aggregator receives: an SQS batch (Lambda event-source mapping, or the local
// poller playing it) whose bodies are EventBridge "Object Created" events from S3.
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { RecheckEvent } from './settle.js';

export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageAttributes: Readonly<Record<string, unknown>>;
  readonly md5OfBody: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SqsEvent {
  readonly Records: ReadonlyArray<SqsRecord>;
}

export interface SqsBatchResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
}

/** Only what the aggregator reads. EventBridge keys are not URL-encoded (unlike S3 notifications). */
const ObjectCreated = t.type({
  source: t.literal('aws.s3'),
  'detail-type': t.literal('Object Created'),
  detail: t.type({
    bucket: t.type({ name: t.string }),
    object: t.intersection([t.type({ key: t.string }), t.partial({ etag: t.string, size: t.number })]),
  }),
});

export interface ObjectCreatedEvent {
  readonly bucket: string;
  /** The created object's key; absent on a settle re-check (it names no object). */
  readonly key?: string;
}

export const parseRecord = (record: SqsRecord): E.Either<string, ObjectCreatedEvent> =>
  pipe(
    E.tryCatch(
      () => JSON.parse(record.body) as unknown,
      () => 'body is not JSON',
    ),
    E.chain((json) =>
      RecheckEvent.is(json)
        ? E.right<string, ObjectCreatedEvent>({ bucket: json.detail.bucket.name })
        : pipe(
            ObjectCreated.decode(json),
            E.mapLeft(() => 'not an EventBridge S3 Object Created event nor a settle re-check'),
            E.map((e): ObjectCreatedEvent => ({ bucket: e.detail.bucket.name, key: e.detail.object.key })),
          ),
    ),
  );
