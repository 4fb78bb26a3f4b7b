// The transform worker's configuration: flags override the environment (DESIGN §8), decoded into
// one value or one line saying what is wrong.
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { BatchId } from '../io/config.js';
import { decodeEnv, decodeFlag, locationOf, storeSettings, type StoreSettings } from '../io/kpi-config.js';
import type { Location } from '../io/location.js';

export interface TransformFlags {
  readonly lake?: string;
  readonly 'batch-id'?: string;
  readonly landing?: string;
  readonly 'category-table'?: string;
  readonly 'order-table'?: string;
}

export interface TransformConfig {
  readonly lake: Location;
  /** 1: the analytics Parquet on a worker thread (default); 0: on the main thread. */
  readonly analyticsThreads: 0 | 1;
  readonly batchId: string;
  readonly landing?: Location;
  readonly store: StoreSettings;
}

/** ANALYTICS_THREADS: "0" or "1" (one thread is all the second vCPU takes; see README). */
export const analyticsThreads = (value: string | undefined): E.Either<string, 0 | 1> =>
  value === undefined || value.trim() === '' ? E.right(1) : value.trim() === '0' ? E.right(0) : value.trim() === '1' ? E.right(1) : E.left(`ANALYTICS_THREADS must be 0 or 1, got ${JSON.stringify(value)}`);

const required = <A>(what: string, value: A | undefined): E.Either<string, A> =>
  value === undefined ? E.left(`no ${what} (see --help)`) : E.right(value);

export const decodeTransformConfig = (flags: TransformFlags, env: NodeJS.ProcessEnv): E.Either<string, TransformConfig> =>
  pipe(
    decodeEnv(env),
    E.chain((e) =>
      pipe(
        E.Do,
        E.apS('lake', pipe(locationOf('lake', flags.lake, e.LAKE_BUCKET), E.chain((l) => required('lake: give --lake or LAKE_BUCKET', l)))),
        E.apS(
          'batchId',
          flags['batch-id'] !== undefined
            ? decodeFlag('batch-id', BatchId, flags['batch-id'])
            : required('batch: give --batch-id or BATCH_ID', e.BATCH_ID),
        ),
        E.apS('landing', locationOf('landing', flags.landing, e.LANDING_BUCKET)),
        E.apS('store', storeSettings(e, flags)),
        E.apS('analyticsThreads', analyticsThreads(env.ANALYTICS_THREADS)),
      ),
    ),
    E.map(({ landing, ...rest }) => ({ ...rest, ...(landing ? { landing } : {}) })),
  );
