// A deployed stack on loopback: moto through the project's launcher, the committed Terraform
// applied to it (infra's applyLocal), the outputs decoded. What the demo and the e2e suite share.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { deterministicZip } from './lambda-zip.js';
import { startMoto, type MotoServer } from './moto-server.js';
import type { StackOutputs } from './runtime.js';
import { stackOutputsOf } from './stack-outputs.js';
import { applyLocal, type TfValue } from './terraform.js';

export interface LocalStack {
  readonly moto: MotoServer;
  readonly stack: StackOutputs;
  /** Raw `terraform output -json` values, for anything beyond StackOutputs. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly dir: string;
  /** Stops moto and removes the Terraform working directory. */
  readonly stop: () => Promise<void>;
}

/** The Lambda zip Terraform points at, built from dist/aggregator.js when absent or older. */
export const ensureLambdaZip = async (root: string): Promise<string> => {
  const bundle = join(root, 'dist', 'aggregator.js');
  const zip = join(root, 'dist', 'aggregator.zip');
  if (!existsSync(bundle)) throw new Error(`${bundle} missing: run make build`);
  writeFileSync(zip, await deterministicZip([{ name: 'aggregator.js', data: readFileSync(bundle) }]));
  return zip;
};

export const deployLocalStack = async (options: {
  readonly root: string;
  readonly vars?: Readonly<Record<string, TfValue>>;
  readonly log?: (line: string) => void;
  readonly moto?: MotoServer;
}): Promise<LocalStack> => {
  const moto = options.moto ?? (await startMoto());
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-tf-'));
  try {
    const zip = await ensureLambdaZip(options.root);
    const outputs = await applyLocal({
      endpoint: moto.endpoint,
      dir,
      vars: { lambda_zip_path: zip, ...options.vars },
      ...(options.log ? { log: options.log } : {}),
    });
    const wrapped = Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }]));
    const stack = stackOutputsOf(wrapped);
    if (E.isLeft(stack)) throw new Error(stack.left);
    return {
      moto,
      stack: stack.right,
      outputs,
      dir,
      stop: async () => {
        await moto.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
};
