// Where the stack runs: account, partition and region, for the few ARNs that must be spelled out
// (those of resources this stack does not create). Read once, shared by the constructs.
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';

export interface AwsContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

export const awsContext = (scope: Construct): AwsContext => {
  const identity = new DataAwsCallerIdentity(scope, 'caller');
  const partition = new DataAwsPartition(scope, 'partition');
  const region = new DataAwsRegion(scope, 'region');
  return { accountId: identity.accountId, partition: partition.partition, region: region.name };
};
