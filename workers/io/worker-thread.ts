// Starting a worker thread on a module that may be TypeScript source. Bundled (dist/*.js), the
// entry is the bundle itself, which serves the role named in workerData. From source (tests, tsx)
// the thread first registers the TypeScript loader the main thread runs under: Node 20 does not
// carry a main thread's module hooks into its workers (the bare specifier resolves from the
// working directory, the repository's root in tests).
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** `source` when running from TypeScript source, else the bundle this code was bundled into. */
export const threadEntryOf = (here: string, source: string): URL => (here.endsWith('.ts') ? new URL(source, here) : new URL(here));

export const startThread = (entry: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker => {
  const limits = resourceLimits ? { resourceLimits } : {};
  return entry.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, workerData, ...limits })
    : new Worker(entry, { workerData, ...limits });
};
