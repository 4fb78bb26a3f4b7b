// Configuration (DESIGN §8): environment variables, overridden by flags, decoded with io-ts at
// start-up. A bad value stops the worker with a message naming the setting and the value. The
// codecs here are shared by every worker (validate, transform, aggregator).
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { parseLocation, type Location } from './location.js';

const fail = (u: unknown, c: t.Context, message: string) => t.failure<never>(u, c, message);

/** A share in [0, 1] from text such as `0.05`. */
export const RejectRate = new t.Type<number, string, unknown>(
  'RejectRate',
  (u): u is number => typeof u === 'number' && u >= 0 && u <= 1,
  (u, c) => {
    const n = typeof u === 'string' && /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(u) ? Number(u) : typeof u === 'number' ? u : NaN;
    return n >= 0 && n <= 1 ? t.success(n) : fail(u, c, `must be a number between 0 and 1, got ${JSON.stringify(u)}`);
  },
  String,
);

/** A local directory or `s3://bucket/prefix`. */
export const LocationFromString = new t.Type<Location, string, unknown>(
  'Location',
  (u): u is Location => typeof u === 'object' && u !== null && 'kind' in u,
  (u, c) => {
    if (typeof u !== 'string' || u.trim() === '') return fail(u, c, 'must be a directory or s3://bucket/prefix');
    if (u.startsWith('s3://') && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(u)) return fail(u, c, `is not a valid S3 location: ${u}`);
    return t.success(parseLocation(u));
  },
  (l) => (l.kind === 'local' ? l.root : `s3://${l.bucket}/${l.prefix}`),
);

/** A bucket name as given in LANDING_BUCKET / LAKE_BUCKET, read as the bucket's root. */
export const BucketLocation = new t.Type<Location, string, unknown>(
  'BucketLocation',
  LocationFromString.is,
  (u, c) =>
    typeof u === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(u)
      ? t.success({ kind: 's3', bucket: u, prefix: '' })
      : fail(u, c, `is not a valid bucket name: ${JSON.stringify(u)}`),
  (l) => (l.kind === 's3' ? l.bucket : l.root),
);

/** `true`/`false` (also 1/0, yes/no), case-insensitive. */
export const BooleanFromString = new t.Type<boolean, string, unknown>(
  'BooleanFromString',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    if (typeof u === 'boolean') return t.success(u);
    const s = typeof u === 'string' ? u.trim().toLowerCase() : '';
    if (['true', '1', 'yes'].includes(s)) return t.success(true);
    if (['false', '0', 'no', ''].includes(s)) return t.success(false);
    return fail(u, c, `must be true or false, got ${JSON.stringify(u)}`);
  },
  String,
);

/** A batch id: a Step Functions execution name and a safe path segment. */
export const BatchId = new t.Type<string, string, unknown>(
  'BatchId',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(u)
      ? t.success(u)
      : fail(u, c, `must be 1-80 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(u)}`),
  String,
);

export const LogLevel = t.keyof({ debug: null, info: null, warn: null, error: null });

/** A positive integer from text. */
export const PositiveIntFromString = new t.Type<number, string, unknown>(
  'PositiveInt',
  (u): u is number => Number.isSafeInteger(u) && (u as number) > 0,
  (u, c) => {
    const n = typeof u === 'string' && /^\s*\d+\s*$/.test(u) ? Number(u) : typeof u === 'number' ? u : NaN;
    return Number.isSafeInteger(n) && n > 0 ? t.success(n) : fail(u, c, `must be a positive integer, got ${JSON.stringify(u)}`);
  },
  String,
);

/** One line per failing setting: `MAX_REJECT_RATE must be a number between 0 and 1, got "x"`. */
export const explain = (errors: t.Errors): string =>
  errors
    .map((e) => {
      const name = e.context
        .map((c) => c.key)
        .filter((k) => k !== '')
        .join('.');
      const message = e.message ?? `is invalid: ${JSON.stringify(e.value)}`;
      return name === '' ? message : `${name} ${message}`;
    })
    .join('; ');

/** Decodes with a codec and turns failures into one readable line. */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, input: unknown): E.Either<string, A> =>
  pipe(codec.decode(input), E.mapLeft(explain));

/** The first defined of a flag's value and the environment's (flags override the environment). */
export const pick = (flag: string | undefined, env: string | undefined): string | undefined =>
  flag !== undefined ? flag : env !== undefined && env !== '' ? env : undefined;
