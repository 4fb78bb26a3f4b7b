// Writes EMF documents (core/metrics.ts) as log lines. On stderr, beside the JSON logs: stdout is a
// command's own output (validate's summary line), and on Fargate the awslogs driver ships both
// streams, where CloudWatch extracts every line that is an EMF document.
import type { EmfDocument } from '../core/metrics.js';

/** The deployment's name for the `Pipeline` dimension (Terraform sets it); `local` elsewhere. */
export const metricsPipeline = (env: NodeJS.ProcessEnv = process.env): string => env.METRICS_PIPELINE?.trim() || 'local';

export const emitMetrics = (documents: ReadonlyArray<EmfDocument>, out: { write(line: string): unknown } = process.stderr): void => {
  for (const d of documents) out.write(`${JSON.stringify(d)}\n`);
};
