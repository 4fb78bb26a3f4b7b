// DuckDB standing in for Athena on a local lake directory (DESIGN §13): one view per dataset over
// the analytics Parquet, named like the Glue tables, Hive partitioning giving `order_date` (a
// DATE, as the Glue partition key is), so the named queries (infra/queries/*.sql) run unchanged.
// Development only: @duckdb/node-api is a devDependency (tests, the demo), never in a worker image.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_COLUMNS, DATED_DATASETS, type ColumnType, type Dataset } from '../core/analytics-columns.js';
import { ANALYTICS_PREFIX } from '../core/lake-layout.js';
import { repoRoot } from '../local/repo-root.js';

export const NAMED_QUERIES = ['order_kpis', 'category_kpis', 'revenue_trend', 'top_categories'] as const;
export type NamedQuery = (typeof NAMED_QUERIES)[number];
export const namedQuerySql = (name: NamedQuery): string => readFileSync(join(repoRoot(), 'infra', 'queries', `${name}.sql`), 'utf8');

const duckType: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  int: 'INTEGER',
  'decimal(18,2)': 'DECIMAL(18,2)',
  'decimal(9,4)': 'DECIMAL(9,4)',
};

const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** An empty dataset still has its table (as Athena's does), not a missing-file error. */
const emptyTable = (dataset: Dataset): string => {
  const cols = DATASET_COLUMNS[dataset].map((c) => `${c.name} ${duckType[c.type]}`);
  if (dataset !== 'products') cols.push('order_date DATE');
  return `CREATE TABLE ${dataset} (${cols.join(', ')})`;
};

const hasFiles = (dir: string, dated: boolean): boolean => {
  try {
    // A local lake keeps the empty directory of a date whose file was deleted.
    return dated ? readdirSync(dir).some((d) => existsSync(join(dir, d, 'data.parquet'))) : existsSync(join(dir, 'data.parquet'));
  } catch {
    return false;
  }
};

export interface LakeSql {
  /** Rows as JSON values (decimals and big integers as strings, timestamps as text). */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): void;
}

export const openLakeSql = async (lakeDir: string): Promise<LakeSql> => {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const db: DuckDBConnection = await instance.connect();
  // Timestamps print and cast in UTC, as in Athena.
  await db.run("SET TimeZone = 'UTC'");
  for (const dataset of [...DATED_DATASETS, 'products'] as const) {
    const dated = dataset !== 'products';
    const dir = join(lakeDir, ANALYTICS_PREFIX, dataset);
    if (!hasFiles(dir, dated)) await db.run(emptyTable(dataset));
    else if (dated)
      await db.run(`CREATE VIEW ${dataset} AS SELECT * FROM read_parquet(${quoted(join(dir, '*', 'data.parquet'))}, hive_partitioning = true)`);
    else await db.run(`CREATE VIEW ${dataset} AS SELECT * FROM read_parquet(${quoted(join(dir, 'data.parquet'))})`);
  }
  return {
    query: async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>,
    close: () => {
      db.closeSync();
      instance.closeSync();
    },
  };
};
