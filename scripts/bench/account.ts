import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateVolumeCommand } from '@aws-sdk/client-ec2';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { DeleteBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { LocalClients } from '../../local/clients';
import * as seed from '../../local/seed';
import { type SeededStores, seedCompliantDataStores } from '../../local/seed-data-stores';
import { createDbCluster, createDbInstance, createDbSnapshot } from '../../local/seed-rds';
import { createRedshiftCluster } from '../../local/seed-redshift';
import { createAwsClients } from '../../src/aws-clients';
import { mapLimited } from '../../src/concurrency';
import { dynamodb } from '../../src/resources/dynamodb/table';
import { ec2 as ec2Client } from '../../src/resources/ec2/vpc';
import { kms } from '../../src/resources/kms/key';
import { rds } from '../../src/resources/rds/rds-client';
import { redshift } from '../../src/resources/redshift/cluster';
import { sns } from '../../src/resources/sns/topic';
import { sqs } from '../../src/resources/sqs/queue';

/**
 * The benchmark's account: `buckets` buckets of which a third are public (and
 * unencrypted) and half unencrypted in all, 20 ALBs with mixed listeners, 20
 * VPCs with half their flow logs missing; and `dataStores` sets of data stores
 * compliant with every rule of their type (a DB instance and its snapshot, an
 * Aurora cluster and its snapshot, a Redshift cluster, a DynamoDB table, an EBS
 * volume and snapshot, an SQS queue, an SNS topic, a KMS key), beside a quarter as many drifted ones (a public
 * instance, a cluster with short backups, a public DB snapshot, a public Redshift
 * cluster, a table without point-in-time recovery, an unencrypted volume, a queue
 * and a topic without encryption, a key without rotation).
 */
export interface BenchAccount {
  compliantBuckets: string[];
  /** ARNs of the compliant data stores, by resource type. */
  compliantStores: SeededStores;
  driftedStores: number;
  publicBuckets: string[];
  unencryptedBuckets: string[];
  flowLogBucket: string;
}

export async function buildAccount(
  clients: LocalClients,
  region: string,
  buckets: number,
  dataStores: number,
): Promise<BenchAccount> {
  const s3 = clients.s3();
  const flowLogBucket = 'bench-flow-logs';
  await seed.createCompliantBucket(s3, flowLogBucket);
  const names = Array.from({ length: buckets }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  const publicCount = Math.round(buckets / 3);
  const unencryptedCount = Math.round(buckets / 2);
  const account: BenchAccount = {
    compliantBuckets: [],
    compliantStores: {},
    driftedStores: 0,
    publicBuckets: [],
    unencryptedBuckets: [],
    flowLogBucket,
  };
  await mapLimited(names, 16, async (name) => {
    const index = names.indexOf(name);
    if (index < publicCount) {
      await seed.createPublicBucket(s3, name);
      account.publicBuckets.push(name);
      account.unencryptedBuckets.push(name);
    } else if (index < unencryptedCount) {
      await seed.createCompliantBucket(s3, name);
      await s3.send(new DeleteBucketEncryptionCommand({ Bucket: name }));
      account.unencryptedBuckets.push(name);
    } else {
      await seed.createCompliantBucket(s3, name);
      account.compliantBuckets.push(name);
    }
  });

  const ec2 = clients.ec2();
  const destination = `arn:aws:s3:::${flowLogBucket}`;
  const albVpc = await seed.createVpc(ec2, region, 2);
  await seed.createFlowLog(ec2, albVpc.vpcId, destination);
  const acm = seed.createAcmClient(region);
  for (let i = 0; i < 20; i++) {
    // A quarter HTTP only (ticket), a quarter HTTPS only (compliant), half both (redirect);
    // half log their access (the other half is fixed by elb-access-logging).
    const alb = await seed.createAlb(clients.elbv2(), acm, albVpc, `bench-alb-${i}`, {
      https: i % 4 !== 0,
      accessLogsTo: i % 2 === 1 ? 'bench-access-logs' : undefined,
    });
    if (i % 4 === 1) {
      const { DeleteListenerCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      await clients.elbv2().send(new DeleteListenerCommand({ ListenerArn: alb.httpListenerArn }));
    }
  }
  // 20 VPCs in all (the default one and the ALBs' count), half without a flow log.
  const vpcs = [albVpc.vpcId];
  while (vpcs.length < 19) vpcs.push((await seed.createVpc(ec2, region)).vpcId);
  for (const vpcId of vpcs.slice(1, 10)) await seed.createFlowLog(ec2, vpcId, destination);

  const aws = createAwsClients({ region });
  await seed.createLogBucket(s3, 'bench-access-logs');
  // The drifted ones first: encryption by default (on for the compliant sets) would
  // encrypt the unencrypted volume.
  for (let i = 0; i < Math.ceil(dataStores / 4); i++) {
    const id = `bench-drift-${i}`;
    await createDbInstance(aws.get(rds), `${id}-db`, { publiclyAccessible: true });
    await createDbSnapshot(aws.get(rds), `${id}-db`, `${id}-db-shared`, { public: true });
    await createDbCluster(aws.get(rds), `${id}-aurora`, { retentionDays: 1 });
    await createRedshiftCluster(aws.get(redshift), region, `${id}-warehouse`, {
      publiclyAccessible: true,
      logTo: 'bench-access-logs',
    });
    await aws.get(dynamodb).send(
      new CreateTableCommand({
        TableName: `${id}-table`,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await aws.get(ec2Client).send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 }));
    await aws
      .get(sqs)
      .send(
        new CreateQueueCommand({ QueueName: `${id}-intake`, Attributes: { SqsManagedSseEnabled: 'false' } }),
      );
    await aws.get(sns).send(new CreateTopicCommand({ Name: `${id}-results` }));
    await aws.get(kms).send(new CreateKeyCommand({ Description: `${id} data key` }));
    account.driftedStores += 9;
  }
  for (let i = 0; i < dataStores; i++) {
    const seeded = await seedCompliantDataStores(aws, region, `bench-ok-${i}`, 'bench-access-logs');
    for (const [type, arns] of Object.entries(seeded)) {
      account.compliantStores[type] = [...(account.compliantStores[type] ?? []), ...arns];
    }
  }
  return account;
}
