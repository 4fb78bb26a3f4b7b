// The edge of every KPI command: run, map the outcome to an exit code, one line on stderr.
import { isMainThread } from 'node:worker_threads';
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();

/** Runs `main`; exit 0 on success, 1 with `<command>: <reason>` on stderr otherwise. */
export const runCli = (command: string, main: () => Promise<number>): void => {
  // A bundle is also the entry of its own worker threads (validate's check threads): no CLI there.
  if (!isMainThread) return;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (process.env.LOG_LEVEL?.toLowerCase() === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.stderr.write(`${command}: ${oneLine(error)}\n`);
      process.exitCode = 1;
    },
  );
};
