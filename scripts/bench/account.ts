import { DeleteBucketEncryptionCommand } from '@aws-sdk/client-s3';
import type { LocalClients } from '../../local/clients';
import * as seed from '../../local/seed';
import { mapLimited } from '../../src/concurrency';

/**
 * The benchmark's account: `buckets` buckets of which a third are public (and
 * unencrypted) and half unencrypted in all, 20 ALBs with mixed listeners, 20
 * VPCs with half their flow logs missing.
 */
export interface BenchAccount {
  compliantBuckets: string[];
  publicBuckets: string[];
  unencryptedBuckets: string[];
  flowLogBucket: string;
}

export async function buildAccount(
  clients: LocalClients,
  region: string,
  buckets: number,
): Promise<BenchAccount> {
  const s3 = clients.s3();
  const flowLogBucket = 'bench-flow-logs';
  await seed.createCompliantBucket(s3, flowLogBucket);
  const names = Array.from({ length: buckets }, (_, i) => `bench-${String(i).padStart(5, '0')}`);
  const publicCount = Math.round(buckets / 3);
  const unencryptedCount = Math.round(buckets / 2);
  const account: BenchAccount = {
    compliantBuckets: [],
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
    // A quarter HTTP only (ticket), a quarter HTTPS only (compliant), half both (redirect).
    const alb = await seed.createAlb(clients.elbv2(), acm, albVpc, `bench-alb-${i}`, { https: i % 4 !== 0 });
    if (i % 4 === 1) {
      const { DeleteListenerCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      await clients.elbv2().send(new DeleteListenerCommand({ ListenerArn: alb.httpListenerArn }));
    }
  }
  // 20 VPCs in all (the default one and the ALBs' count), half without a flow log.
  const vpcs = [albVpc.vpcId];
  while (vpcs.length < 19) vpcs.push((await seed.createVpc(ec2, region)).vpcId);
  for (const vpcId of vpcs.slice(1, 10)) await seed.createFlowLog(ec2, vpcId, destination);
  return account;
}
