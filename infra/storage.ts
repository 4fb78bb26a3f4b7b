// The two buckets of DESIGN §6: `landing` (what the shop drops) and `lake` (cleaned zone,
// quarantine, archive, reports). Both: public access blocked, SSE, TLS-only; landing is versioned
// and tells EventBridge about new objects; the lake expires archive/ and quarantine/.
import { Construct } from 'constructs';
import { Fn, Op, TerraformLocal } from 'cdktf';
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
import { ARCHIVE_TRANSITION_DAYS, BUCKET_SUFFIX_FROM_ACCOUNT, BUCKET_SUFFIX_MAX, type Inputs } from './variables.js';
import type { AwsContext } from './context.js';
import { keyOrNull, s3Algorithm } from './encryption.js';

/**
 * `-<suffix>` of both bucket names (bucket names are global: the bare `<prefix>-<env>-landing` may
 * belong to someone else). Default: 8 hex digits of the account id's SHA-1, stable and unique per
 * account; `bucket_suffix = ""` drops it, any other value replaces it.
 */
const bucketSuffix = (scope: Construct, inputs: Inputs, aws: AwsContext): string => {
  const given = inputs.bucketSuffix.stringValue;
  const derived = `-${Fn.substr(Fn.sha1(aws.accountId), 0, BUCKET_SUFFIX_MAX)}`;
  // (tests written around cdktf rendering the falsy literals "" and 0 as undefined)
  const own = Fn.conditional(Op.lt(Fn.lengthOf(given), 1), Fn.join('', []), `-${given}`);
  return new TerraformLocal(scope, 'bucket_suffix', Fn.conditional(Op.eq(given, BUCKET_SUFFIX_FROM_ACCOUNT), derived, own)).asString;
};

const secureBucket = (scope: Construct, id: string, name: string): S3Bucket => {
  const bucket = new S3Bucket(scope, id, { bucket: name, forceDestroy: false });
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, `${id}_public_access_block`, {
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
  // After the public-access block: S3 answers OperationAborted to two changes of one bucket's
  // policy state at once, which Terraform's parallel apply would otherwise attempt.
  new S3BucketPolicy(scope, `${id}_policy`, { bucket: bucket.id, policy: tlsOnly.json, dependsOn: [publicAccessBlock] });
  return bucket;
};

export interface Storage {
  readonly landing: S3Bucket;
  readonly lake: S3Bucket;
}

export const storage = (scope: Construct, name: Namer, inputs: Inputs, aws: AwsContext): Storage => {
  const suffix = bucketSuffix(scope, inputs, aws);
  const landing = secureBucket(scope, 'landing', `${name('landing')}${suffix}`);
  const lake = secureBucket(scope, 'lake', `${name('lake')}${suffix}`);

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
      // Once the noncurrent versions behind a delete marker expire, the marker alone remains and
      // slows every listing: expired markers are removed too.
      expiration: [{ expiredObjectDeleteMarker: true }],
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
        transition: [{ days: ARCHIVE_TRANSITION_DAYS, storageClass: 'GLACIER' }],
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
