// Server-side copy of one S3 object of any size (copy-plan.ts decides single or multipart). A
// multipart copy that fails part-way is aborted, so no invisible parts are left to pay for.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { copyPlan, S3_COPY_LIMITS, type CopyLimits } from '../core/copy-plan.js';

export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

/** S3 keys in CopySource must be URI-encoded segment by segment. */
const copySource = (from: ObjectRef): string => `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`;

export const copyObject = async (client: S3Client, from: ObjectRef, to: ObjectRef, limits: CopyLimits = S3_COPY_LIMITS): Promise<void> => {
  const head = await client.send(new HeadObjectCommand({ Bucket: from.bucket, Key: from.key }));
  const plan = copyPlan(head.ContentLength ?? 0, limits);
  if (plan._tag === 'Single') {
    await client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from) }));
    return;
  }
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, ...(head.ContentType ? { ContentType: head.ContentType } : {}) }),
  );
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (const [i, range] of plan.ranges.entries()) {
      const res = await client.send(
        new UploadPartCopyCommand({
          Bucket: to.bucket,
          Key: to.key,
          UploadId,
          PartNumber: i + 1,
          CopySource: copySource(from),
          CopySourceRange: `bytes=${range.first}-${range.last}`,
          // the same version throughout, even if the key is overwritten mid-copy
          ...(head.ETag ? { CopySourceIfMatch: head.ETag } : {}),
        }),
      );
      parts.push({ ETag: res.CopyPartResult!.ETag!, PartNumber: i + 1 });
    }
    await client.send(
      new CompleteMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId, MultipartUpload: { Parts: parts } }),
    );
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId })).catch(() => undefined);
    throw error;
  }
};
