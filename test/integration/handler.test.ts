import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeFlowLogsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DescribeListenersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { localClients } from '../../local/clients';
import { bucketEvent, inRegion, listenerEvent, loadFixture } from '../../local/fixtures';
import * as seed from '../../local/seed';
import { rules } from '../../remediations';
import { initLedgerTable } from '../../src/ledger/init-table';
import { asSelf, SELF_ROLE_ARN } from '../support/engine';
import { captureFunctionLogs } from '../support/function-logs';
import { type Handler, lambdaContext, loadHandler } from '../support/handler';
import { motoClients, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * The deployed Lambda's handler module, imported for real (middy, Powertools,
 * config read at init) against the moto server; every assertion reads state
 * back from the emulator through the SDK.
 */
const context = lambdaContext;

const FLOW_LOG_BUCKET = uniqueName('phi-flow-logs');
/** The access-log bucket of the region (the access-logging rule's setting names it with {region}). */
const ACCESS_LOGS = 'phiguard-handler-logs-{region}';
let s3: S3Client;
let applyHandler: Handler;
let dryRunHandler: Handler;

async function bucketState(bucket: string) {
  const [pab, acl, policy, encryption] = await Promise.all([
    s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then(
      (o) => o.PublicAccessBlockConfiguration,
      () => undefined,
    ),
    s3.send(new GetBucketAclCommand({ Bucket: bucket })),
    s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then(
      (o) => JSON.parse(o.Policy as string),
      () => undefined,
    ),
    s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })).then(
      (o) => o.ServerSideEncryptionConfiguration?.Rules,
      () => undefined,
    ),
  ]);
  const publicGrants = (acl.Grants ?? []).filter((g) => g.Grantee?.URI?.endsWith('/AllUsers'));
  return { pab, publicGrants, policy, encryption };
}

const LEDGER_TABLE = uniqueName('phiguard-ledger');

beforeAll(async () => {
  s3 = motoClients().s3();
  await seed.createCompliantBucket(s3, FLOW_LOG_BUCKET);
  await seed.createLogBucket(s3, ACCESS_LOGS.replace('{region}', REGION));
  await initLedgerTable(new DynamoDBClient({ region: REGION }), LEDGER_TABLE);
  const env = {
    PHIGUARD_LEDGER_TABLE: LEDGER_TABLE,
    PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${FLOW_LOG_BUCKET}`,
    PHIGUARD_ACCESS_LOGS_BUCKET: ACCESS_LOGS,
    PHIGUARD_SELF_PRINCIPALS: SELF_ROLE_ARN,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  dryRunHandler = await loadHandler({ ...env, PHIGUARD_DRY_RUN: 'true' });
  applyHandler = await loadHandler({ ...env, PHIGUARD_DRY_RUN: 'false' });
});

/**
 * What a rule reports for a drifted bucket here: `status`, unless the rule only ever
 * tickets (a name that looks like PHI), which finds these ordinary names compliant.
 */
const drifted = (id: string, status: string) =>
  rules.find((r) => r.id === id)?.permissions.write.length === 0 ? 'compliant' : status;

describe('on-cloudtrail-event handler against moto', () => {
  it('fixes a bucket from a record whose optional fields are null (CloudTrail sends them; none may dead-letter an event)', async () => {
    const bucket = uniqueName('phi-nulls');
    await seed.createOpenBucket(s3, bucket);
    const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    event.detail.userIdentity.invokedBy = null;
    event.detail.userIdentity.sessionContext = null;
    event.detail.additionalEventData = null;
    event.detail.responseElements = null;

    const result = await applyHandler(event, context);

    // Its one drift fixed; every other rule of the bucket found it compliant.
    expect(
      result.outcomes.filter((o) => o.status !== 'compliant').map((o) => `${o.rule}:${o.status}`),
    ).toEqual(['s3-bucket-public-access:remediated']);
    expect((await bucketState(bucket)).publicGrants).toHaveLength(0);
  });

  it('one PutBucketAcl on a public, unencrypted, unversioned bucket without TLS-only policy leaves every S3 rule compliant; other statements survive', async () => {
    const bucket = uniqueName('phi-claims');
    await seed.createPublicBucket(s3, bucket);
    const before = await bucketState(bucket);
    expect(before.publicGrants).toHaveLength(1);

    // The event names the ACL only; the whole bucket is evaluated, every rule of its type.
    const fixed = await applyHandler(bucketEvent('s3/PutBucketAcl.public-read', bucket), context);
    const s3Rules = rules.filter((r) => r.resourceType === 'AWS::S3::Bucket').map((r) => r.id);
    expect(fixed.outcomes.map((o) => `${o.rule}:${o.status}`)).toEqual(
      s3Rules.map((id) => `${id}:${drifted(id, 'remediated')}`),
    );
    const later = [
      await applyHandler(bucketEvent('s3/PutBucketPolicy.public', bucket), context),
      await applyHandler(bucketEvent('s3/DeleteBucketEncryption.basic', bucket), context),
    ];
    expect(later.flatMap((r) => r.outcomes.map((o) => o.status))).toEqual(
      [...s3Rules, ...s3Rules].map(() => 'compliant'),
    );

    const after = await bucketState(bucket);
    expect(after.pab).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(after.publicGrants).toEqual([]);
    expect(after.encryption?.[0]).toMatchObject({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
      BucketKeyEnabled: true,
    });
    // The owner's statement is still there, unchanged, beside the TLS-only statement.
    expect(after.policy.Statement).toEqual([
      before.policy.Statement[0],
      expect.objectContaining({ Sid: 'PhiGuardDenyInsecureTransport' }),
    ]);
  });

  it('dry-run changes nothing at all', async () => {
    const bucket = uniqueName('phi-dry');
    await seed.createPublicBucket(s3, bucket);
    const before = await bucketState(bucket);
    const result = await dryRunHandler(bucketEvent('s3/PutBucketPolicy.public', bucket), context);
    expect(result.outcomes.map((o) => o.status)).toEqual(
      rules.filter((r) => r.resourceType === 'AWS::S3::Bucket').map((r) => drifted(r.id, 'would-remediate')),
    );
    expect(await bucketState(bucket)).toEqual(before);
  });

  it('leaves exempt and compliant buckets alone and reports a deleted bucket as gone', async () => {
    const exempt = uniqueName('phi-exempt');
    await seed.createPublicBucket(s3, exempt);
    await seed.tagBucket(s3, exempt, { 'phiguard:exempt': 'press kit' });
    const compliant = uniqueName('phi-ok');
    await seed.createCompliantBucket(s3, compliant);
    const exemptBefore = await bucketState(exempt);
    const compliantBefore = await bucketState(compliant);

    const s3Rules = rules.filter((r) => r.resourceType === 'AWS::S3::Bucket');
    expect(
      (await applyHandler(bucketEvent('s3/PutBucketAcl.public-read', exempt), context)).outcomes.map(
        (o) => o.status,
      ),
    ).toEqual(s3Rules.map((r) => drifted(r.id, 'exempt')));
    expect(
      (await applyHandler(bucketEvent('s3/PutBucketPolicy.public', compliant), context)).outcomes.map(
        (o) => o.status,
      ),
    ).toEqual(s3Rules.map(() => 'compliant'));
    expect(
      (await applyHandler(bucketEvent('s3/PutBucketAcl.public-read', uniqueName('never-made')), context))
        .outcomes[0]?.status,
    ).toBe('gone');
    expect(await bucketState(exempt)).toEqual(exemptBefore);
    expect(await bucketState(compliant)).toEqual(compliantBefore);
  });

  it('ignores its own calls and failed calls (loop prevention)', async () => {
    const bucket = uniqueName('phi-loop');
    await seed.createPublicBucket(s3, bucket);
    const before = await bucketState(bucket);
    const failed = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    failed.detail.errorCode = 'AccessDenied';
    expect(
      (await applyHandler(asSelf(bucketEvent('s3/PutBucketAcl.public-read', bucket)), context)).outcomes[0]
        ?.status,
    ).toBe('ignored');
    expect((await applyHandler(failed, context)).outcomes[0]?.status).toBe('ignored');
    expect(await bucketState(bucket)).toEqual(before);
  });

  it('rejects a malformed event (so Lambda retries and dead-letters it) and writes nothing', async () => {
    const bucket = uniqueName('phi-malformed');
    await seed.createPublicBucket(s3, bucket);
    const before = await bucketState(bucket);
    const broken = bucketEvent('s3/PutBucketAcl.public-read', bucket) as Record<string, unknown>;
    (broken.detail as Record<string, unknown>).eventSource = undefined;
    // resetModules gave the handler its own copy of the errors module: compare by name.
    await expect(applyHandler(broken, context)).rejects.toMatchObject({
      name: 'InvalidEventError',
      message: expect.stringContaining('eventSource'),
    });
    await expect(applyHandler('not an event', context)).rejects.toThrow(/must be a JSON object/);
    expect(await bucketState(bucket)).toEqual(before);
  });

  it('redirects an ALB HTTP listener to HTTPS; an ALB without HTTPS is a ticket and unchanged', async () => {
    const clients = motoClients();
    const vpc = await seed.createVpc(clients.ec2(), REGION, 2);
    const acm = seed.createAcmClient(REGION);
    // Both log, so each event's one finding is its listener.
    const accessLogsTo = uniqueName('alb-logs');
    const withHttps = await seed.createAlb(clients.elbv2(), acm, vpc, uniqueName('alb-a'), {
      https: true,
      accessLogsTo,
    });
    const httpOnly = await seed.createAlb(clients.elbv2(), acm, vpc, uniqueName('alb-b'), {
      https: false,
      accessLogsTo,
    });

    const fixed = await applyHandler(
      listenerEvent(
        'elasticloadbalancing/CreateListener.http',
        withHttps.loadBalancerArn,
        withHttps.httpListenerArn,
      ),
      context,
    );
    const ticket = await applyHandler(
      listenerEvent(
        'elasticloadbalancing/ModifyListener.forward',
        httpOnly.loadBalancerArn,
        httpOnly.httpListenerArn,
      ),
      context,
    );
    // Every rule of the balancer is evaluated; the listener is the one drift.
    const byRule = (outcomes: { rule: string; status: string; resource: string }[]) =>
      outcomes.map((o) => [o.rule, o.status, o.resource]);
    expect(byRule(fixed.outcomes)).toEqual([
      ['elb-listener-plaintext', 'remediated', withHttps.loadBalancerArn],
      ['elb-access-logging', 'compliant', withHttps.loadBalancerArn],
    ]);
    expect(byRule(ticket.outcomes)).toEqual([
      ['elb-listener-plaintext', 'ticket', httpOnly.loadBalancerArn],
      ['elb-access-logging', 'compliant', httpOnly.loadBalancerArn],
    ]);

    const actionsOf = async (lb: string) => {
      const out = await clients.elbv2().send(new DescribeListenersCommand({ LoadBalancerArn: lb }));
      return Object.fromEntries((out.Listeners ?? []).map((l) => [l.Protocol, l.DefaultActions?.[0]]));
    };
    expect((await actionsOf(withHttps.loadBalancerArn)).HTTP).toMatchObject({
      Type: 'redirect',
      RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
    });
    expect((await actionsOf(withHttps.loadBalancerArn)).HTTPS).toMatchObject({ Type: 'forward' });
    expect((await actionsOf(httpOnly.loadBalancerArn)).HTTP).toMatchObject({ Type: 'forward' });

    // A balancer deleted before its event is handled is gone (DescribeListeners says so), not an error.
    await clients.elbv2().send(new DeleteLoadBalancerCommand({ LoadBalancerArn: httpOnly.loadBalancerArn }));
    const late = await applyHandler(
      listenerEvent(
        'elasticloadbalancing/CreateListener.http',
        httpOnly.loadBalancerArn,
        httpOnly.httpListenerArn,
      ),
      context,
    );
    expect(late.outcomes.map((o) => o.status)).toEqual(['gone', 'gone']);
  });

  it('DeleteFlowLogs: the VPC that lost its flow log gets exactly one back, delivered twice', async () => {
    // Its own region, so no other test's VPCs are in scope of "every VPC".
    const region = 'us-west-2';
    useMoto();
    const ec2: EC2Client = localClients(region).ec2();
    const destination = `arn:aws:s3:::${FLOW_LOG_BUCKET}`;
    const logged = await seed.createVpc(ec2, region);
    await seed.createFlowLog(ec2, logged.vpcId, destination);
    const drifted = await seed.createVpc(ec2, region);
    await seed.deleteFlowLog(ec2, await seed.createFlowLog(ec2, drifted.vpcId, destination));

    const event = inRegion(loadFixture('ec2/DeleteFlowLogs.single'), region);
    const first = await applyHandler(event, context);
    const second = await applyHandler(structuredClone(event), context);

    const statusOf = (result: Awaited<ReturnType<Handler>>, vpcId: string) =>
      result.outcomes.find((o) => o.resource.endsWith(vpcId))?.status;
    expect(statusOf(first, drifted.vpcId)).toBe('remediated');
    expect(statusOf(first, logged.vpcId)).toBe('compliant');
    // The same event delivered again is a duplicate: no guarded API is called at all.
    expect(second.outcomes.map((o) => o.status)).toEqual(['duplicate']);

    const flowLogsOf = async (vpcId: string) =>
      (await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpcId] }] })))
        .FlowLogs ?? [];
    expect(await flowLogsOf(drifted.vpcId)).toMatchObject([
      { TrafficType: 'ALL', LogDestination: destination, FlowLogStatus: 'ACTIVE' },
    ]);
    expect(await flowLogsOf(logged.vpcId)).toHaveLength(1);
  });

  it('never writes PHI-bearing content (object keys, tag values, policy bodies) to logs or results', async () => {
    const CANARY = 'CANARY-PHI-7f3a9c';
    const { result: results, text: logged } = await captureFunctionLogs(async () => {
      const verbose = await loadHandler({
        PHIGUARD_LEDGER_TABLE: LEDGER_TABLE,
        PHIGUARD_DRY_RUN: 'false',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${FLOW_LOG_BUCKET}`,
        PHIGUARD_ACCESS_LOGS_BUCKET: ACCESS_LOGS,
      });
      const exempt = uniqueName('phi-canary-exempt');
      await seed.createPublicBucket(s3, exempt);
      await seed.tagBucket(s3, exempt, { 'phiguard:exempt': CANARY, owner: CANARY });
      const merged = uniqueName('phi-canary-policy');
      await seed.createPublicBucket(s3, merged, [
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${merged}/${CANARY}/*`,
        },
      ]);
      const policyEvent = bucketEvent('s3/PutBucketPolicy.public', merged);
      (policyEvent.detail.requestParameters as Record<string, unknown>).bucketPolicy = {
        Statement: [{ Resource: CANARY }],
      };
      const keyEvent = bucketEvent('s3/PutBucketAcl.public-read', exempt);
      (keyEvent.detail.requestParameters as Record<string, unknown>).key = `${CANARY}/patient-123.pdf`;

      const results = [await verbose(keyEvent, context), await verbose(policyEvent, context)];
      await expect(
        verbose({ 'detail-type': 'AWS API Call via CloudTrail', detail: { secret: CANARY } }, context),
      ).rejects.toThrow();
      return results;
    });

    // Every S3 rule of each bucket: all exempt on one, all fixed on the other.
    const s3Rules = rules.filter((r) => r.resourceType === 'AWS::S3::Bucket');
    expect(results.flatMap((r) => r.outcomes.map((o) => o.status))).toEqual([
      ...s3Rules.map((r) => drifted(r.id, 'exempt')),
      ...s3Rules.map((r) => drifted(r.id, 'remediated')),
    ]);
    expect(logged).toContain('"message":"remediation outcome"');
    expect(logged).not.toContain(CANARY);
    expect(JSON.stringify(results)).not.toContain(CANARY);
  });
});
