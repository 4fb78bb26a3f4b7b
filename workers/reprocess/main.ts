// `node dist/reprocess.js --batch ID [--force] | --all [--from D] [--to D] [--force]`: sends
// archived batches through the state machine again, one after another, and exits non-zero if any
// did not succeed.
import { SFNClient } from '@aws-sdk/client-sfn';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { parseFlags, UsageError } from '../io/cli.js';
import { logger } from '../io/log.js';
import { s3Store } from '../io/s3-store.js';
import { archivedBatches, reprocessBatch, type BatchResult } from './reprocess.js';

const HELP = `usage: node dist/reprocess.js (--batch ID ... | --all) [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--force]
                                [--timeout SECONDS]

Sends archived batches (lake archive/<batch>/) through the state machine again, keeping their
batch ids, so KPIs stay exactly-once. Without --force a batch whose execution already exists is
skipped; --force starts a new execution named <batch>-r<time>. --all takes every archived batch
(only those touching --from/--to when given), oldest first. Batches run one at a time.

environment: LANDING_BUCKET, LAKE_BUCKET, STATE_MACHINE_ARN (and the AWS SDK's own)
exit: 0 every batch succeeded or was skipped, 1 otherwise`;

const Env = t.type({ LANDING_BUCKET: t.string, LAKE_BUCKET: t.string, STATE_MACHINE_ARN: t.string });
const isDate = (s: string | undefined) => s === undefined || /^\d{4}-\d{2}-\d{2}$/.test(s);

const main = async (): Promise<number> => {
  const { values } = parseFlags({
    options: {
      batch: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '1800' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const chosen = (values.batch ?? []).length > 0;
  const usage =
    chosen === values.all
      ? 'give --batch ID or --all'
      : !isDate(values.from)
        ? `--from must be a date YYYY-MM-DD, got ${JSON.stringify(values.from)}`
        : !isDate(values.to)
          ? `--to must be a date YYYY-MM-DD, got ${JSON.stringify(values.to)}`
          : !(Number(values.timeout) > 0)
            ? `--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`
            : undefined;
  if (usage !== undefined) {
    process.stderr.write(`reprocess: ${usage} (see --help)\n`);
    return 1;
  }
  const env = pipe(
    Env.decode(process.env),
    E.getOrElseW(() => undefined),
  );
  if (!env) {
    process.stderr.write('reprocess: LANDING_BUCKET, LAKE_BUCKET and STATE_MACHINE_ARN must be set\n');
    return 1;
  }
  const log = logger('reprocess');
  const lake = s3Store(env.LAKE_BUCKET, '');
  const deps = {
    landing: s3Store(env.LANDING_BUCKET, ''),
    lake,
    sfn: new SFNClient({}),
    stateMachineArn: env.STATE_MACHINE_ARN,
    log,
    timeoutMs: Number(values.timeout) * 1000,
  };
  const ids = chosen
    ? (values.batch ?? [])
    : (await archivedBatches(lake, { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) })).map(
        (r) => r.batch_id,
      );
  const results: BatchResult[] = [];
  for (const id of ids) {
    const result = await reprocessBatch(deps, id, values.force);
    results.push(result);
    process.stdout.write(
      result._tag === 'Done'
        ? `${id}\t${result.status}\t${result.execution}\n`
        : `${id}\tSKIPPED\t${result.reason}\n`,
    );
  }
  const failed = results.filter((r) => r._tag === 'Done' && r.status !== 'SUCCEEDED').length;
  process.stderr.write(`reprocess: ${results.length} batch(es), ${failed} not succeeded\n`);
  return failed === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const hint = error instanceof UsageError ? ' (see --help)' : '';
    process.stderr.write(`reprocess: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
    process.exit(1);
  },
);
