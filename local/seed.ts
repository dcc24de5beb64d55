import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  CreateFlowLogsCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteFlowLogsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand as CreateClassicLoadBalancerCommand,
  type ElasticLoadBalancingClient,
  ModifyLoadBalancerAttributesCommand as ModifyClassicLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ALL_BLOCKED } from '../src/resources/s3/bucket-settings';

/**
 * Builders for a small drifted account in the emulator: used by `npm start`,
 * the integration tests and the benchmark. They make resources the way a
 * person or an IaC tool would, through the public APIs.
 */

export const PUBLIC_READ_STATEMENT = (bucket: string) => ({
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${bucket}/*`,
});

/** CreateBucket in the client's region (outside us-east-1 S3 wants a LocationConstraint). */
export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  const region = await s3.config.region();
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
}

export async function createPublicBucket(
  s3: S3Client,
  bucket: string,
  extraStatements: object[] = [],
): Promise<void> {
  await createBucket(s3, bucket);
  await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [PUBLIC_READ_STATEMENT(bucket), ...extraStatements],
      }),
    }),
  );
}

/**
 * A bucket that meets every S3 rule: Block Public Access, SSE-KMS with the bucket
 * key, TLS-only, versioning, server access logging. It logs to itself, under a
 * prefix: test data only (a real bucket logs to a log bucket), which keeps every
 * emulator region free of a log bucket the sweeps would have to account for.
 */
export async function createCompliantBucket(s3: S3Client, bucket: string): Promise<void> {
  await createBucket(s3, bucket);
  await allowLogDelivery(s3, bucket);
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: bucket,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: bucket, TargetPrefix: 'access-logs/' } },
    }),
  );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_BLOCKED } }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }],
      },
    }),
  );
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyPlaintext',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    }),
  );
}

/**
 * A bucket with one drift only: public (a public-read ACL, no Block Public Access),
 * and otherwise meeting every S3 rule (encrypted, versioned, TLS-only policy).
 */
export async function createOpenBucket(s3: S3Client, bucket: string): Promise<void> {
  await createCompliantBucket(s3, bucket);
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
}

/**
 * A bucket S3 may deliver access logs to (it lets the log-delivery service write),
 * itself meeting every S3 rule but logging (a log bucket does not log to itself).
 * Its TLS-only statement names everyone as `{"AWS": "*"}`: moto fails PutBucketLogging
 * (HTTP 500) when the target's policy has the equivalent `"Principal": "*"`.
 */
export async function createLogBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await createBucket(s3, bucket);
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  }
  await allowLogDelivery(s3, bucket);
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_BLOCKED } }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        // SSE-S3: log delivery (S3, Elastic Load Balancing, Redshift) accepts nothing else.
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyPlaintext',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    }),
  );
}

const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

/** S3 delivers access logs only to a bucket whose ACL lets the log-delivery group write (or whose policy does). */
async function allowLogDelivery(s3: S3Client, bucket: string): Promise<void> {
  const { Owner } = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketAclCommand({
      Bucket: bucket,
      AccessControlPolicy: {
        Owner,
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: Owner?.ID }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' },
          { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'READ_ACP' },
        ],
      },
    }),
  );
}

/** What a person fixing a public bucket does: Block Public Access on, private ACL. */
export async function blockPublicAccess(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
  await s3.send(
    new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { ...ALL_BLOCKED } }),
  );
}

export async function tagBucket(s3: S3Client, bucket: string, tags: Record<string, string>): Promise<void> {
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
    }),
  );
}

export interface SeededVpc {
  vpcId: string;
  subnetIds: string[];
}

let cidrCounter = 0;

export async function createVpc(ec2: EC2Client, region: string, subnets = 0): Promise<SeededVpc> {
  const second = (cidrCounter++ % 250) + 1;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }));
  const vpcId = vpc.Vpc?.VpcId as string;
  const subnetIds: string[] = [];
  for (let i = 0; i < subnets; i++) {
    const subnet = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.${second}.${i}.0/24`,
        AvailabilityZone: `${region}${'abcdef'[i]}`,
      }),
    );
    subnetIds.push(subnet.Subnet?.SubnetId as string);
  }
  return { vpcId, subnetIds };
}

export async function createFlowLog(
  ec2: EC2Client,
  vpcId: string,
  destinationBucketArn: string,
): Promise<string> {
  const out = await ec2.send(
    new CreateFlowLogsCommand({
      ResourceIds: [vpcId],
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: destinationBucketArn,
    }),
  );
  const id = out.FlowLogIds?.[0];
  if (!id)
    throw new Error(`seeding a flow log failed: ${out.Unsuccessful?.[0]?.Error?.Code ?? 'no id returned'}`);
  return id;
}

export async function deleteFlowLog(ec2: EC2Client, flowLogId: string): Promise<void> {
  await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [flowLogId] }));
}

export interface SeededAlb {
  loadBalancerArn: string;
  httpListenerArn: string;
  httpsListenerArn?: string;
}

/**
 * A Classic Load Balancer in the region's first zone, plaintext on both sides
 * (HTTP:80 -> HTTP:8080); with `accessLogsTo`, logging to that bucket.
 */
export async function createPlaintextClassicLb(
  elb: ElasticLoadBalancingClient,
  region: string,
  name: string,
  options: { accessLogsTo?: string } = {},
): Promise<void> {
  await elb.send(
    new CreateClassicLoadBalancerCommand({
      LoadBalancerName: name,
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 }],
      AvailabilityZones: [`${region}a`],
    }),
  );
  if (options.accessLogsTo) {
    await elb.send(
      new ModifyClassicLoadBalancerAttributesCommand({
        LoadBalancerName: name,
        LoadBalancerAttributes: {
          AccessLog: {
            Enabled: true,
            S3BucketName: options.accessLogsTo,
            S3BucketPrefix: `elb/${name}`,
            EmitInterval: 60,
          },
        },
      }),
    );
  }
}

/**
 * An ALB whose HTTP listener forwards plaintext; with `https`, an HTTPS listener
 * beside it; with `accessLogsTo`, access logs to that bucket.
 */
export async function createAlb(
  elbv2: ElasticLoadBalancingV2Client,
  acm: ACMClient,
  vpc: SeededVpc,
  name: string,
  options: { https: boolean; accessLogsTo?: string },
): Promise<SeededAlb> {
  const lb = await elbv2.send(
    new CreateLoadBalancerCommand({ Name: name, Subnets: vpc.subnetIds, Type: 'application' }),
  );
  const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn as string;
  if (options.accessLogsTo) {
    await elbv2.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: loadBalancerArn,
        Attributes: [
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: options.accessLogsTo },
          { Key: 'access_logs.s3.prefix', Value: `elb/${name}` },
        ],
      }),
    );
  }
  const tg = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: `${name}-tg`.slice(0, 32),
      Protocol: 'HTTP',
      Port: 80,
      VpcId: vpc.vpcId,
    }),
  );
  const forward = [
    { Type: 'forward' as const, TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn as string },
  ];
  let httpsListenerArn: string | undefined;
  if (options.https) {
    const cert = await acm.send(new RequestCertificateCommand({ DomainName: `${name}.example.org` }));
    const https = await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: cert.CertificateArn as string }],
        DefaultActions: forward,
      }),
    );
    httpsListenerArn = https.Listeners?.[0]?.ListenerArn;
  }
  const http = await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: forward,
    }),
  );
  return { loadBalancerArn, httpListenerArn: http.Listeners?.[0]?.ListenerArn as string, httpsListenerArn };
}

export function createAcmClient(region: string): ACMClient {
  return new ACMClient({ region });
}
