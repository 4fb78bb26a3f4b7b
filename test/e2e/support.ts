// Shared pieces of the end-to-end suite: shops from dist/generate.js, uploads, reference KPIs
// computed with no AWS at all (dist/run-local.js), and reads of what the pipeline left in moto.
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { planUploads, shopFiles, upload } from '../../workers/demo/upload.js';
export { upload };
import { kpiRows } from '../../workers/demo/results.js';

const run = promisify(execFile);
export const ROOT = process.cwd();
const dist = (name: string) => join(ROOT, 'dist', `${name}.js`);

/** Environment for a no-AWS child: nothing that could point it at moto or at tables. */
const offlineEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', NODE_NO_WARNINGS: '1' };
  return env;
};

export const scratch = (name: string) => mkdtemp(join(tmpdir(), `e2e-${name}-`));

export const generateShop = async (args: ReadonlyArray<string>): Promise<string> => {
  const out = join(await scratch('shop'), 'shop');
  await run(process.execPath, [dist('generate'), '--out', out, ...args], { env: offlineEnv() });
  return out;
};

export type KpiRow = Record<string, unknown>;
export interface Kpis {
  readonly order: ReadonlyArray<KpiRow>;
  readonly category: ReadonlyArray<KpiRow>;
}

/** The KPI attributes of §5 (and their stored companions), without per-write stamps. */
const STAMPS = new Set(['updated_at', 'batch_id']);
const strip = (row: KpiRow): KpiRow =>
  Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => !STAMPS.has(k))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
const keyOf = (row: KpiRow) => `${String(row.category ?? '')}|${String(row.order_date)}`;
export const normalize = (kpis: Kpis): Kpis => ({
  order: [...kpis.order].map(strip).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)),
  category: [...kpis.category].map(strip).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)),
});

/** What run-local computes for these shops processed one after another in one lake (no AWS). */
export const referenceKpis = async (shops: ReadonlyArray<string>): Promise<Kpis> => {
  const lake = await scratch('lake');
  const order = new Map<string, KpiRow>();
  const category = new Map<string, KpiRow>();
  const opts = { env: offlineEnv(), maxBuffer: 64 << 20 };
  for (const [i, shop] of shops.entries()) {
    if (existsSync(dist('run-local'))) {
      const json = join(lake, '..', `kpis-${i}.json`);
      await run(process.execPath, [dist('run-local'), '--input', shop, '--lake', lake, '--json', json], opts);
      // each run prints the whole lake's KPIs: the last one is the state after every batch
      const k = JSON.parse(await readFile(json, 'utf8')) as { order: KpiRow[]; category: KpiRow[] };
      order.clear();
      category.clear();
      k.order.forEach((r) => order.set(keyOf(r), r));
      k.category.forEach((r) => category.set(keyOf(r), r));
    } else {
      // run-local's two steps by hand: validate then transform into a local lake, KPIs as files
      const batch = `ref-${i}`;
      await run(process.execPath, [dist('validate'), '--input', shop, '--out', lake, '--batch-id', batch], opts);
      await run(process.execPath, [dist('transform'), '--lake', lake, '--batch-id', batch], opts);
    }
  }
  if (!existsSync(dist('run-local'))) {
    for (const file of (await readdir(join(lake, 'kpis'))).filter((f) => f.endsWith('.json'))) {
      const day = JSON.parse(await readFile(join(lake, 'kpis', file), 'utf8')) as { order: KpiRow[]; category: KpiRow[] };
      day.order.forEach((r) => order.set(keyOf(r), r));
      day.category.forEach((r) => category.set(keyOf(r), r));
    }
  }
  return normalize({ order: [...order.values()], category: [...category.values()] });
};

export const tableKpis = async (orderTable: string, categoryTable: string): Promise<Kpis> =>
  normalize((await kpiRows(orderTable, categoryTable)) as unknown as Kpis);

/** Only the attributes both sides have (the tables may store a few more companions). */
export const comparable = (a: Kpis, b: Kpis): [Kpis, Kpis] => {
  const pick = (rows: ReadonlyArray<KpiRow>, other: ReadonlyArray<KpiRow>) => {
    const shared = new Set(Object.keys(other[0] ?? {}));
    return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => shared.has(k))));
  };
  return [
    { order: pick(a.order, b.order), category: pick(a.category, b.category) },
    { order: pick(b.order, a.order), category: pick(b.category, a.category) },
  ];
};

export const s3 = () => new S3Client({ forcePathStyle: true });

export const listKeys = async (bucket: string, prefix = ''): Promise<string[]> => {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    (page.Contents ?? []).forEach((o) => keys.push(o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
};

export const emptyPrefix = async (bucket: string, prefix = ''): Promise<void> => {
  const keys = await listKeys(bucket, prefix);
  if (keys.length > 0) {
    await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
  }
};

/** The upload plan of a shop, its part names tagged so that shops never share landing keys. */
export const taggedPlan = async (shop: string, tag: string) =>
  planUploads(await shopFiles(shop), shop).map((p) => ({ ...p, key: p.key.replace(/\/([^/]+)$/, `/${tag}-$1`) }));

/** Uploads a shop as the demo does; with `manifestKey`, a manifest naming its parts goes first. */
export const uploadShop = async (bucket: string, shop: string, tag: string, manifestKey?: string): Promise<ReadonlyArray<string>> => {
  const plan = await taggedPlan(shop, tag);
  if (manifestKey) {
    await s3().send(new PutObjectCommand({ Bucket: bucket, Key: manifestKey, Body: JSON.stringify({ keys: plan.map((p) => p.key) }) }));
  }
  for (const item of plan) await upload(s3(), bucket, item);
  return plan.map((p) => p.key);
};

export const lockHolder = async (table: string): Promise<string | undefined> =>
  (
    await new DynamoDBClient({}).send(
      new GetItemCommand({ TableName: table, Key: { LockId: { S: 'ecommerce-pipeline-lock' } }, ConsistentRead: true }),
    )
  ).Item?.lockholder?.S;

export const emptyTable = async (table: string, keys: ReadonlyArray<string>): Promise<void> => {
  const ddb = new DynamoDBClient({});
  let start: Record<string, never> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      await ddb.send(new DeleteItemCommand({ TableName: table, Key: Object.fromEntries(keys.map((k) => [k, item[k]!])) }));
    }
    start = page.LastEvaluatedKey as never;
  } while (start);
};

export const runCli = (name: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv) =>
  run(process.execPath, [dist(name), ...args], { env: { ...env, NODE_NO_WARNINGS: '1' }, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
