// The validate worker's configuration: flags override the environment (DESIGN §8), decoded with
// the shared io-ts codecs of workers/io/config.ts into one value, or one line saying what is wrong.
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Location } from '../io/location.js';
import { BatchId, BooleanFromString, BucketLocation, decodeWith, LocationFromString, LogLevel, pick, PositiveIntFromString, RejectRate } from '../io/config.js';

export const DEFAULT_MAX_REJECT_RATE = 0.05;

export interface ValidateFlags {
  readonly input?: string;
  readonly out?: string;
  readonly 'batch-id'?: string;
  readonly manifest?: string;
  readonly 'max-reject-rate'?: string;
  readonly 'exit-zero-on-reject'?: boolean;
  readonly progress?: boolean;
  readonly threads?: string;
}

export interface ValidateConfig {
  readonly input: Location;
  readonly out: Location;
  readonly batchId?: string;
  /** A file path or s3:// URL holding a BatchManifest, or the manifest's JSON text itself. */
  readonly manifest?: { readonly kind: 'file'; readonly path: string } | { readonly kind: 'text'; readonly text: string };
  readonly maxRejectRate: number;
  readonly exitZeroOnReject: boolean;
  readonly progress: boolean;
  /** Check threads; undefined: one per core. */
  readonly threads?: number;
  readonly logLevel?: t.TypeOf<typeof LogLevel>;
}

const location = (name: string, flag: string | undefined, bucket: string | undefined): E.Either<string, Location> =>
  flag !== undefined
    ? pipe(decodeWith(LocationFromString, flag), E.mapLeft((m) => `--${name} ${m}`))
    : bucket !== undefined && bucket !== ''
      ? pipe(decodeWith(BucketLocation, bucket), E.mapLeft((m) => `${name === 'input' ? 'LANDING_BUCKET' : 'LAKE_BUCKET'} ${m}`))
      : E.left(`--${name} is required (or ${name === 'input' ? 'LANDING_BUCKET' : 'LAKE_BUCKET'})`);

const optional = <A>(name: string, codec: t.Type<A, string, unknown>, value: string | undefined): E.Either<string, A | undefined> =>
  value === undefined ? E.right(undefined) : pipe(decodeWith(codec, value), E.mapLeft((m) => `${name} ${m}`));

export const decodeValidateConfig = (flags: ValidateFlags, env: NodeJS.ProcessEnv, isTty: boolean): E.Either<string, ValidateConfig> =>
  pipe(
    E.Do,
    E.apS('input', location('input', flags.input, env.LANDING_BUCKET)),
    E.apS('out', location('out', flags.out, env.LAKE_BUCKET)),
    E.apS('batchId', optional(flags['batch-id'] !== undefined ? '--batch-id' : 'BATCH_ID', BatchId, pick(flags['batch-id'], env.BATCH_ID))),
    E.apS(
      'maxRejectRate',
      optional(flags['max-reject-rate'] !== undefined ? '--max-reject-rate' : 'MAX_REJECT_RATE', RejectRate, pick(flags['max-reject-rate'], env.MAX_REJECT_RATE)),
    ),
    E.apS('threads', optional(flags.threads !== undefined ? '--threads' : 'VALIDATE_THREADS', PositiveIntFromString, pick(flags.threads, env.VALIDATE_THREADS))),
    E.apS('exitZero', optional('EXIT_ZERO_ON_REJECT', BooleanFromString, env.EXIT_ZERO_ON_REJECT)),
    E.apS('logLevel', optional('LOG_LEVEL', LogLevel as unknown as t.Type<t.TypeOf<typeof LogLevel>, string, unknown>, env.LOG_LEVEL?.toLowerCase())),
    E.map((c) => ({
      input: c.input,
      out: c.out,
      batchId: c.batchId,
      manifest:
        flags.manifest !== undefined
          ? { kind: 'file' as const, path: flags.manifest }
          : env.BATCH_MANIFEST !== undefined && env.BATCH_MANIFEST.trim() !== ''
            ? env.BATCH_MANIFEST.trim().startsWith('s3://')
              ? { kind: 'file' as const, path: env.BATCH_MANIFEST.trim() }
              : { kind: 'text' as const, text: env.BATCH_MANIFEST }
            : undefined,
      maxRejectRate: c.maxRejectRate ?? DEFAULT_MAX_REJECT_RATE,
      exitZeroOnReject: flags['exit-zero-on-reject'] === true || c.exitZero === true,
      progress: flags.progress === true || isTty,
      threads: c.threads,
      logLevel: c.logLevel,
    })),
  );
