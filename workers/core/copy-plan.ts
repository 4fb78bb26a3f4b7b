// How S3 copies an object server-side, pure: one CopyObject up to 5 GiB (the largest object a
// single copy accepts), above it a multipart upload of UploadPartCopy byte ranges within S3's
// part rules (5 MiB to 5 GiB each except the last, at most 10,000 parts).

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export interface CopyLimits {
  /** Largest object copied in one CopyObject. */
  readonly singleCopyMax: number;
  /** Preferred part size of a multipart copy. */
  readonly partSize: number;
  readonly maxParts: number;
}

export const S3_COPY_LIMITS: CopyLimits = { singleCopyMax: 5 * GIB, partSize: 512 * MIB, maxParts: 10_000 };
export const S3_PART_MIN = 5 * MIB;
export const S3_PART_MAX = 5 * GIB;

/** Inclusive byte ranges, as UploadPartCopy's `CopySourceRange: bytes=first-last` wants them. */
export interface ByteRange {
  readonly first: number;
  readonly last: number;
}

export type CopyPlan = { readonly _tag: 'Single' } | { readonly _tag: 'Multipart'; readonly ranges: ReadonlyArray<ByteRange> };

export const copyPlan = (size: number, limits: CopyLimits = S3_COPY_LIMITS): CopyPlan => {
  if (size <= limits.singleCopyMax) return { _tag: 'Single' };
  // Grow the part until the parts fit the count limit (5 TiB / 10,000 is 525 MiB).
  const part = Math.max(limits.partSize, Math.ceil(size / limits.maxParts));
  const ranges: ByteRange[] = [];
  for (let first = 0; first < size; first += part) ranges.push({ first, last: Math.min(size, first + part) - 1 });
  return { _tag: 'Multipart', ranges };
};
