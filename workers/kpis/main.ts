// node dist/kpis.js --date YYYY-MM-DD | --category C [--from D --to D] [--json] [--lake DIR]
import * as E from 'fp-ts/Either';
import { categoryTable, orderTable } from '../core/kpi-table.js';
import { openStore } from '../io/blob-store.js';
import { parseFlags, runCli, UsageError } from '../io/cli.js';
import { decodeEnv, locationOf, openKpiStore, storeSettings } from '../io/kpi-config.js';

const HELP = `Usage: node dist/kpis.js (--date YYYY-MM-DD | --category C [--from D] [--to D]) [--json] [options]

Reads the KPI tables by key: --date gives the day's order KPIs and every category of that day
(through the by_date index); --category gives one category's days, optionally between --from and
--to (inclusive). Prints tables, or JSON {"order": [...], "category": [...]} with --json.

Options (environment variable in brackets; flags override):
  --category-table T   category KPI table (DynamoDB)   [CATEGORY_KPI_TABLE]
  --order-table T      order KPI table (DynamoDB)      [ORDER_KPI_TABLE]
  --lake L             read the KPI files of a lake (run-local's store) instead of DynamoDB
  --help               this text
`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

runCli('kpis', async () => {
  const { values } = parseFlags({
    args: process.argv.slice(2),
    options: {
      date: { type: 'string' },
      category: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      lake: { type: 'string' },
      'category-table': { type: 'string' },
      'order-table': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if ((values.date === undefined) === (values.category === undefined)) throw new UsageError('give exactly one of --date or --category (see --help)');
  for (const flag of ['date', 'from', 'to'] as const) {
    const d = values[flag];
    if (d !== undefined && !DATE.test(d)) throw new UsageError(`--${flag} must be a date YYYY-MM-DD, got ${JSON.stringify(d)}`);
  }
  if (values.date !== undefined && (values.from !== undefined || values.to !== undefined)) throw new UsageError('--from/--to go with --category');
  const env = decodeEnv(process.env);
  if (E.isLeft(env)) throw new UsageError(env.left);
  const settings = storeSettings(env.right, values);
  if (E.isLeft(settings)) throw new UsageError(settings.left);
  const lake = locationOf('lake', values.lake, undefined);
  if (E.isLeft(lake)) throw new UsageError(lake.left);
  const lakeAt = lake.right;
  if (!settings.right.tables && !lakeAt) throw new UsageError('no KPI store: give the two tables (flags or env) or --lake');
  const store = openKpiStore(lakeAt ? { ...settings.right, tables: undefined } : settings.right, openStore(lakeAt ?? { kind: 'local', root: '.' }));

  const rows =
    values.date !== undefined
      ? await store.rowsOfDates([values.date])
      : { order: [], category: await store.rowsOfCategory(values.category!, values.from, values.to) };
  if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    if (values.date !== undefined) process.stdout.write(`Order KPIs\n${orderTable(rows.order)}\n`);
    process.stdout.write(`Category KPIs\n${categoryTable(rows.category)}`);
  }
  return 0;
});
