// The EMF specification's structure, checked member by member (CloudWatch drops a line that
// breaks it): https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
const UNITS = new Set(['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None']);

type Doc = Record<string, unknown>;

/** Empty when `doc` is a valid EMF document; otherwise what is wrong with it. */
export const emfProblems = (doc: unknown): string[] => {
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null) return ['not an object'];
  const root = doc as Doc;
  const aws = root['_aws'] as Doc | undefined;
  if (typeof aws !== 'object' || aws === null) return ['no _aws object'];
  if (!Number.isInteger(aws['Timestamp']) || (aws['Timestamp'] as number) < 0) problems.push('_aws.Timestamp is not epoch milliseconds');
  const directives = aws['CloudWatchMetrics'];
  if (!Array.isArray(directives) || directives.length === 0) return [...problems, '_aws.CloudWatchMetrics is not a non-empty array'];
  for (const d of directives as Doc[]) {
    if (typeof d['Namespace'] !== 'string' || d['Namespace'] === '') problems.push('Namespace missing');
    const sets = d['Dimensions'];
    if (!Array.isArray(sets)) problems.push('Dimensions is not an array');
    else for (const set of sets) {
      if (!Array.isArray(set) || set.length > 30) problems.push('a dimension set is not an array of at most 30 names');
      else for (const name of set) if (typeof root[name] !== 'string') problems.push(`dimension ${name} has no string value at top level`);
    }
    const metrics = d['Metrics'];
    if (!Array.isArray(metrics) || metrics.length === 0 || metrics.length > 100) problems.push('Metrics is not 1 to 100 definitions');
    else for (const m of metrics as Doc[]) {
      const name = m['Name'];
      if (typeof name !== 'string' || name === '') problems.push('a metric without Name');
      else if (typeof root[name] !== 'number' || !Number.isFinite(root[name])) problems.push(`metric ${name} has no numeric value at top level`);
      if (m['Unit'] !== undefined && !UNITS.has(m['Unit'] as string)) problems.push(`metric ${String(name)} has unit ${String(m['Unit'])}`);
    }
  }
  return problems;
};

/** The lines of a log text that are EMF documents (JSON objects with `_aws`), parsed. */
export const emfLines = (text: string): Doc[] =>
  text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const doc = JSON.parse(line) as Doc;
      return typeof doc === 'object' && doc !== null && '_aws' in doc ? [doc] : [];
    } catch {
      return [];
    }
  });

/** Names of the metrics a document declares. */
export const metricNames = (doc: Doc): string[] =>
  ((doc['_aws'] as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics).flatMap((d) => d.Metrics.map((m) => m.Name));

/** The document's dimension names (first directive, first set). */
export const dimensionsOf = (doc: Doc): Record<string, unknown> => {
  const [names = []] = (doc['_aws'] as { CloudWatchMetrics: Array<{ Dimensions: string[][] }> }).CloudWatchMetrics[0]!.Dimensions;
  return Object.fromEntries(names.map((n) => [n, doc[n]]));
};
