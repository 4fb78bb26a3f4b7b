// The two buckets of DESIGN §6: `landing` (what the shop drops) and `lake` (cleaned zone,
// quarantine, archive, reports). Both: public access blocked, SSE, TLS-only; landing is versioned
// and tells EventBridge about new objects; the lake expires archive/ and quarantine/.
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { Namer } from './naming.js';
import type { Inputs } from './variables.js';
import { keyOrNull, s3Algorithm } from './encryption.js';

const secureBucket = (scope: Construct, id: string, name: string): S3Bucket => {
  const bucket = new S3Bucket(scope, id, { bucket: name, forceDestroy: false });
  new S3BucketPublicAccessBlock(scope, `${id}_public_access_block`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, `${id}_ownership`, {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  // SSE-S3 by default (no key policy to keep in step with every role); SSE-KMS under the team's
  // key with kms_key_arn, bucket keys cutting the KMS calls to about one per object batch.
  new S3BucketServerSideEncryptionConfigurationA(scope, `${id}_encryption`, {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: s3Algorithm(), kmsMasterKeyId: keyOrNull() }, bucketKeyEnabled: true }],
  });
  const tlsOnly = new DataAwsIamPolicyDocument(scope, `${id}_tls_only`, {
    statement: [{
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      // A Deny on every S3 action for every principal is the documented TLS-only pattern; it
      // grants nothing.
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      resources: [bucket.arn, `${bucket.arn}/*`],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    }],
  });
  new S3BucketPolicy(scope, `${id}_policy`, { bucket: bucket.id, policy: tlsOnly.json });
  return bucket;
};

export interface Storage {
  readonly landing: S3Bucket;
  readonly lake: S3Bucket;
}

export const storage = (scope: Construct, name: Namer, inputs: Inputs): Storage => {
  const landing = secureBucket(scope, 'landing', name('landing'));
  const lake = secureBucket(scope, 'lake', name('lake'));

  // Versioning on landing: a re-upload under the same key keeps the version a batch was built
  // from (the manifest records ETags), and an accidental delete is recoverable.
  new S3BucketVersioningA(scope, 'landing_versioning', {
    bucket: landing.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  new S3BucketLifecycleConfiguration(scope, 'landing_lifecycle', {
    bucket: landing.id,
    rule: [{
      id: 'expire-noncurrent-versions',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
    }],
  });
  new S3BucketNotification(scope, 'landing_notifications', { bucket: landing.id, eventbridge: true });

  new S3BucketLifecycleConfiguration(scope, 'lake_lifecycle', {
    bucket: lake.id,
    rule: [
      {
        id: 'archive-to-glacier-then-expire',
        status: 'Enabled',
        filter: [{ prefix: 'archive/' }],
        transition: [{ days: 30, storageClass: 'GLACIER' }],
        expiration: [{ days: inputs.archiveExpirationDays.numberValue }],
      },
      {
        id: 'expire-quarantine',
        status: 'Enabled',
        filter: [{ prefix: 'quarantine/' }],
        expiration: [{ days: inputs.quarantineExpirationDays.numberValue }],
      },
    ],
  });
  return { landing, lake };
};
