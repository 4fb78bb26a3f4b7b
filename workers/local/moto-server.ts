// Starts and stops the project's moto launcher on a free loopback port: the one AWS emulator used
// by integration tests, `make demo` and `make apply LOCAL=1`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Environment for AWS SDK clients and child processes talking to this server. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });

/** The launcher ships with the sources; found by walking up from the working directory. */
export const findLauncher = (from?: string): string => join(repoRoot(from), 'workers', 'local', 'moto', 'launcher.py');

export const motoEnv = (endpoint: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

const waitReady = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`moto did not answer on ${endpoint} within ${timeoutMs} ms`);
};

export const startMoto = async (options: { port?: number; quiet?: boolean } = {}): Promise<MotoServer> => {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', [findLauncher(), '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', options.quiet === false ? 'inherit' : 'ignore', options.quiet === false ? 'inherit' : 'ignore'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // If this process dies first, do not leave moto behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitReady(endpoint, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    port,
    env: motoEnv(endpoint),
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
