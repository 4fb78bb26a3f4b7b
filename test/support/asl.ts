// Reading statemachine.asl.json as a graph, for the structural tests.
import { readFileSync } from 'node:fs';

export const ASL_PATH = 'statemachine.asl.json';

export interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: ReadonlyArray<{ readonly Next: string }>;
  readonly Catch?: ReadonlyArray<{ readonly ErrorEquals: readonly string[]; readonly Next: string; readonly ResultPath?: string | null }>;
  readonly Retry?: ReadonlyArray<{ readonly ErrorEquals: readonly string[]; readonly MaxAttempts?: number }>;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly Parameters?: Record<string, unknown>;
}

export interface Definition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
}

export const aslText = (): string => readFileSync(ASL_PATH, 'utf8');
export const asl = (): Definition => JSON.parse(aslText()) as Definition;

/** Every state a state can hand over to: Next, Choice targets, Default, Catch targets. */
export const successors = (state: State): string[] => [
  ...(state.Next ? [state.Next] : []),
  ...(state.Choices ?? []).map((c) => c.Next),
  ...(state.Default ? [state.Default] : []),
  ...(state.Catch ?? []).map((c) => c.Next),
];

export const isTerminal = (state: State): boolean => state.Type === 'Fail' || state.Type === 'Succeed' || state.End === true;

/** States reachable from `from` without entering any state in `blocked`. */
export const reachable = (definition: Definition, from: string, blocked: ReadonlySet<string> = new Set()): Set<string> => {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name) || blocked.has(name)) continue;
    seen.add(name);
    const state = definition.States[name];
    if (state) stack.push(...successors(state));
  }
  return seen;
};
