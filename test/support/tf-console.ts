// Evaluates Terraform expressions with the real terraform binary (`terraform console` on a config of
// plain variables, no provider, no init), so tests check the synthesized HCL itself, not a copy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = 40;

/** Each expression's value (jsonencode'd, parsed back), in order. `vars`: name → value. */
export const evaluate = (expressions: ReadonlyArray<string>, vars: Readonly<Record<string, unknown>> = {}): unknown[] => {
  // a console line has a length limit: long lists go in chunks
  if (expressions.length > CHUNK) {
    const out: unknown[] = [];
    for (let i = 0; i < expressions.length; i += CHUNK) out.push(...evaluate(expressions.slice(i, i + CHUNK), vars));
    return out;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-'));
  try {
    if (Object.keys(vars).length > 0) {
      writeFileSync(join(dir, 'vars.tf.json'), JSON.stringify({ variable: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { default: v }])) }));
    }
    const res = spawnSync('terraform', ['console'], {
      cwd: dir,
      // one expression: piped input is read as one, so the list holds every value
      input: `jsonencode([${expressions.map((e) => e.replace(/\n/g, ' ')).join(', ')}])\n`,
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_CONFIG_FILE: join(process.cwd(), 'terraform.offline.tfrc'), CHECKPOINT_DISABLE: '1' },
      maxBuffer: 64 << 20,
    });
    if (res.status !== 0) throw new Error(`terraform console: ${res.stderr}`);
    const values = JSON.parse(JSON.parse(res.stdout.trim()) as string) as unknown[];
    if (values.length !== expressions.length) throw new Error(`terraform console: ${values.length} results for ${expressions.length} expressions`);
    return values;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** `${expr}` → expr (a synthesized condition or value is one interpolation). */
export const unwrap = (hcl: string): string => {
  const m = /^\$\{([\s\S]*)\}$/.exec(hcl);
  if (!m) throw new Error(`not a single interpolation: ${hcl}`);
  return m[1]!;
};
