// Synthesis into the committed terraform/ directory. cdktf synthesizes one stack (provider, backend
// and every resource); platform teams want a child module they can call with their own provider,
// `count` and `for_each`, so the stack's JSON is split here, mechanically:
//   terraform/modules/ecommerce-pipeline/main.tf.json  the stack without provider and backend
//   terraform/cdk.tf.json                              a thin root: backend, provider, one module
//                                                      call, its outputs, and `moved` blocks from
//                                                      the addresses of the old one-file root
import { App } from 'cdktf';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineStack, STACK_NAME } from './stack.js';

export const CONFIG_FILE = 'cdk.tf.json';
export const MODULE_DIR = join('modules', 'ecommerce-pipeline');
export const MODULE_FILE = join(MODULE_DIR, 'main.tf.json');
/** The root's name for the module call: resources live at module.pipeline.<type>.<name>. */
export const MODULE_NAME = 'pipeline';
/**
 * The provider versions the module accepts. 5.100 is what the stack is built and tested against;
 * 6.0 renames attributes the module reads (e.g. aws_region.name), so it stays below it.
 */
export const MODULE_PROVIDER_RANGE = '>= 5.100.0, < 6.0.0';
/** Variables only the root's provider block reads: a module gets its region from the caller's provider. */
export const ROOT_ONLY_VARIABLES = ['region'] as const;

type Block = Record<string, unknown>;
export interface TerraformJson {
  readonly terraform: Block;
  readonly variable: Record<string, Block>;
  readonly output: Record<string, Block>;
  readonly resource: Record<string, Record<string, Block>>;
  readonly data?: Record<string, Record<string, Block>>;
  readonly provider?: Record<string, Block[]>;
  readonly [key: string]: unknown;
}

/** The whole stack as cdktf synthesizes it (provider, backend, resources). */
export const synthStack = (): TerraformJson => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-'));
  try {
    const app = new App({ outdir, skipValidation: false });
    new PipelineStack(app, STACK_NAME);
    app.synth();
    return JSON.parse(readFileSync(join(outdir, 'stacks', STACK_NAME, CONFIG_FILE), 'utf8')) as TerraformJson;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

const without = <T extends Block>(block: T, keys: readonly string[]): T =>
  Object.fromEntries(Object.entries(block).filter(([k]) => !keys.includes(k))) as T;

/** The stack as a child module: no provider, no backend, a provider version range instead of a pin. */
export const moduleOf = (stack: TerraformJson): TerraformJson => {
  const module: TerraformJson = {
    ...without(stack, ['//', 'provider']),
    terraform: {
      ...without(stack.terraform, ['backend', 'required_providers']),
      required_providers: { aws: { source: 'hashicorp/aws', version: MODULE_PROVIDER_RANGE } },
    },
    variable: without(stack.variable, ROOT_ONLY_VARIABLES),
  };
  const leaked = ROOT_ONLY_VARIABLES.filter((name) => JSON.stringify(module).includes(`var.${name}`));
  if (leaked.length > 0) throw new Error(`the module still reads root-only variables: ${leaked.join(', ')}`);
  return module;
};

const moduleSource = `./${MODULE_DIR.split('\\').join('/')}`;

/** The thin root: the stack's backend, provider and variables, one call of the module, its outputs re-exported. */
export const rootOf = (stack: TerraformJson, module: TerraformJson): Block => {
  const passed = Object.keys(module.variable);
  const moved = Object.entries(module.resource).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => ({ from: `${type}.${name}`, to: `module.${MODULE_NAME}.${type}.${name}` })),
  );
  return {
    terraform: {
      ...stack.terraform,
      required_providers: { aws: { source: 'hashicorp/aws', version: (stack.terraform['required_providers'] as { aws: { version: string } }).aws.version } },
    },
    provider: stack.provider!,
    variable: stack.variable,
    module: {
      [MODULE_NAME]: {
        source: moduleSource,
        ...Object.fromEntries(passed.map((name) => [name, `\${var.${name}}`])),
      },
    },
    output: Object.fromEntries(
      Object.entries(module.output).map(([name, o]) => [name, { value: `\${module.${MODULE_NAME}.${name}}`, description: o['description'] }]),
    ),
    // Resources of a root applied before the module existed keep their state (README: upgrade note).
    moved,
  };
};

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** Text of every committed file, by path relative to terraform/. */
export const synthesizedFiles = (): Record<string, string> => {
  const stack = synthStack();
  const module = moduleOf(stack);
  return { [CONFIG_FILE]: json(rootOf(stack, module)), [MODULE_FILE]: json(module) };
};

/** Writes the thin root and the module under `target`; returns the paths written. */
export const synthInto = (target: string): string[] =>
  Object.entries(synthesizedFiles()).map(([file, text]) => {
    const destination = join(target, file);
    mkdirSync(join(destination, '..'), { recursive: true });
    writeFileSync(destination, text);
    return destination;
  });
