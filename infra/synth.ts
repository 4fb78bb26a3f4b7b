// Synthesis into the committed terraform/ directory: cdktf writes stacks/<name>/cdk.tf.json under
// an output directory; platform teams want the config itself, so it is synthesized to a temporary
// directory and only cdk.tf.json is copied over.
import { App } from 'cdktf';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineStack, STACK_NAME } from './stack.js';

export const CONFIG_FILE = 'cdk.tf.json';

/** Synthesizes the stack and copies its configuration to `target/cdk.tf.json`. */
export const synthInto = (target: string): string => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-'));
  try {
    const app = new App({ outdir, skipValidation: false });
    new PipelineStack(app, STACK_NAME);
    app.synth();
    mkdirSync(target, { recursive: true });
    const destination = join(target, CONFIG_FILE);
    copyFileSync(join(outdir, 'stacks', STACK_NAME, CONFIG_FILE), destination);
    return destination;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};
