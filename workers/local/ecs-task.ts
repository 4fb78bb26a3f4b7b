// `ecs:runTask.sync` played locally: the container of the task definition (read back from moto's
// ECS, as Terraform registered it) runs as a child process of the worker bundle, with the task
// definition's environment and command plus the state's container overrides. The result has the
// shape of ECS DescribeTasks, which is what `.sync` returns to the state machine.
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand, type ContainerDefinition, type ECSClient } from '@aws-sdk/client-ecs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { basename, isAbsolute, join } from 'node:path';
import { ECS_OVERRIDES_MAX_CHARS, overridesLength } from '../core/ecs-limits.js';

export interface KeyValue {
  readonly Name: string;
  readonly Value: string;
}

export interface ContainerOverride {
  readonly Name?: string;
  readonly Command?: ReadonlyArray<string>;
  readonly Environment?: ReadonlyArray<KeyValue>;
}

export interface RunTaskParams {
  readonly Cluster?: string;
  readonly TaskDefinition: string;
  readonly Overrides?: { readonly ContainerOverrides?: ReadonlyArray<ContainerOverride> };
}

export interface EcsTaskOptions {
  readonly ecs: ECSClient;
  /** Where the bundles are: the image's `/…/dist/x.js` becomes `<distDir>/x.js`. */
  readonly distDir: string;
  /** Environment every child gets below the task's own (PATH, the moto endpoint, …). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Called with each child once it runs; the tests use it to kill a worker mid-run. */
  readonly onStart?: (task: RunningTask) => void;
  /** Where a child's output goes; default: this process's stderr, prefixed. */
  readonly output?: (line: string) => void;
}

export interface RunningTask {
  readonly taskArn: string;
  readonly container: string;
  readonly child: ChildProcess;
}

/** A failed task, named so that the ASL's Retry/Catch can match it (States.TaskFailed). */
export const taskFailed = (message: string): Error => Object.assign(new Error(message), { name: 'States.TaskFailed' });

/** An error of the ECS integration, named as Step Functions names it (`ECS.<Exception>`). */
export const ecsError = (exception: string, message: string): Error => Object.assign(new Error(message), { name: `ECS.${exception}` });

/** What RunTask refuses before starting anything, and moto does not: overrides over 8,192 characters. */
export const checkRunTask = (params: RunTaskParams): void => {
  const length = overridesLength(params.Overrides);
  if (length > ECS_OVERRIDES_MAX_CHARS) {
    throw ecsError('InvalidParameterException', `Container Overrides length must be at most ${ECS_OVERRIDES_MAX_CHARS} (got ${length})`);
  }
};

/** `family` or `family:revision`, from a bare reference or an ARN. */
export const taskDefinitionRef = (ref: string): { readonly family: string; readonly revision?: number } => {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const [family, revision] = last.split(':') as [string, string | undefined];
  return revision === undefined ? { family } : { family, revision: Number(revision) };
};

/**
 * The task definition RunTask would run, refusing what ECS refuses and moto allows: a revision
 * that is INACTIVE (deregistered, e.g. replaced by an apply) is a ClientException; a family runs
 * its latest ACTIVE revision (moto would pick the latest revision whatever its status).
 */
export const activeTaskDefinition = async (ecs: ECSClient, ref: string): Promise<{ arn: string; containers: ReadonlyArray<ContainerDefinition> }> => {
  const { family, revision } = taskDefinitionRef(ref);
  let target = ref;
  if (revision === undefined) {
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC' }));
    const latest = (listed.taskDefinitionArns ?? []).find((arn) => taskDefinitionRef(arn).family === family);
    if (!latest) throw ecsError('ClientException', `TaskDefinition not found: no ACTIVE revision of ${family}`);
    target = latest;
  }
  const described = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: target }))).taskDefinition;
  if (!described) throw ecsError('ClientException', `TaskDefinition not found: ${target}`);
  if (described.status === 'INACTIVE') throw ecsError('ClientException', `TaskDefinition is inactive: ${target}`);
  return { arn: described.taskDefinitionArn ?? target, containers: described.containerDefinitions ?? [] };
};

/** The argv the container would run, made runnable here: `node` is this Node, bundles are local. */
export const localArgv = (
  container: Pick<ContainerDefinition, 'entryPoint' | 'command'>,
  override: ReadonlyArray<string> | undefined,
  distDir: string,
  nodePath: string = process.execPath,
): ReadonlyArray<string> => {
  const argv = [...(container.entryPoint ?? []), ...(override ?? container.command ?? [])];
  if (argv.length === 0) throw taskFailed('task definition has no command');
  const local = argv.map((arg) =>
    arg.endsWith('.js') && (isAbsolute(arg) || arg.startsWith('dist/') || arg.startsWith('./dist/')) ? join(distDir, basename(arg)) : arg,
  );
  const head = local[0]!;
  if (head === 'node' || head.endsWith('/node')) return [nodePath, ...local.slice(1)];
  // An image whose ENTRYPOINT is node gives only the script in the task definition.
  if (head.endsWith('.js')) return [nodePath, ...local];
  return local;
};

export const mergeEnvironment = (
  base: Readonly<Record<string, string>>,
  definition: ReadonlyArray<{ name?: string; value?: string }>,
  overrides: ReadonlyArray<KeyValue>,
): Record<string, string> => {
  const env: Record<string, string> = { ...base };
  for (const { name, value } of definition) if (name) env[name] = value ?? '';
  for (const { Name, Value } of overrides) env[Name] = Value;
  return env;
};

export const ecsTaskRunner = (options: EcsTaskOptions) => {
  const live = new Set<ChildProcess>();
  const print = options.output ?? ((line: string) => process.stderr.write(`${line}\n`));

  /** Runs the task; resolves with the DescribeTasks-shaped result, rejects as a failed task. */
  const run = async (params: RunTaskParams, timeoutMs: number): Promise<Record<string, unknown>> => {
    checkRunTask(params);
    // Looked up on every run: a revision may have been deregistered since the last one.
    const { arn: definitionArn, containers } = await activeTaskDefinition(options.ecs, params.TaskDefinition);
    const override = params.Overrides?.ContainerOverrides?.[0];
    const container = containers.find((c) => c.name === override?.Name) ?? containers[0];
    if (!container) throw taskFailed(`task definition ${params.TaskDefinition} has no container`);
    const argv = localArgv(container, override?.Command, options.distDir);
    const env = mergeEnvironment(options.baseEnv, container.environment ?? [], override?.Environment ?? []);
    const taskArn = `arn:aws:ecs:local:000000000000:task/${basename(params.Cluster ?? 'local')}/${randomUUID().replace(/-/g, '')}`;
    const name = container.name ?? 'container';
    const startedAt = new Date().toISOString();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const tail: string[] = [];
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        print(`[${name}] ${line}`);
      }
    };
    child.stdout!.on('data', relay);
    child.stderr!.on('data', relay);
    options.onStart?.({ taskArn, container: name, child });
    // The interpreter gives up on a Task after TimeoutSeconds but cannot stop our handler: the
    // child is killed here, on the same clock, so a timed-out worker never runs on unseen.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
      child.once('close', (c, s) => ok({ code: c, signal: s })),
    );
    clearTimeout(timer);
    live.delete(child);
    if (signal !== null) throw taskFailed(`${name} (${taskArn}) was killed by ${signal}`);
    if (code !== 0) throw taskFailed(`${name} (${taskArn}) exited with ${code}: ${tail.slice(-3).join(' | ')}`);
    return {
      TaskArn: taskArn,
      ClusterArn: params.Cluster ?? '',
      TaskDefinitionArn: definitionArn,
      LastStatus: 'STOPPED',
      DesiredStatus: 'STOPPED',
      StopCode: 'EssentialContainerExited',
      StartedAt: startedAt,
      StoppedAt: new Date().toISOString(),
      Containers: [{ Name: name, ExitCode: code, LastStatus: 'STOPPED' }],
    };
  };

  const killAll = () => live.forEach((child) => child.kill('SIGKILL'));
  return { run, killAll, running: () => live.size };
};

export type EcsTaskRunner = ReturnType<typeof ecsTaskRunner>;
