/**
 * Data stores compliant with every rule of their type (as far as the emulator
 * lets them be), for the sweep test and the benchmark: they must cost no write
 * and few reads. One of each kind per call; `prefix` keeps names apart.
 */
import { CreateTableCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  EnableEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { CreateKeyCommand, EnableKeyRotationCommand } from '@aws-sdk/client-kms';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { AwsClientSpec, SdkClient } from '../src/aws-clients';
import { dynamodb } from '../src/resources/dynamodb/table';
import { ec2 } from '../src/resources/ec2/vpc';
import { kms } from '../src/resources/kms/key';
import { rds } from '../src/resources/rds/rds-client';
import { redshift } from '../src/resources/redshift/cluster';
import { s3 } from '../src/resources/s3/bucket';
import { sns } from '../src/resources/sns/topic';
import { sqs } from '../src/resources/sqs/queue';
import { createLogBucket } from './seed';
import { createDbCluster, createDbClusterSnapshot, createDbInstance, createDbSnapshot } from './seed-rds';
import { createRedshiftCluster } from './seed-redshift';

interface Clients {
  get<C extends SdkClient>(spec: AwsClientSpec<C>): C;
}

/** ARNs of the compliant resources made, by CloudFormation type. */
export type SeededStores = Record<string, string[]>;

/**
 * One compliant DB instance, Aurora cluster, DB and cluster snapshot, Redshift
 * cluster (logging to `logBucket`; the emulator makes it a require_ssl ticket all
 * the same), DynamoDB table with point-in-time recovery, and encrypted EBS volume
 * and private snapshot, SQS queue with SSE-SQS, SNS topic with KMS, KMS key that
 * rotates; and EBS encryption by default turned on in the region
 * unless `ebsEncryptionByDefault` is false.
 */
export async function seedCompliantDataStores(
  clients: Clients,
  region: string,
  prefix: string,
  logBucket: string,
  options: { ebsEncryptionByDefault?: boolean } = {},
): Promise<SeededStores> {
  const instance = `${prefix}-db`;
  const cluster = `${prefix}-aurora`;
  await createLogBucket(clients.get(s3), logBucket);
  const table = `${prefix}-table`;
  const created = await clients.get(dynamodb).send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await clients.get(dynamodb).send(
    new UpdateContinuousBackupsCommand({
      TableName: table,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  );
  // Off when the caller keeps the region's setting drifted (it would encrypt every volume made after).
  if (options.ebsEncryptionByDefault !== false) {
    await clients.get(ec2).send(new EnableEbsEncryptionByDefaultCommand({}));
  }
  const volume = await clients
    .get(ec2)
    .send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1, Encrypted: true }));
  const snapshot = await clients
    .get(ec2)
    .send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId as string }));
  const queue = `${prefix}-intake`;
  await clients
    .get(sqs)
    .send(new CreateQueueCommand({ QueueName: queue, Attributes: { SqsManagedSseEnabled: 'true' } }));
  const topic = await clients
    .get(sns)
    .send(
      new CreateTopicCommand({ Name: `${prefix}-results`, Attributes: { KmsMasterKeyId: 'alias/aws/sns' } }),
    );
  const key = await clients.get(kms).send(new CreateKeyCommand({ Description: `${prefix} data key` }));
  await clients.get(kms).send(new EnableKeyRotationCommand({ KeyId: key.KeyMetadata?.KeyId }));
  return {
    'AWS::KMS::Key': [key.KeyMetadata?.Arn as string],
    'AWS::SQS::Queue': [`arn:aws:sqs:${region}:123456789012:${queue}`],
    'AWS::SNS::Topic': [topic.TopicArn as string],
    'AWS::RDS::DBInstance': [await createDbInstance(clients.get(rds), instance)],
    'AWS::RDS::DBSnapshot': [await createDbSnapshot(clients.get(rds), instance, `${instance}-nightly`)],
    'AWS::RDS::DBCluster': [await createDbCluster(clients.get(rds), cluster)],
    'AWS::RDS::DBClusterSnapshot': [
      await createDbClusterSnapshot(clients.get(rds), cluster, `${cluster}-nightly`),
    ],
    'AWS::Redshift::Cluster': [
      await createRedshiftCluster(clients.get(redshift), region, `${prefix}-warehouse`, { logTo: logBucket }),
    ],
    'AWS::DynamoDB::Table': [created.TableDescription?.TableArn as string],
    'AWS::EC2::Volume': [`arn:aws:ec2:${region}:123456789012:volume/${volume.VolumeId}`],
    'AWS::EC2::Snapshot': [`arn:aws:ec2:${region}::snapshot/${snapshot.SnapshotId}`],
  };
}
