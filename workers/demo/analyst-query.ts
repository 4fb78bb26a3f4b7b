// The demo's analyst query: the lake's analytics/ Parquet copied out of (moto's) S3 into a
// temporary directory, and DuckDB — standing in for Athena — runs a named query's text unchanged.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYTICS_PREFIX } from '../core/lake-layout.js';
import type { BlobStore } from '../io/blob-store.js';
import { localStore } from '../io/local-store.js';
import { namedQuerySql, openLakeSql, type NamedQuery } from '../io/lake-sql.js';

export const analystQuery = async (lake: BlobStore, query: NamedQuery): Promise<Array<Record<string, unknown>>> => {
  const dir = await mkdtemp(join(tmpdir(), 'demo-analytics-'));
  try {
    const local = localStore(dir);
    for (const { key } of await lake.list(ANALYTICS_PREFIX)) await local.copyFrom(lake, key, key);
    const sql = await openLakeSql(dir);
    try {
      return await sql.query(namedQuerySql(query));
    } finally {
      sql.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The rows as a fixed-width table, columns as wide as their widest value. */
export const table = (rows: ReadonlyArray<Record<string, unknown>>): string => {
  if (rows.length === 0) return '(no rows)\n';
  const cols = Object.keys(rows[0]!);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const fmt = (cells: string[]) => `${cells.map((s, i) => s.padStart(width[i]!)).join('  ')}\n`;
  return fmt(cols) + rows.map((r) => fmt(cols.map((c) => String(r[c] ?? '')))).join('');
};
