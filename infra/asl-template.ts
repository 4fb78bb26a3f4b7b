// statemachine.asl.json is a template: each placeholder is a whole JSON string `${name}` that
// stands for one JSON value (a string, a number or a list). Keeping placeholders inside strings
// keeps the file valid JSON, so asl-validator and the local ASL interpreter read it as is.
// Pure functions, no cdktf: the synth and the tests use them alike.

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const PLACEHOLDER = /^\$\{([a-z][a-z0-9_]*)\}$/;

const walk = (value: Json, leaf: (s: string) => Json): Json => {
  if (typeof value === 'string') return leaf(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, leaf));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v as Json, leaf)]));
  return value;
};

/** Names of the placeholders of a template, sorted, each once. */
export const placeholderNames = (template: Json): string[] => {
  const names = new Set<string>();
  walk(template, (s) => {
    const match = PLACEHOLDER.exec(s);
    if (match) names.add(match[1]!);
    return s;
  });
  return [...names].sort();
};

const missing = (template: Json, given: Iterable<string>): string[] => {
  const have = new Set(given);
  return placeholderNames(template).filter((n) => !have.has(n));
};

/** The definition with every placeholder replaced by its value (what runs, in AWS or locally). */
export const resolvePlaceholders = (template: Json, values: Readonly<Record<string, Json>>): Json => {
  const absent = missing(template, Object.keys(values));
  if (absent.length > 0) throw new Error(`no value for placeholder(s): ${absent.join(', ')}`);
  return walk(template, (s) => {
    const match = PLACEHOLDER.exec(s);
    return match ? values[match[1]!]! : s;
  });
};

/**
 * The definition as Terraform template text: pretty JSON in which each placeholder (quotes
 * included) is replaced by `spliced[name]`, raw text that is itself valid JSON once Terraform has
 * interpolated it (e.g. `"${aws_sfn...name}"` or `${jsonencode(var.subnet_ids)}`). Everything else
 * is escaped so that Terraform interpolates nothing of the definition's own text.
 */
export const renderForTerraform = (template: Json, spliced: Readonly<Record<string, string>>): string => {
  const absent = missing(template, Object.keys(spliced));
  if (absent.length > 0) throw new Error(`no value for placeholder(s): ${absent.join(', ')}`);
  const marker = (name: string) => `@@placeholder:${name}@@`;
  const marked = walk(template, (s) => {
    const match = PLACEHOLDER.exec(s);
    return match ? marker(match[1]!) : s;
  });
  const text = JSON.stringify(marked, null, 2).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  return text.replace(/"@@placeholder:([a-z][a-z0-9_]*)@@"/g, (_, name: string) => spliced[name]!);
};
