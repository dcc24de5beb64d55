/**
 * The IAM action that authorises an API operation. For most services it is the
 * operation's own name under the service's prefix (`ec2:CreateFlowLogs`); Amazon S3
 * names many of its actions differently from its operations (AWS Service
 * Authorization Reference, Amazon S3), and batch operations of some services are
 * authorised by the single-item action. This table is the one place those
 * differences are written down: planned actions, the permission meta-test and the
 * wire-level least-privilege tests all read it.
 */
const RENAMED: Record<string, Record<string, string>> = {
  s3: {
    ListBuckets: 'ListAllMyBuckets',
    HeadBucket: 'ListBucket',
    ListObjects: 'ListBucket',
    ListObjectsV2: 'ListBucket',
    GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
    PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
    DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
    GetBucketEncryption: 'GetEncryptionConfiguration',
    PutBucketEncryption: 'PutEncryptionConfiguration',
    DeleteBucketEncryption: 'PutEncryptionConfiguration',
    GetBucketLifecycleConfiguration: 'GetLifecycleConfiguration',
    PutBucketLifecycleConfiguration: 'PutLifecycleConfiguration',
    GetBucketReplication: 'GetReplicationConfiguration',
    PutBucketReplication: 'PutReplicationConfiguration',
    DeleteBucketTagging: 'PutBucketTagging',
    DeleteBucketCors: 'PutBucketCORS',
    GetBucketCors: 'GetBucketCORS',
    PutBucketCors: 'PutBucketCORS',
    HeadObject: 'GetObject',
  },
  // API Gateway's management API is authorised by HTTP method (on the resource's path).
  apigateway: {
    GetRestApis: 'GET',
    GetStages: 'GET',
    GetStage: 'GET',
    GetTags: 'GET',
    UpdateStage: 'PATCH',
  },
  sqs: {
    SendMessageBatch: 'SendMessage',
    DeleteMessageBatch: 'DeleteMessage',
    ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
  },
};

/** `s3` + `PutPublicAccessBlock` → `s3:PutBucketPublicAccessBlock`. */
export function iamActionOf(iamPrefix: string, operation: string): string {
  return `${iamPrefix}:${RENAMED[iamPrefix]?.[operation] ?? operation}`;
}
