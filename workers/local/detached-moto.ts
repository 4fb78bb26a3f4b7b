// moto that outlives this process (`make demo KEEP=1`): started detached in its own process group,
// so the demo can exit and leave it for exploring; stopped by its pid.
import { spawn } from 'node:child_process';
import { findLauncher, freePort, motoEnv, type MotoServer } from './moto-server.js';

export const startDetachedMoto = async (): Promise<MotoServer & { readonly pid: number }> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', [findLauncher(), '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  child.unref();
  const pid = child.pid ?? 0;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${endpoint}/moto-api/data.json`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    endpoint,
    port,
    pid,
    env: motoEnv(endpoint),
    stop: async () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
};
