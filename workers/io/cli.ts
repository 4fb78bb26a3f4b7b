// The edge of every command: flags parsed into one-line usage errors, run, map the outcome to an
// exit code, one line on stderr.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isMainThread } from 'node:worker_threads';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--flag -1` as `--flag=-1` when `--flag` takes a value: Node's parser refuses a value that starts
 * with a dash, but a negative number is a value (for the flag's own check to refuse, by name).
 */
const attachNegativeValues = (options: Options, args: ReadonlyArray<string>): string[] => {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...out, ...args.slice(i)];
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    const short = /^-([^-])$/.exec(arg)?.[1];
    const name = long ?? Object.keys(options).find((k) => short !== undefined && options[k]!.short === short);
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
};

/** Node's multi-sentence parser errors as one line that names the flag. */
const usageLine = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag ?? message}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''} (this command takes flags only)`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined) {
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    if (/ambiguous/.test(message)) return `${flag} needs a value (write ${flag}=VALUE for a value starting with -)`;
    return `${flag} needs a value`;
  }
  return message.split('\n')[0]!;
};

/** `parseArgs` of node:util, whose every failure is a one-line UsageError naming the flag. */
export const parseFlags = <T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> => {
  try {
    return parseArgs({ ...config, args: attachNegativeValues(config.options ?? {}, config.args ?? process.argv.slice(2)) } as T);
  } catch (error) {
    throw new UsageError(usageLine(error));
  }
};

const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();

const isBug = (error: Error): boolean => error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || /^(TypeError|RangeError|ReferenceError)\b/.test(error.stack ?? '');

/** Runs `main`; exit 0 on success, 1 with `<command>: <reason>` on stderr otherwise. */
export const runCli = (command: string, main: () => Promise<number>): void => {
  // A bundle is also the entry of its own worker threads (validate's check threads): no CLI there.
  if (!isMainThread) return;
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // a programming error is a bug to report, with where it happened; a failure of the input or
      // of AWS is its one-line reason (the stack too under LOG_LEVEL=debug)
      if (error instanceof Error && (isBug(error) || process.env.LOG_LEVEL?.toLowerCase() === 'debug')) process.stderr.write(`${error.stack}\n`);
      const hint = error instanceof UsageError && !/--help/.test(error.message) ? ' (see --help)' : '';
      process.stderr.write(`${command}: ${oneLine(error)}${hint}\n`);
      process.exitCode = 1;
    },
  );
};
