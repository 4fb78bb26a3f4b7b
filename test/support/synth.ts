// The stack synthesized once per test file through cdktf's Testing helpers, plus small lookups
// over the resulting Terraform JSON.
import { Testing } from 'cdktf';
import { PipelineStack } from '../../infra/stack.js';

export type Block = Record<string, unknown>;

export interface Synthesized {
  /** What Testing.synth returns: the Terraform JSON as text, for Testing.toHave… matchers. */
  readonly text: string;
  readonly json: {
    readonly resource: Record<string, Record<string, Block>>;
    readonly data: Record<string, Record<string, Block>>;
    readonly variable: Record<string, Block>;
    readonly output: Record<string, Block>;
    readonly provider: Record<string, Block[]>;
    readonly terraform: Block;
  };
}

let cached: Synthesized | undefined;

export const synthesized = (): Synthesized => {
  if (!cached) {
    const stack = new PipelineStack(Testing.app());
    const text = Testing.synth(stack);
    cached = { text, json: JSON.parse(text) as Synthesized['json'] };
  }
  return cached;
};

export const resources = (type: string): Array<[string, Block]> => Object.entries(synthesized().json.resource[type] ?? {});
export const resource = (type: string, name: string): Block => {
  const found = synthesized().json.resource[type]?.[name];
  if (!found) throw new Error(`no ${type}.${name}`);
  return found;
};
export const dataSources = (type: string): Array<[string, Block]> => Object.entries(synthesized().json.data[type] ?? {});
export const dataSource = (type: string, name: string): Block => {
  const found = synthesized().json.data[type]?.[name];
  if (!found) throw new Error(`no data.${type}.${name}`);
  return found;
};

/** `${aws_s3_bucket.landing.id}` → the data source or resource block it names. */
export const policyDocumentOf = (reference: unknown): Block => {
  const match = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(String(reference));
  if (!match) throw new Error(`not a policy document reference: ${String(reference)}`);
  return dataSource('aws_iam_policy_document', match[1]!);
};

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: string[];
  readonly resources?: string[] | string;
  readonly principals?: Array<{ type: string; identifiers: string[] }>;
  readonly condition?: Array<{ test: string; variable: string; values: string[] }>;
}
export const statementsOf = (document: Block): PolicyStatement[] => (document['statement'] as PolicyStatement[] | undefined) ?? [];

/** Has the synthesized stack a resource of `type` with at least these properties? (cdktf's matcher) */
export const hasResource = (type: string, properties: Record<string, unknown>): boolean =>
  Testing.toHaveResourceWithProperties(synthesized().text, type, properties);
