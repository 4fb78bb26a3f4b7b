import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as E from 'fp-ts/lib/Either.js';
import { BatchId, BooleanFromString, BucketLocation, decodeWith, LocationFromString, RejectRate } from '../../workers/io/config.js';
import { decodeValidateConfig } from '../../workers/validate/config.js';

test('RejectRate: a number in [0, 1], with the setting named in the message', () => {
  assert.equal(decodeWith(RejectRate, '0.05'), E.right(0.05));
  assert.equal(decodeWith(RejectRate, '1'), E.right(1));
  for (const bad of ['-0.1', '1.01', 'abc', '', '5%']) assert.ok(E.isLeft(decodeWith(RejectRate, bad)), bad);
});

test('locations: directories, s3 URLs, bucket names', () => {
  assert.equal(decodeWith(LocationFromString, 's3://lake/p/q/'), E.right({ kind: 's3', bucket: 'lake', prefix: 'p/q/' }));
  assert.equal(decodeWith(LocationFromString, '/tmp/x'), E.right({ kind: 'local', root: '/tmp/x' }));
  assert.ok(E.isLeft(decodeWith(LocationFromString, 's3://Bad_Bucket/x')));
  assert.equal(decodeWith(BucketLocation, 'my-lake'), E.right({ kind: 's3', bucket: 'my-lake', prefix: '' }));
  assert.ok(E.isLeft(decodeWith(BucketLocation, 's3://my-lake')));
});

test('booleans and batch ids', () => {
  assert.equal(decodeWith(BooleanFromString, 'TRUE'), E.right(true));
  assert.equal(decodeWith(BooleanFromString, '0'), E.right(false));
  assert.ok(E.isLeft(decodeWith(BooleanFromString, 'maybe')));
  assert.ok(E.isRight(decodeWith(BatchId, 'b-0123abc_X')));
  assert.ok(E.isLeft(decodeWith(BatchId, '../etc')));
});

test('validate config: flags override the environment; buckets stand in for locations', () => {
  const env = { LANDING_BUCKET: 'landing', LAKE_BUCKET: 'lake', MAX_REJECT_RATE: '0.1', BATCH_ID: 'b-env', EXIT_ZERO_ON_REJECT: 'true' };
  const fromEnv = decodeValidateConfig({}, env, false);
  assert.ok(E.isRight(fromEnv));
  if (E.isRight(fromEnv)) {
    assert.equal(fromEnv.right.input, { kind: 's3', bucket: 'landing', prefix: '' });
    assert.equal([fromEnv.right.maxRejectRate, fromEnv.right.batchId, fromEnv.right.exitZeroOnReject, fromEnv.right.progress], [0.1, 'b-env', true, false]);
  }
  const flags = decodeValidateConfig({ input: '/in', out: 's3://lake/x', 'max-reject-rate': '0.2', 'batch-id': 'b-flag', progress: true }, env, false);
  assert.ok(E.isRight(flags));
  if (E.isRight(flags)) {
    assert.equal(flags.right.input, { kind: 'local', root: '/in' });
    assert.equal([flags.right.maxRejectRate, flags.right.batchId, flags.right.progress], [0.2, 'b-flag', true]);
  }
  const defaults = decodeValidateConfig({ input: '/in', out: '/out' }, {}, true);
  assert.ok(E.isRight(defaults) && defaults.right.maxRejectRate === 0.05 && defaults.right.progress && defaults.right.manifest === undefined);
  const manifest = decodeValidateConfig({ input: '/in', out: '/out' }, { BATCH_MANIFEST: 's3://b/m.json' }, false);
  assert.ok(E.isRight(manifest) && manifest.right.manifest?.kind === 'file');
});

test('validate config: a bad value is one clear line naming the setting', () => {
  const bad = decodeValidateConfig({ input: '/in', out: '/out' }, { MAX_REJECT_RATE: 'x' }, false);
  assert.ok(E.isLeft(bad) && bad.left.startsWith('MAX_REJECT_RATE must be a number between 0 and 1'));
  const missing = decodeValidateConfig({ input: '/in' }, {}, false);
  assert.ok(E.isLeft(missing) && /--out is required/.test(missing.left));
});

test.run();
