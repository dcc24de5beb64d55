import type { RecordedCall } from '../../local/counting-proxy';

/**
 * The IAM action that authorises an S3 API operation, where the two names differ
 * (AWS Service Authorization Reference, Amazon S3). An operation missing here
 * and not named alike is reported by the test, not guessed.
 */
const S3_ACTIONS: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  HeadBucket: 's3:ListBucket',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
  GetBucketAcl: 's3:GetBucketAcl',
  PutBucketAcl: 's3:PutBucketAcl',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetBucketPolicyStatus: 's3:GetBucketPolicyStatus',
  GetBucketTagging: 's3:GetBucketTagging',
  GetBucketLocation: 's3:GetBucketLocation',
};

/** The service prefix of IAM actions for each query-protocol API version. */
const QUERY_SERVICES: Record<string, string> = {
  '2016-11-15': 'ec2',
  '2012-06-01': 'elasticloadbalancing',
  '2015-12-01': 'elasticloadbalancing',
};

const STS_VERSION = '2011-06-15';
const SNS_VERSION = '2010-03-31';

/** SQS batch operations are authorised by the single-message action. */
const SQS_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
};

/**
 * The IAM actions a recorded call needs (several for a DynamoDB transaction, none
 * for STS GetCallerIdentity). Throws for a call it cannot name, so an unknown call
 * cannot pass unchecked.
 */
export function iamActionsOf(call: RecordedCall): string[] {
  switch (call.service) {
    case 's3': {
      const action = S3_ACTIONS[call.operation];
      if (!action) throw new Error(`no IAM action known for S3 ${call.operation}: add it to S3_ACTIONS`);
      return [action];
    }
    case 'query': {
      // STS GetCallerIdentity (the CLI asks who it is) needs no permission.
      if (call.apiVersion === STS_VERSION && call.operation === 'GetCallerIdentity') return [];
      if (call.apiVersion === SNS_VERSION) return [`sns:${call.operation}`];
      const prefix = QUERY_SERVICES[call.apiVersion ?? ''];
      if (!prefix) throw new Error(`no IAM service known for query API version ${call.apiVersion}`);
      return [`${prefix}:${call.operation}`];
    }
    case 'DynamoDB_20120810':
      // IAM authorises a transaction by the actions of its items.
      return call.operation === 'TransactWriteItems'
        ? ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']
        : [`dynamodb:${call.operation}`];
    case 'AmazonSQS':
      return [SQS_ACTIONS[call.operation] ?? `sqs:${call.operation}`];
    case 'AmazonSSM':
      return [`ssm:${call.operation}`];
    case 'secretsmanager':
      return [`secretsmanager:${call.operation}`];
    default:
      throw new Error(`no IAM action known for ${call.service} ${call.operation}`);
  }
}
