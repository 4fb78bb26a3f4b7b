// moto in the background for make (`make apply LOCAL=1` returns while moto keeps running until
// `make destroy LOCAL=1`): started through the project's launcher, its pid and port recorded in a
// state file so a later make invocation finds it again.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findLauncher, freePort } from './moto-server.js';

export interface MotoDaemon {
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Any HTTP answer means moto is up. Not /moto-api/data.json: once a Lambda function exists, moto
 * answers it with a 500 (its dump asks Docker about the function, and there is no Docker here).
 */
const answers = async (endpoint: string): Promise<boolean> => {
  try {
    await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const readDaemon = (stateFile: string): MotoDaemon | undefined => {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as MotoDaemon;
  } catch {
    return undefined;
  }
};

/** The recorded moto if it still answers, else a new one on `port` (or a free port). */
export const ensureDaemon = async (stateFile: string, port?: number): Promise<MotoDaemon> => {
  const known = readDaemon(stateFile);
  if (known && alive(known.pid) && (await answers(known.endpoint))) return known;
  const chosen = port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${chosen}`;
  mkdirSync(dirname(stateFile), { recursive: true });
  const log = openSync(join(dirname(stateFile), 'moto.log'), 'a');
  const child = spawn('python3', [findLauncher(), '-H', '127.0.0.1', '-p', String(chosen)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the moto launcher');
  const deadline = Date.now() + 30_000;
  while (!(await answers(endpoint))) {
    if (!alive(pid) || Date.now() > deadline) {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      throw new Error(`moto did not come up on ${endpoint} (see ${join(dirname(stateFile), 'moto.log')})`);
    }
    await sleep(100);
  }
  const daemon = { pid, port: chosen, endpoint };
  writeFileSync(stateFile, JSON.stringify(daemon, null, 2) + '\n');
  return daemon;
};

/** Stops the recorded moto (by its pid only) and forgets it. */
export const stopDaemon = async (stateFile: string): Promise<boolean> => {
  const known = readDaemon(stateFile);
  rmSync(stateFile, { force: true });
  if (!known || !alive(known.pid)) return false;
  process.kill(known.pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(known.pid); i++) await sleep(100);
  if (alive(known.pid)) process.kill(known.pid, 'SIGKILL');
  return true;
};
