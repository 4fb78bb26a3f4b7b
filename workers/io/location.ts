// A location is where a worker reads or writes: a local directory or `s3://bucket/prefix`.
export type Location =
  | { readonly kind: 'local'; readonly root: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

export const parseLocation = (text: string): Location => {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  if (s3) {
    const prefix = s3[2]!.replace(/\/+$/, '');
    return { kind: 's3', bucket: s3[1]!, prefix: prefix === '' ? '' : `${prefix}/` };
  }
  if (text.trim() === '') throw new Error('empty location');
  return { kind: 'local', root: text };
};

export const showLocation = (location: Location): string =>
  location.kind === 'local' ? location.root : `s3://${location.bucket}/${location.prefix}`;
