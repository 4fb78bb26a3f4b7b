// The CDKTF app: one stack (infra/stack.ts). Run by cdktf-cli (CDKTF_OUTDIR set) it synthesizes
// the usual cdktf.out/; run as `node --import tsx main.ts` (what `make synth` does) it refreshes
// the committed terraform/cdk.tf.json.
import { App } from 'cdktf';
import { PipelineStack, STACK_NAME } from './infra/stack.js';
import { synthInto } from './infra/synth.js';

if (process.env['CDKTF_OUTDIR']) {
  const app = new App();
  new PipelineStack(app, STACK_NAME);
  app.synth();
} else {
  console.log(`synthesized ${synthInto(process.argv[2] ?? 'terraform').join(', ')}`);
}
