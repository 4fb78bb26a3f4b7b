// Logs: JSON lines when not on a terminal (CloudWatch, CI), readable lines on a terminal.
// Everything goes to stderr: stdout belongs to a command's actual output.
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const threshold = (): number => ORDER[(process.env.LOG_LEVEL?.toLowerCase() as Level) ?? 'info'] ?? ORDER.info;
const asJson = (): boolean => process.env.LOG_FORMAT === 'json' || (process.env.LOG_FORMAT !== 'text' && !process.stderr.isTTY);

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const logger = (component: string): Logger => {
  const emit = (level: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold()) return;
    const line = asJson()
      ? JSON.stringify({ ts: new Date().toISOString(), level, component, msg, ...fields })
      : `${level.padEnd(5)} ${component}: ${msg}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`;
    process.stderr.write(`${line}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
};
