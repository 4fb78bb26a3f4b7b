// A rejected batch's inputs leave landing only once their quarantine copy is confirmed: a failed
// copy fails the run with every input still in place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateBatch } from '../../workers/validate/validate-batch.js';
import { localStore } from '../../workers/io/local-store.js';
import type { BlobStore } from '../../workers/io/blob-store.js';
import { csv, tempDirs, writeFiles } from '../support/lake.js';

// products.csv lacks a required column: the batch is rejected
const FILES = {
  'products/p.csv': csv('id,sku,cost,category', ['p1,S1,1.00,Jeans']),
  'orders/o.csv': csv('order_id,user_id,status,created_at', ['o1,u1,Complete,2024-01-01 10:00:00']),
  'order_items/i.csv': csv('id,order_id,product_id,sale_price', ['i1,o1,p1,2.50']),
};

/** The lake port with one key's copy failing, as a throttled or denied CopyObject would. */
const failingCopy = (lake: BlobStore, failKey: string): BlobStore => ({
  ...lake,
  copyFrom: (source, from, to) =>
    from === failKey ? Promise.reject(Object.assign(new Error('SlowDown'), { name: 'SlowDown' })) : lake.copyFrom(source, from, to),
});

const remaining = async (dir: string) => (await localStore(dir).list('')).map((b) => b.key).sort();

test('a failed quarantine copy fails the run and deletes nothing from landing', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, FILES);
    const lake = failingCopy(localStore(dirs.lake), 'orders/o.csv');
    let failed: Error | undefined;
    await validateBatch({ source: localStore(dirs.landing), lake, batchId: 'b-q', maxRejectRate: 0.05, moveRejectedInputs: true }).catch(
      (e: Error) => {
        failed = e;
      },
    );
    assert.match(failed?.message ?? '', /could not copy 1 input\(s\) to quarantine \(orders\/o\.csv\)/);
    assert.equal(await remaining(dirs.landing), Object.keys(FILES).sort());
  } finally {
    await dirs.cleanup();
  }
});

test('confirmed copies leave landing; an input gone during the run is neither copied nor an error', async () => {
  const dirs = await tempDirs();
  try {
    await writeFiles(dirs.landing, FILES);
    const source = localStore(dirs.landing);
    // the items file disappears between reading and quarantining
    const vanishing: BlobStore = {
      ...source,
      read: async (key) => {
        const stream = await source.read(key);
        if (key === 'order_items/i.csv') stream.once('end', () => void source.delete([key]));
        return stream;
      },
    };
    const report = await validateBatch({ source: vanishing, lake: localStore(dirs.lake), batchId: 'b-q2', maxRejectRate: 0.05, moveRejectedInputs: true });
    assert.is(report.verdict, 'REJECTED');
    assert.equal(await remaining(dirs.landing), []);
    const quarantined = (await localStore(dirs.lake).list('quarantine/b-q2/files/')).map((b) => b.key).filter((k) => !k.endsWith('.reason.json'));
    assert.equal(quarantined, ['quarantine/b-q2/files/orders/o.csv', 'quarantine/b-q2/files/products/p.csv']);
  } finally {
    await dirs.cleanup();
  }
});

test.run();
