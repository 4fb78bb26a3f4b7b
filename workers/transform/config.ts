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
  readonly batchId: string;
  readonly landing?: Location;
  readonly store: StoreSettings;
}

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
      ),
    ),
    E.map(({ landing, ...rest }) => ({ ...rest, ...(landing ? { landing } : {}) })),
  );
