// Fargate's task sizes (AWS: "Task CPU and memory", Linux): each CPU value accepts only these
// memory sizes (MiB). moto accepts any pair; AWS refuses the others at RegisterTaskDefinition, so
// the variables are validated against this table (and test/infra/fargate.test.ts checks both).

const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

export const FARGATE_CPU = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

export const isFargateSize = (cpu: number, memory: number): boolean => FARGATE_MEMORY_BY_CPU[cpu]?.includes(memory) ?? false;

/** The table as an HCL expression: `contains(lookup({...}, tostring(<cpu>), []), <memory>)`. */
export const fargateSizeCondition = (cpu: string, memory: string): string => {
  const table = Object.entries(FARGATE_MEMORY_BY_CPU)
    .map(([c, m]) => `"${c}" = [${m.join(', ')}]`)
    .join(', ');
  return `contains(lookup({ ${table} }, tostring(${cpu}), []), ${memory})`;
};
