// Test hook for crash consistency: the worker kills itself with SIGKILL at a named point, so a
// test reaches "mid-read", "mid-publish before the batch record", "mid DynamoDB writes" and
// "mid-archive" deterministically instead of racing a timer. Off unless the environment names the
// point; in production the variables are never set and each call is one Set lookup.
//
//   PIPELINE_CRASH_AT=validate:mid-read[,transform:mid-archive…]  points to die at
//   PIPELINE_CRASH_ONCE_DIR=/tmp/dir   optional: die at most once per point (a marker file there
//                                      records it), so the re-run of the same task passes it
//
// Points: validate:mid-read, validate:before-record, transform:mid-kpi-writes, transform:mid-archive.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CrashPoint = 'validate:mid-read' | 'validate:before-record' | 'transform:mid-kpi-writes' | 'transform:mid-archive';

const armed: ReadonlySet<string> = new Set(
  (process.env.PIPELINE_CRASH_AT ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''),
);

export const crashPoint = (point: CrashPoint): void => {
  if (!armed.has(point)) return;
  const onceDir = process.env.PIPELINE_CRASH_ONCE_DIR;
  if (onceDir) {
    try {
      // 'wx': exactly one process wins the marker, every later one passes the point
      writeFileSync(join(onceDir, point.replace(':', '_')), `${process.pid}\n`, { flag: 'wx' });
    } catch {
      return;
    }
  }
  process.stderr.write(`crash point ${point}: SIGKILL (PIPELINE_CRASH_AT)\n`);
  process.kill(process.pid, 'SIGKILL');
};
