// Applies the committed Terraform (the thin root terraform/cdk.tf.json and the module it calls,
// terraform/modules/) to a moto endpoint: the same config a platform team applies to AWS, plus a
// provider override file that exists only in the local working directory. Used by `make apply|plan|destroy LOCAL=1`, the demo and the integration tests.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './repo-root.js';

export type TfValue = string | number | boolean | readonly string[] | { readonly [key: string]: TfValue };

export interface LocalStackOptions {
  /** moto endpoint, e.g. http://127.0.0.1:4566 */
  readonly endpoint: string;
  /** Working directory of this local stack: config copy, override, variables and state live here. */
  readonly dir: string;
  /** Terraform variables, on top of LOCAL_DEFAULT_VARS. */
  readonly vars?: Readonly<Record<string, TfValue>>;
  /** An extra -var-file (a team's tfvars), applied before `vars`. */
  readonly varFile?: string;
  /**
   * Where the root configuration lives; defaults to <repo>/terraform. Its *.tf/*.tf.json files and
   * its modules/ tree are copied into `dir`; when it is `dir` itself (a root whose module sources
   * point outside it, such as terraform/examples/existing-state in a copied tree) nothing is copied.
   */
  readonly configDir?: string;
  /** Alias of the provider configuration the root hands the module (`aws.<alias>`); default: none. */
  readonly providerAlias?: string;
  /** Auto-loaded variables under the caller's; defaults to LOCAL_DEFAULT_VARS (the committed root's). */
  readonly defaults?: Readonly<Record<string, TfValue>>;
  /** Where each line terraform prints goes; defaults to nowhere. */
  readonly log?: (line: string) => void;
}

export const REPO_ROOT = repoRoot();
export const COMMITTED_CONFIG_DIR = join(REPO_ROOT, 'terraform');
export const OFFLINE_CLI_CONFIG = join(REPO_ROOT, 'terraform.offline.tfrc');
export const PROVIDER_MIRROR = '/opt/tf-plugins';
export const LOCAL_REGION = 'us-east-1';

/** Values the committed config requires but moto does not care about (no network, no images). */
export const LOCAL_DEFAULT_VARS: Readonly<Record<string, TfValue>> = {
  environment: 'local',
  region: LOCAL_REGION,
  subnet_ids: ['subnet-0123456789abcdef0'],
  security_group_ids: ['sg-0123456789abcdef0'],
  validate_image: 'ecommerce-pipeline-worker:local',
  transform_image: 'ecommerce-pipeline-worker:local',
  lambda_zip_path: join(REPO_ROOT, 'dist', 'aggregator.zip'),
  // read only when generator_schedule is set (`make lambda-zip` builds it)
  generator_zip_path: join(REPO_ROOT, 'dist', 'generator-lambda.zip'),
  // a local stack is destroyed at the end of every run
  kpi_table_deletion_protection: false,
};

/** Every service the stack touches, pointed at moto. */
const ENDPOINT_SERVICES = [
  'athena', 'cloudwatch', 'dynamodb', 'ecs', 'events', 'glue', 'iam', 'lambda', 'logs', 's3', 'scheduler', 'sfn', 'sns', 'sqs', 'sts',
] as const;

export const providerOverride = (endpoint: string, region: string = LOCAL_REGION, alias?: string) => ({
  provider: {
    aws: [{
      // Override files merge provider blocks by name and alias.
      ...(alias ? { alias } : {}),
      region,
      access_key: 'test',
      secret_key: 'test',
      skip_credentials_validation: true,
      skip_metadata_api_check: true,
      skip_requesting_account_id: true,
      skip_region_validation: true,
      s3_use_path_style: true,
      max_retries: 2,
      endpoints: [Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, endpoint]))],
    }],
  },
  // Whatever backend the committed config names, local state stays in the working directory.
  terraform: [{ backend: [{ local: [{ path: 'terraform.tfstate' }] }] }],
});

/** Environment for terraform: offline CLI config where the mirror exists, no checkpoint calls. */
export const terraformEnv = (base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv => ({
  ...base,
  ...(existsSync(PROVIDER_MIRROR) ? { TF_CLI_CONFIG_FILE: OFFLINE_CLI_CONFIG } : {}),
  CHECKPOINT_DISABLE: '1',
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  // Never let terraform or the provider pick up real credentials from the environment.
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
});

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const terraform = (args: readonly string[], cwd: string, log?: (line: string) => void): Promise<RunResult> =>
  new Promise((ok, fail) => {
    const child = spawn('terraform', ['-chdir=' + cwd, ...args], { env: terraformEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const relay = (chunk: Buffer, into: 'out' | 'err') => {
      const text = chunk.toString();
      if (into === 'out') stdout += text;
      else stderr += text;
      if (log) text.split('\n').filter((l) => l.length > 0).forEach(log);
    };
    child.stdout.on('data', (c: Buffer) => relay(c, 'out'));
    child.stderr.on('data', (c: Buffer) => relay(c, 'err'));
    child.on('error', fail);
    child.on('close', (code) => ok({ code: code ?? 1, stdout, stderr }));
  });

const must = async (args: readonly string[], cwd: string, log?: (line: string) => void): Promise<RunResult> => {
  const result = await terraform(args, cwd, log);
  if (result.code !== 0) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
    throw new Error(`terraform ${args[0]} failed (exit ${result.code}) in ${cwd}:\n${tail}`);
  }
  return result;
};

const CALLER_VARS_FILE = 'caller.tfvars.json';

const varArgs = (options: LocalStackOptions): string[] => [
  ...(options.varFile ? [`-var-file=${resolve(options.varFile)}`] : []),
  `-var-file=${CALLER_VARS_FILE}`,
];

const isConfigFile = (name: string) => /\.tf(\.json)?$/.test(name) && !/_override\.tf(\.json)?$/.test(name);

/** The root's configuration files and the modules it calls by relative path, nothing else (no state, no overrides). */
export const copyConfig = (from: string, to: string): void => {
  for (const name of readdirSync(from).filter(isConfigFile)) cpSync(join(from, name), join(to, name));
  if (existsSync(join(from, 'modules'))) cpSync(join(from, 'modules'), join(to, 'modules'), { recursive: true, filter: (src) => !/\.terraform(\/|$)/.test(src) });
};

/** Copies the committed config, writes the local override and variables, runs terraform init. */
export const prepareLocal = async (options: LocalStackOptions): Promise<void> => {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const configDir = resolve(options.configDir ?? COMMITTED_CONFIG_DIR);
  if (configDir !== dir) copyConfig(configDir, dir);
  writeFileSync(join(dir, 'local_override.tf.json'), JSON.stringify(providerOverride(options.endpoint, LOCAL_REGION, options.providerAlias), null, 2) + '\n');
  // Precedence: local defaults (auto-loaded) < the team's var file < the caller's vars, because
  // terraform applies -var-file arguments after *.auto.tfvars and in command-line order.
  writeFileSync(join(dir, 'local-defaults.auto.tfvars.json'), JSON.stringify(options.defaults ?? LOCAL_DEFAULT_VARS, null, 2) + '\n');
  writeFileSync(join(dir, CALLER_VARS_FILE), JSON.stringify(options.vars ?? {}, null, 2) + '\n');
  await must(['init', '-input=false', '-no-color', '-reconfigure'], dir, options.log);
};

export type Outputs = Record<string, unknown>;

export const outputsLocal = async (dir: string): Promise<Outputs> => {
  const { stdout } = await must(['output', '-json', '-no-color'], resolve(dir));
  const raw = JSON.parse(stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value]));
};

/** terraform apply of the committed config against moto; returns `terraform output -json` values. */
export const applyLocal = async (options: LocalStackOptions): Promise<Outputs> => {
  await prepareLocal(options);
  await must(['apply', '-auto-approve', '-input=false', '-no-color', ...varArgs(options)], resolve(options.dir), options.log);
  return outputsLocal(options.dir);
};

/** terraform plan; `changes` is false when the plan is empty (-detailed-exitcode 0). */
export const planLocal = async (options: LocalStackOptions): Promise<{ changes: boolean; output: string }> => {
  await prepareLocal(options);
  const result = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', ...varArgs(options)], resolve(options.dir), options.log);
  if (result.code !== 0 && result.code !== 2) {
    throw new Error(`terraform plan failed (exit ${result.code}):\n${result.stderr.trim().split('\n').slice(-15).join('\n')}`);
  }
  return { changes: result.code === 2, output: result.stdout };
};

/** terraform destroy of what applyLocal created in `dir`. */
export const destroyLocal = async (options: LocalStackOptions): Promise<void> => {
  await prepareLocal(options);
  await must(['destroy', '-auto-approve', '-input=false', '-no-color', ...varArgs(options)], resolve(options.dir), options.log);
};
