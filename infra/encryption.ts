// Optional customer-managed KMS key (issue 13): one variable, `kms_key_arn`. Set, every store uses
// it — buckets (SSE-KMS with bucket keys), tables, queues, the topic, log groups — and each role
// gets the KMS actions its calls need on that key, only through the services it uses it by
// (kms:ViaService). Empty, every argument below resolves to null or today's value: the plan of an
// existing deployment does not change. Constructs take their pieces from here, so each keeps its
// own one-line edit.
import { Construct } from 'constructs';
import { Token, ref } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { ServiceRole } from './iam.js';
import type { AwsContext } from './context.js';

export const KMS_KEY_VARIABLE = 'kms_key_arn';
const KEY = `var.${KMS_KEY_VARIABLE}`;
const USE_KEY = `${KEY} != ""`;

/** The key where a resource argument takes one; null (the argument unset, today's default) without. */
export const keyOrNull = (): string => Token.asString(ref(`${USE_KEY} ? ${KEY} : null`));
/** S3 default encryption: SSE-KMS under the key, else SSE-S3 as before. */
export const s3Algorithm = (): string => Token.asString(ref(`${USE_KEY} ? "aws:kms" : "AES256"`));
/** SQS-managed SSE stays on without a key; with one it must be unset (the two exclude each other). */
export const sqsManagedSse = () => Token.asAny(ref(`${USE_KEY} ? null : true`));
const keyCount = (): number => Token.asNumber(ref(`${USE_KEY} ? 1 : 0`));

/** Services a role reaches the key through, and what it asks KMS for there. */
export type KeyService = 's3' | 'dynamodb' | 'sqs' | 'sns';
export type KeyAction = 'kms:Decrypt' | 'kms:GenerateDataKey';
export type KeyUse = Readonly<Partial<Record<KeyService, readonly KeyAction[]>>>;

/**
 * What each kind of call needs (AWS's documented minimum for each service):
 * S3 GetObject → Decrypt; PutObject and multipart uploads → GenerateDataKey and Decrypt.
 * DynamoDB with a customer key: DynamoDB decrypts the table key for each caller → Decrypt.
 * SQS ReceiveMessage (and a Lambda event-source mapping polling for the function) → Decrypt.
 * SNS Publish → GenerateDataKey and Decrypt.
 */
export const READ: readonly KeyAction[] = ['kms:Decrypt'];
export const WRITE: readonly KeyAction[] = ['kms:Decrypt', 'kms:GenerateDataKey'];

const SID: Record<KeyService, string> = { s3: 'S3', dynamodb: 'DynamoDb', sqs: 'Sqs', sns: 'Sns' };

/** A counted inline policy on `role` (present only with a key): `uses`, on the key, via each service. */
export const grantKeyUse = (scope: Construct, id: string, role: ServiceRole, aws: AwsContext, uses: KeyUse): IamRolePolicy => {
  const document = new DataAwsIamPolicyDocument(scope, `${id}_kms_permissions`, {
    count: keyCount(),
    statement: (Object.entries(uses) as Array<[KeyService, readonly KeyAction[]]>).map(([service, actions]) => ({
      sid: `UseKeyVia${SID[service]}`,
      effect: 'Allow',
      actions: [...actions],
      resources: [Token.asString(ref(KEY))],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`${service}.${aws.region}.amazonaws.com`] }],
    })),
  });
  return new IamRolePolicy(scope, `${id}_kms_policy`, {
    count: keyCount(),
    name: 'use-kms-key',
    role: role.role.id,
    policy: Token.asString(ref(`one(data.${document.terraformResourceType}.${document.friendlyUniqueId}[*].json)`)),
  });
};
