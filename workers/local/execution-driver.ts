// Plays Step Functions' execution engine: moto accepts StartExecution (so the aggregator and the
// reprocess command make the very calls they make in AWS, names and idempotency included) but
// does not run anything. The driver watches moto for RUNNING executions of the state machine and
// runs each one with aws-local-stepfunctions over the deployed definition (DescribeStateMachine:
// what Terraform created, placeholders resolved), concurrently, as AWS would. When one ends it is
// stopped in moto (moto's only way out of RUNNING, shown as ABORTED there); the real outcome is
// kept here and reported through `outcomes()` and `onOutcome`.
import './promise-with-resolvers.js';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionStatus,
  ListExecutionsCommand,
  StopExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { bindTasks, type Definition, type TaskClients } from './task-bindings.js';

export type FinalStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

export interface ExecutionOutcome {
  readonly executionArn: string;
  readonly name: string;
  readonly input: unknown;
  readonly status: FinalStatus;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly startedAt: string;
  readonly stoppedAt: string;
  /** Names of the states entered, in order: the execution's path. */
  readonly path: ReadonlyArray<string>;
}

export interface DriverOptions {
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  readonly clients: TaskClients;
  /** Wait state -> ms (e.g. the lock's WaitForLock), to run lease arithmetic faster than real time. */
  readonly waitTimeOverrides?: Readonly<Record<string, number>>;
  /** State -> ms between retries. */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  readonly pollMs?: number;
  readonly onState?: (execution: string, state: string) => void;
  readonly onOutcome?: (outcome: ExecutionOutcome) => void;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** The error name and cause of a failed run, unwrapped from the interpreter's ExecutionError. */
const failureOf = (error: unknown): { error: string; cause: string } => {
  const inner = (error as { cause?: unknown }).cause as { name?: string; message?: string } | undefined;
  return inner
    ? { error: inner.name ?? 'Error', cause: inner.message ?? '' }
    : { error: (error as Error).name ?? 'Error', cause: (error as Error).message ?? String(error) };
};

export const executionDriver = (options: DriverOptions) => {
  const { sfn, stateMachineArn } = options;
  const seen = new Set<string>();
  const aborts = new Map<string, () => void>();
  const runs = new Map<string, Promise<void>>();
  const finished: ExecutionOutcome[] = [];
  let machine: Promise<{ sm: StateMachine; handlers: ReturnType<typeof bindTasks>; name: string }> | undefined;
  let polling = false;
  let loop: Promise<void> | undefined;

  const load = () => {
    machine ??= sfn.send(new DescribeStateMachineCommand({ stateMachineArn })).then((res) => {
      const definition = JSON.parse(res.definition ?? '{}') as Definition;
      return {
        sm: new StateMachine(definition as never, { validationOptions: { checkArn: false } }),
        handlers: bindTasks(definition, options.clients),
        name: res.name ?? '',
      };
    });
    return machine;
  };

  const runOne = async (executionArn: string): Promise<void> => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const { sm, handlers, name: smName } = await load();
    const input = JSON.parse(described.input ?? '{}') as unknown;
    const startedAt = (described.startDate ?? new Date()).toISOString();
    const path: string[] = [];
    const execution = sm.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: { ...options.waitTimeOverrides },
        retryIntervalOverrides: { ...options.retryIntervalOverrides },
      },
      context: {
        Execution: { Id: executionArn, Name: described.name ?? '', Input: input, StartTime: startedAt, RoleArn: '' },
        StateMachine: { Id: stateMachineArn, Name: smName },
        // Each read is the time the state is entered: the lock records it as acquired-at.
        State: {
          get EnteredTime() {
            return new Date().toISOString();
          },
        },
      } as never,
    });
    const events = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') {
          path.push(event.state.name);
          options.onState?.(described.name ?? executionArn, event.state.name);
        }
      }
    })().catch(() => undefined);
    let outcome: ExecutionOutcome;
    const base = { executionArn, name: described.name ?? '', input, startedAt, path };
    aborts.set(executionArn, execution.abort);
    try {
      const output = await execution.result;
      outcome = { ...base, status: 'SUCCEEDED', output, stoppedAt: new Date().toISOString() };
    } catch (error) {
      const status: FinalStatus = error instanceof ExecutionTimeoutError ? 'TIMED_OUT' : 'FAILED';
      outcome = { ...base, status, ...failureOf(error), stoppedAt: new Date().toISOString() };
    }
    await events;
    await sfn.send(new StopExecutionCommand({ executionArn, error: outcome.error, cause: outcome.cause?.slice(0, 32_000) }));
    aborts.delete(executionArn);
    finished.push(outcome);
    options.onOutcome?.(outcome);
  };

  const pollOnce = async () => {
    let token: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: ExecutionStatus.RUNNING, nextToken: token }),
      );
      for (const ex of page.executions ?? []) {
        const arn = ex.executionArn!;
        if (seen.has(arn)) continue;
        seen.add(arn);
        const run = runOne(arn)
          .catch((error) => {
            process.stderr.write(`execution driver: ${arn}: ${String(error)}\n`);
          })
          .finally(() => runs.delete(arn));
        runs.set(arn, run);
      }
      token = page.nextToken;
    } while (token);
  };

  return {
    /** Starts watching; executions already RUNNING in moto are run too. */
    start: () => {
      if (polling) return;
      polling = true;
      loop = (async () => {
        while (polling) {
          await pollOnce().catch((error) => process.stderr.write(`execution driver: ${String(error)}\n`));
          await sleep(options.pollMs ?? 200);
        }
      })();
    },
    /** Stops watching; running executions are aborted unless `drain`, which waits for them. */
    stop: async (drain = false) => {
      polling = false;
      await loop;
      if (!drain) {
        aborts.forEach((abort) => abort());
        options.clients.ecs.killAll();
      }
      await Promise.all([...runs.values()]);
    },
    outcomes: (): ReadonlyArray<ExecutionOutcome> => [...finished],
    activeCount: () => runs.size,
    /** Resolves when `count` executions have finished, or rejects after `timeoutMs`. */
    waitForOutcomes: async (count: number, timeoutMs: number): Promise<ReadonlyArray<ExecutionOutcome>> => {
      const deadline = Date.now() + timeoutMs;
      while (finished.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${finished.length} of ${count} executions finished in ${timeoutMs} ms`);
        await sleep(100);
      }
      return [...finished];
    },
  };
};

export type ExecutionDriver = ReturnType<typeof executionDriver>;
