import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasResource, policyDocumentOf, resource, resources, statementsOf } from '../support/synth.js';

const buckets = resources('aws_s3_bucket').map(([name]) => name);
const attached = (type: string, bucket: string) =>
  resources(type).filter(([, r]) => r['bucket'] === `\${aws_s3_bucket.${bucket}.id}`).map(([, r]) => r);

test('two buckets, landing and lake, named <prefix>-<env>-…-<suffix>', () => {
  assert.equal(buckets.sort(), ['lake', 'landing']);
  assert.ok(hasResource('aws_s3_bucket', { bucket: '${var.name_prefix}-${var.environment}-landing${local.bucket_suffix}' }));
  assert.ok(hasResource('aws_s3_bucket', { bucket: '${var.name_prefix}-${var.environment}-lake${local.bucket_suffix}' }));
});

for (const bucket of ['landing', 'lake']) {
  test(`${bucket}: every kind of public access is blocked`, () => {
    const blocks = attached('aws_s3_bucket_public_access_block', bucket);
    assert.is(blocks.length, 1);
    assert.ok(hasResource('aws_s3_bucket_public_access_block', {
      bucket: `\${aws_s3_bucket.${bucket}.id}`,
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    }));
  });

  test(`${bucket}: server-side encryption by default`, () => {
    const [sse] = attached('aws_s3_bucket_server_side_encryption_configuration', bucket);
    assert.ok(sse, 'no SSE configuration');
    const rule = (sse['rule'] as Array<{ apply_server_side_encryption_by_default: { sse_algorithm: string } }>)[0]!;
    // SSE-S3, or SSE-KMS when kms_key_arn is set (test/infra/encryption.test.ts).
    assert.is(rule.apply_server_side_encryption_by_default.sse_algorithm, '${var.kms_key_arn != "" ? "aws:kms" : "AES256"}');
  });

  test(`${bucket}: the bucket policy denies every request without TLS, on the bucket and its objects`, () => {
    const [policy] = attached('aws_s3_bucket_policy', bucket);
    assert.ok(policy, 'no bucket policy');
    const deny = statementsOf(policyDocumentOf(policy['policy'])).find((s) => s.effect === 'Deny');
    assert.ok(deny, 'no Deny statement');
    assert.equal(deny.condition, [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }]);
    assert.equal(deny.actions, ['s3:*']);
    assert.equal(deny.principals, [{ type: '*', identifiers: ['*'] }]);
    assert.equal(deny.resources, [`\${aws_s3_bucket.${bucket}.arn}`, `\${aws_s3_bucket.${bucket}.arn}/*`]);
  });
}

test('landing is versioned and announces new objects to EventBridge', () => {
  assert.ok(hasResource('aws_s3_bucket_versioning', { bucket: '${aws_s3_bucket.landing.id}', versioning_configuration: { status: 'Enabled' } }));
  assert.ok(hasResource('aws_s3_bucket_notification', { bucket: '${aws_s3_bucket.landing.id}', eventbridge: true }));
});

test('the lake expires archive/ and quarantine/', () => {
  const lifecycle = resource('aws_s3_bucket_lifecycle_configuration', 'lake_lifecycle');
  assert.is(lifecycle['bucket'], '${aws_s3_bucket.lake.id}');
  const rules = lifecycle['rule'] as Array<{ status: string; filter: Array<{ prefix: string }>; expiration: Array<{ days: unknown }> }>;
  for (const prefix of ['archive/', 'quarantine/']) {
    const rule = rules.find((r) => r.filter[0]?.prefix === prefix);
    assert.ok(rule, `no rule for ${prefix}`);
    assert.is(rule.status, 'Enabled');
    assert.ok(rule.expiration[0]?.days !== undefined, `${prefix} never expires`);
  }
});

test.run();
