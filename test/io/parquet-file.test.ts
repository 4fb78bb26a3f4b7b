// io/parquet-file.ts lays out the column values itself: DuckDB (the reader the analytics lake's
// law uses, standing in for Athena) must read back exactly the cells written, for every column
// type, with nulls, non-ASCII and empty strings, negative and 53-bit integers, dictionary columns,
// and chunks spanning several pages and row groups; its min/max statistics must bound the values.
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Cell, ColumnDef, Columns } from '../../workers/core/analytics-columns.js';
import { parquetBytes } from '../../workers/io/parquet-file.js';

const defs: ColumnDef[] = [
  { name: 's', type: 'string' },
  { name: 'd', type: 'string', dictionary: true },
  { name: 't', type: 'timestamp' },
  { name: 'i', type: 'int' },
  { name: 'm', type: 'decimal(18,2)' },
  { name: 'r', type: 'decimal(9,4)' },
];

const readBack = async (columns: Columns): Promise<{ rows: Cell[][]; stats: Array<Record<string, unknown>> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'pq-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const db = await instance.connect();
  try {
    const file = join(dir, 'x.parquet');
    await writeFile(file, parquetBytes(columns));
    await db.run("SET TimeZone = 'UTC'");
    const rows = (
      await db.runAndReadAll(
        `SELECT s, d, epoch_ms(t) AS t, i, CAST(m * 100 AS BIGINT) AS m, CAST(r * 10000 AS INTEGER) AS r FROM read_parquet('${file}')`,
      )
    ).getRows() as unknown as Cell[][];
    const stats = (await db.runAndReadAll(`SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata('${file}')`)).getRowObjectsJson();
    return { rows: rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v))), stats };
  } finally {
    db.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
};

const nullable = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null, freq: 4 });
const rowArb = fc.tuple(
  nullable(fc.string({ unit: 'grapheme', maxLength: 12 })),
  nullable(fc.constantFrom('Complete', 'Returned', 'Électronique', '')),
  nullable(fc.integer({ min: -8_640_000_000_000, max: 8_640_000_000_000 })),
  nullable(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 })),
  nullable(fc.constantFrom(0, 1, -1, 199, 2 ** 53 - 1, -(2 ** 53 - 1), 4_294_967_296, -4_294_967_297)),
  nullable(fc.integer({ min: -99_999_999, max: 99_999_999 })),
);

const columnsOfRows = (rows: ReadonlyArray<ReadonlyArray<Cell>>): Columns => ({
  defs,
  values: defs.map((_, c) => rows.map((r) => r[c]!)),
  rows: rows.length,
});

test('DuckDB reads back every cell written, nulls and edge values included', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 60 }), async (rows) => {
      const { rows: read } = await readBack(columnsOfRows(rows));
      assert.equal(read, rows);
    }),
    { numRuns: 25 },
  );
});

test('chunks over several pages and row groups read back whole, statistics bound each chunk', async () => {
  // 230 k rows: three row groups of at most 100 k, each of several 20 k-row pages
  const rows: Cell[][] = Array.from({ length: 230_000 }, (_, n) => [
    n % 7 === 0 ? null : `id-${n}`,
    n % 11 === 0 ? null : ['Jeans', 'Tops & Tees', 'Accessoires é'][n % 3]!,
    n % 5 === 0 ? null : 1_700_000_000_000 + n * 1000,
    n % 3 === 0 ? null : n - 100_000,
    n * 37,
    n % 9_999,
  ]);
  const { rows: read, stats } = await readBack(columnsOfRows(rows));
  assert.equal(read.length, rows.length);
  assert.equal(read, rows);
  const groups = stats.filter((s) => s.path_in_schema === 'i');
  assert.equal(groups.length, 3);
  const bounds = [0, 100_000, 200_000].map((from) => {
    const i = rows.slice(from, from + 100_000).flatMap((r) => (r[3] === null ? [] : [r[3] as number]));
    return [String(Math.min(...i)), String(Math.max(...i))];
  });
  assert.equal(groups.map((g) => [g.stats_min_value, g.stats_max_value]), bounds);
  assert.equal(groups.map((g) => g.stats_null_count), ['33334', '33333', '10000']);
  const dict = stats.filter((s) => s.path_in_schema === 'd');
  assert.equal(dict[0]!.stats_min_value, 'Accessoires é');
  assert.equal(dict[0]!.stats_max_value, 'Tops & Tees');
});

test.run();
