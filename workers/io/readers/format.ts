// The format of an input file is decided by its extension alone (DESIGN §3).
export type Format = 'csv' | 'json' | 'ndjson';
export interface FileFormat {
  readonly format: Format;
  readonly gzip: boolean;
}

const BY_EXTENSION: Readonly<Record<string, Format>> = { csv: 'csv', json: 'json', jsonl: 'ndjson', ndjson: 'ndjson' };

export const formatOf = (key: string): FileFormat | undefined => {
  const lower = key.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  const dot = base.lastIndexOf('.');
  const format = dot < 0 || base.lastIndexOf('/') > dot ? undefined : BY_EXTENSION[base.slice(dot + 1)];
  return format === undefined ? undefined : { format, gzip };
};

/** A name for reports: `csv`, `ndjson.gz`, … */
export const showFormat = (f: FileFormat): string => `${f.format}${f.gzip ? '.gz' : ''}`;
