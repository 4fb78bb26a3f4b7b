// Test harness: one moto_server per test file, on a free loopback port, stopped afterwards.
import { startMoto, type MotoServer } from '../../workers/local/moto-server.js';

/** Starts moto and points this process's AWS SDK at it; returns the server to stop in `after`. */
export const useMoto = async (): Promise<MotoServer> => {
  const server = await startMoto();
  Object.assign(process.env, server.env);
  return server;
};
