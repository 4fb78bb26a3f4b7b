// Every file the validator is given or finds is accounted for, and nothing outside the roots is
// touched: hostile manifest keys (issue 14 item 2), symbolic links (item 3), marker and hidden
// files (item 8), over directory landings; the S3 side is in test/validate/s3.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { localStore } from '../../workers/io/local-store.js';
import { cleanedKey } from '../../workers/core/lake-layout.js';
import { csv, readGzLines, writeFiles, type TempDirs, withDirs } from '../support/lake.js';

const PRODUCTS = csv('id,sku,cost,category,retail_price', ['p1,S1,1.00,Jeans,2.50']);
const ORDERS = csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2025-03-08T10:00:00']);
const ITEMS = csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50']);
// a valid orders file outside the landing root: were it read, o9 would be cleaned
const SECRET = csv('order_id,user_id,status,created_at', ['o9,u9,Complete,2025-03-08T10:00:00']);
const GOOD = { 'products/p.csv': PRODUCTS, 'orders/o.csv': ORDERS, 'order_items/i.csv': ITEMS };

/** Every path under `dir`, relative to `root` (landing/, lake/ and anything beside them). */
const tree = async (dir: string, root = dir): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => [relative(root, join(dir, e.name)), ...(e.isDirectory() ? await tree(join(dir, e.name), root) : [])]),
  );
  return nested.flat();
};

const validate = (dirs: TempDirs, files: ReadonlyArray<string>) =>
  validateBatch({
    source: localStore(dirs.landing),
    lake: localStore(dirs.lake),
    manifest: { batch_id: 'b-keys', files: files.map((key) => ({ key })) },
    maxRejectRate: 0.05,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });

withDirs('manifest keys with .., absolute paths or backslashes are file reasons: nothing outside --input is read, nothing outside --out written', async (dirs) => {
  await writeFiles(dirs.landing, GOOD);
  await writeFiles(join(dirs.root, 'secret'), { 'orders/o.csv': SECRET });
  const absolute = join(dirs.root, 'secret', 'orders', 'o.csv');
  const before = await tree(dirs.root);
  // the deep climb reads the secret from landing and would write its quarantine copy beside it
  const deep = `orders/${'../'.repeat(40)}${absolute.slice(1)}`;
  const hostile = ['../secret/orders/o.csv', 'orders/../../secret/orders/o.csv', deep, absolute, 'orders\\..\\..\\secret\\orders\\o.csv'];
  const report = await validate(dirs, [...Object.keys(GOOD), ...hostile]);
  // the batch is rejected (a file reason), and the rejected batch copies its files to quarantine:
  // only the three inside files, all under the lake
  assert.is(report.verdict, 'REJECTED');
  for (const key of hostile) {
    const f = report.files.find((r) => r.key === key);
    assert.ok(f, key);
    assert.is(f!.file_reason?.code, 'FILE_UNREADABLE', key);
    assert.match(f!.file_reason!.message, /outside the input root/);
    assert.is(f!.rows_read, 0);
  }
  const after = await tree(dirs.root);
  const outsideLake = after.filter((p) => !before.includes(p) && !p.startsWith('lake'));
  assert.equal(outsideLake, []);
  assert.ok(after.some((p) => p.startsWith(join('lake', 'quarantine', 'b-keys', 'files', 'orders'))));
});

withDirs('a harmless detour in a manifest key is normalised and read once', async (dirs) => {
  await writeFiles(dirs.landing, GOOD);
  const report = await validate(dirs, ['products/p.csv', './orders//o.csv', 'orders/x/../o.csv', 'order_items/i.csv']);
  assert.is(report.verdict, 'ACCEPTED');
  assert.equal(report.files.map((f) => f.key), ['products/p.csv', 'orders/o.csv', 'order_items/i.csv']);
});

withDirs('symbolic links: one inside the root is read, one leading outside is quarantined with a reason, a dangling one reported', async (dirs) => {
  await writeFiles(dirs.landing, { ...GOOD, 'shared/more-orders.csv': csv('order_id,user_id,status,created_at', ['o2,u2,Complete,2025-03-09T10:00:00']) });
  await writeFiles(join(dirs.root, 'secret'), { 'o.csv': SECRET });
  await symlink(join(dirs.landing, 'shared', 'more-orders.csv'), join(dirs.landing, 'orders', 'inside.csv'));
  await symlink(join(dirs.root, 'secret', 'o.csv'), join(dirs.landing, 'orders', 'outside.csv'));
  await symlink(join(dirs.root, 'secret'), join(dirs.landing, 'orders', 'linked-dir'));
  await symlink(join(dirs.landing, 'nowhere.csv'), join(dirs.landing, 'orders', 'dangling.csv'));
  const report = await validateBatch({ source: localStore(dirs.landing), lake: localStore(dirs.lake), batchId: 'b-links', maxRejectRate: 0.05 });
  const byKey = new Map(report.files.map((f) => [f.key, f]));
  assert.is(byKey.get('orders/inside.csv')?.rows_cleaned, 1);
  assert.is(byKey.get('orders/inside.csv')?.file_reason, undefined);
  assert.is(byKey.get('orders/outside.csv')?.file_reason?.code, 'FILE_UNREADABLE');
  assert.match(byKey.get('orders/outside.csv')!.file_reason!.message, /symbolic link resolving outside the input root/);
  assert.is(byKey.get('orders/linked-dir')?.file_reason?.code, 'FILE_UNSUPPORTED');
  assert.is(byKey.get('orders/dangling.csv')?.file_reason?.code, 'FILE_UNREADABLE');
  assert.is(report.verdict, 'REJECTED');
  // the outside file was never copied into quarantine either
  const quarantined = await tree(join(dirs.lake, 'quarantine', 'b-links', 'files'));
  assert.ok(!quarantined.includes(join('orders', 'outside.csv')));
});

withDirs('marker and hidden files are ignored and listed as such: the batch is accepted', async (dirs) => {
  await writeFiles(dirs.landing, {
    ...GOOD,
    'orders/_SUCCESS': '',
    'orders/.DS_Store': '\u0000\u0001binary',
    'products/.keep': '',
    'order_items/_temporary/0/part-9.csv': 'id\n',
    'order_items/.hidden/x.csv': 'garbage',
  });
  const report = await validateBatch({ source: localStore(dirs.landing), lake: localStore(dirs.lake), batchId: 'b-markers', maxRejectRate: 0.05 });
  assert.is(report.verdict, 'ACCEPTED');
  assert.equal(report.files.map((f) => f.key), Object.keys(GOOD));
  assert.equal(
    (report.ignored ?? []).map((i) => i.key).sort(),
    ['order_items/.hidden/x.csv', 'order_items/_temporary/0/part-9.csv', 'orders/.DS_Store', 'orders/_SUCCESS', 'products/.keep'],
  );
  assert.ok((report.ignored ?? []).every((i) => i.reason.length > 0));
  const orders = await readGzLines(localStore(dirs.lake), cleanedKey('orders', 'b-markers', '2025-03-08'));
  assert.equal(orders.map((o) => (o as { order_id: string }).order_id), ['o1']);
});

withDirs('a manifest naming a marker file ignores it too', async (dirs) => {
  await writeFiles(dirs.landing, { ...GOOD, 'orders/_SUCCESS': '' });
  const report = await validate(dirs, [...Object.keys(GOOD), 'orders/_SUCCESS']);
  assert.is(report.verdict, 'ACCEPTED');
  assert.equal(report.ignored, [{ key: 'orders/_SUCCESS', reason: 'marker file _SUCCESS' }]);
});

withDirs('the CLI: --manifest and BATCH_MANIFEST with an escaping key write nothing outside --out', async (dirs) => {
  await writeFiles(dirs.landing, GOOD);
  await writeFiles(join(dirs.root, 'secret'), { 'orders/o.csv': SECRET });
  await mkdir(dirs.lake, { recursive: true });
  const deep = `orders/${'../'.repeat(40)}${join(dirs.root, 'secret', 'orders', 'o.csv').slice(1)}`;
  const manifest = JSON.stringify({ batch_id: 'b-cli', files: [...Object.keys(GOOD), '../secret/orders/o.csv', deep].map((key) => ({ key })) });
  await writeFile(join(dirs.root, 'm.json'), manifest);
  const before = await tree(dirs.root);
  for (const how of [{ args: ['--manifest', join(dirs.root, 'm.json')], env: {} }, { args: [], env: { BATCH_MANIFEST: manifest } }]) {
    const r = spawnSync(process.execPath, ['dist/validate.js', '--input', dirs.landing, '--out', dirs.lake, ...how.args], {
      encoding: 'utf8',
      env: { ...process.env, ...how.env },
    });
    assert.is(r.status, 2, r.stderr);
  }
  const created = (await tree(dirs.root)).filter((p) => !before.includes(p) && !p.startsWith('lake'));
  assert.equal(created, []);
});

test.run();
