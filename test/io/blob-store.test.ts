// One contract, two adapters: the local directory store and the S3 store (against moto) must
// behave the same for every call the workers make.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BlobStore } from '../../workers/io/blob-store.js';
import { localStore } from '../../workers/io/local-store.js';
import { s3Client, s3Store } from '../../workers/io/s3-store.js';
import { ndjsonGzWriter, readNdjsonGz } from '../../workers/io/ndjson-gz.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { useMoto } from '../support/moto.js';

const text = async (s: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
};

const contract = (name: string, make: () => Promise<{ a: BlobStore; b: BlobStore; done: () => Promise<void> }>) => {
  const t = suite(name);
  let a: BlobStore;
  let b: BlobStore;
  let done: () => Promise<void>;
  t.before(async () => {
    ({ a, b, done } = await make());
  });
  t.after(async () => done());

  t('write, list sorted by key with sizes, read back', async () => {
    await a.write('orders/p2.csv', 'x,y\n1,2\n');
    await a.write('orders/p1.csv', Buffer.from('h\n'));
    await a.write('products/p.csv', 'h\n');
    const listed = await a.list('orders/');
    assert.equal(listed.map((i) => [i.key, i.size]), [['orders/p1.csv', 2], ['orders/p2.csv', 8]]);
    assert.is(await text(await a.read('orders/p2.csv')), 'x,y\n1,2\n');
    assert.is((await a.readSmall('orders/p1.csv'))?.toString(), 'h\n');
  });

  t('a missing key reads as undefined and lists as nothing', async () => {
    assert.is(await a.readSmall('nope/x.json'), undefined);
    assert.equal(await a.list('nope/'), []);
  });

  t('streams gzipped NDJSON in and out', async () => {
    const w = ndjsonGzWriter();
    const stored = a.writeStream('cleaned/orders/order_date=2025-01-01/b-1.ndjson.gz', w.output);
    for (let i = 0; i < 1000; i++) await w.write({ i, s: `row ${i}` });
    w.end();
    await stored;
    const back: unknown[] = [];
    for await (const r of readNdjsonGz(await a.read('cleaned/orders/order_date=2025-01-01/b-1.ndjson.gz'))) back.push(r);
    assert.is(back.length, 1000);
    assert.equal(back[999], { i: 999, s: 'row 999' });
  });

  t('copies across stores and deletes', async () => {
    await b.copyFrom(a, 'orders/p2.csv', 'archive/b-1/orders/p2.csv');
    assert.is((await b.readSmall('archive/b-1/orders/p2.csv'))?.toString(), 'x,y\n1,2\n');
    await a.delete(['orders/p1.csv', 'orders/p2.csv']);
    assert.equal(await a.list('orders/'), []);
  });

  t.run();
};

contract('local store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-'));
  return { a: localStore(join(dir, 'a')), b: localStore(join(dir, 'b')), done: () => rm(dir, { recursive: true, force: true }) };
});

// The local store remembers the directories it made; one removed behind its back is made again.
test('local store: writes land in a directory removed since the store made it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blob-'));
  try {
    const store = localStore(dir);
    await store.write('x/y/one.txt', 'one');
    await rm(join(dir, 'x'), { recursive: true, force: true });
    await store.write('x/y/two.txt', 'two');
    assert.is((await store.readSmall('x/y/two.txt'))?.toString(), 'two');
    await rm(join(dir, 'x'), { recursive: true, force: true });
    await store.writeStream('x/y/three.txt', Readable.from([Buffer.from('three')]));
    assert.is((await store.readSmall('x/y/three.txt'))?.toString(), 'three');
    assert.equal((await store.list('x/')).map((i) => i.key), ['x/y/three.txt']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
test.run();

let moto: MotoServer;
contract('s3 store', async () => {
  moto = await useMoto();
  await s3Client().send(new CreateBucketCommand({ Bucket: 'landing' }));
  await s3Client().send(new CreateBucketCommand({ Bucket: 'lake' }));
  return { a: s3Store('landing', 'in/'), b: s3Store('lake', ''), done: () => moto.stop() };
});
