// IAM building blocks: one role per component, trusted by one service, with one inline policy
// whose statements name actions explicitly and resources by ARN.
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

export type Statement = DataAwsIamPolicyDocumentStatement;

export const allow = (sid: string, actions: readonly string[], resources: readonly string[], condition?: Statement['condition']): Statement => ({
  sid,
  effect: 'Allow',
  actions: [...actions],
  resources: [...resources],
  ...(condition ? { condition } : {}),
});

export interface ServiceRole {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
}

/**
 * A role that only `service` may assume, with an inline policy of `statements`. Inline rather than
 * managed policies: the permissions live and die with the role and cannot be attached elsewhere.
 * `sourceArnLike`, when given, pins the trust to calls made on behalf of that resource
 * (confused-deputy protection).
 */
export const serviceRole = (
  scope: Construct,
  id: string,
  props: { name: string; service: string; statements: Statement[]; sourceAccount?: string },
): ServiceRole => {
  const trust = new DataAwsIamPolicyDocument(scope, `${id}_trust`, {
    statement: [{
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: [props.service] }],
      ...(props.sourceAccount
        ? { condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.sourceAccount] }] }
        : {}),
    }],
  });
  const role = new IamRole(scope, `${id}_role`, { name: props.name, assumeRolePolicy: trust.json });
  const document = new DataAwsIamPolicyDocument(scope, `${id}_permissions`, { statement: props.statements });
  const policy = new IamRolePolicy(scope, `${id}_policy`, { name: 'least-privilege', role: role.id, policy: document.json });
  return { role, policy };
};
