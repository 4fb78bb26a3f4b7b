// Server-side copies against moto: a multipart UploadPartCopy copy (limits shrunk so that a 12 MiB
// object takes the path a 6 GB one takes in AWS) gives the same bytes; DeleteObjects errors fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CreateBucketCommand, GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { useMoto } from '../support/moto.js';
import type { MotoServer } from '../../workers/local/moto-server.js';
import { copyObject } from '../../workers/io/s3-copy.js';
import { s3Store, throwOnDeleteErrors } from '../../workers/io/s3-store.js';
import { MIB } from '../../workers/core/copy-plan.js';

let moto: MotoServer;
let s3: S3Client;

test.before(async () => {
  moto = await useMoto();
  s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'src' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'dest' }));
});
test.after(async () => moto.stop());

const small = { singleCopyMax: 6 * MIB, partSize: 5 * MIB, maxParts: 10_000 };

test('an object above the single-copy limit is copied part by part, byte for byte', async () => {
  const body = randomBytes(12 * MIB + 123);
  await s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'order_items/a b.csv', Body: body }));
  await copyObject(s3, { bucket: 'src', key: 'order_items/a b.csv' }, { bucket: 'dest', key: 'archive/x/order_items/a b.csv' }, small);
  const copied = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'dest', Key: 'archive/x/order_items/a b.csv' }))).Body!.transformToByteArray());
  assert.ok(copied.equals(body));
  // through the store too (copyFrom between two S3 stores)
  await s3Store('dest', 'q/', s3, small).copyFrom(s3Store('src', '', s3), 'order_items/a b.csv', 'k.csv');
  const viaStore = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'dest', Key: 'q/k.csv' }))).Body!.transformToByteArray());
  assert.ok(viaStore.equals(body));
  assert.is((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'dest' }))).Uploads?.length ?? 0, 0, 'no upload left open');
});

test('a missing source fails the copy and leaves no multipart upload behind', async () => {
  let failed = false;
  await copyObject(s3, { bucket: 'src', key: 'nope' }, { bucket: 'dest', key: 'nope' }, small).catch(() => {
    failed = true;
  });
  assert.ok(failed);
});

test('DeleteObjects errors (200 with Errors) are failures, not silent successes', () => {
  throwOnDeleteErrors('landing', undefined);
  throwOnDeleteErrors('landing', []);
  assert.throws(() => throwOnDeleteErrors('landing', [{ Key: 'orders/o.csv', Code: 'AccessDenied', Message: 'Access Denied' }]), /could not delete 1 object\(s\) from landing: orders\/o\.csv AccessDenied/);
});

test.run();
