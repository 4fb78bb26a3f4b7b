// One topic for everything people should hear about: batch SUCCEEDED / REJECTED / FAILED from the
// state machine and the CloudWatch alarms. E-mail subscription only when an address is given.
import { Construct } from 'constructs';
import { Token, ref } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { Namer } from './naming.js';
import type { Inputs } from './variables.js';
import { keyOrNull } from './encryption.js';

export interface Notifications {
  readonly topic: SnsTopic;
}

export const notifications = (scope: Construct, name: Namer, inputs: Inputs): Notifications => {
  // Not encrypted with the AWS-managed SNS key on purpose: CloudWatch alarms cannot publish to a
  // topic under `alias/aws/sns`; with kms_key_arn it is under the team's key, whose policy must
  // admit cloudwatch.amazonaws.com.
  const topic = new SnsTopic(scope, 'topic', { name: name('notifications'), kmsMasterKeyId: keyOrNull() });
  new SnsTopicSubscription(scope, 'email', {
    count: Token.asNumber(ref('var.notification_email == "" ? 0 : 1')),
    topicArn: topic.arn,
    protocol: 'email',
    endpoint: inputs.notificationEmail.stringValue,
  });
  return { topic };
};
