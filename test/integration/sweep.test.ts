import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEDGER_ITEM_ACTIONS } from '../../infra/stack-fragments';
import { localClients } from '../../local/clients';
import { bucketEvent } from '../../local/fixtures';
import { emulatorEnv } from '../../local/moto-server';
import {
  isRead,
  type RecordedCall,
  type RecordingProxy,
  startRecordingProxy,
  throttlingFault,
} from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { seedCompliantDataStores } from '../../local/seed-data-stores';
import { rules } from '../../remediations';
import { createAwsClients, createClientPool } from '../../src/aws-clients';
import { loadConfig } from '../../src/config';
import { Engine } from '../../src/engine/engine';
import { DynamoDbLedger } from '../../src/ledger/dynamodb-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import type { Outcome } from '../../src/outcome';
import { ec2 } from '../../src/resources/ec2/vpc';
import { kms } from '../../src/resources/kms/key';
import { s3 } from '../../src/resources/s3/bucket';
import type { Rule } from '../../src/rule';
import { catalogueJson } from '../../src/sweep/catalogue';
import { planShards } from '../../src/sweep/shard';
import { Sweeper } from '../../src/sweep/sweeper';
import { runPhiguard } from '../support/cli';
import { lambdaContext, loadHandler } from '../support/handler';
import { iamActionsOf } from '../support/iam-actions';
import { motoEndpoint, uniqueName } from '../support/moto';
import { type EmulatorSeed, scenariosOf } from '../support/scenario';

/**
 * The sweep against a seeded account in regions no other test file uses (moto
 * is shared), through a recording proxy so API calls are counted on the wire.
 * PHI Guard's own infrastructure (the registry table, the sweep queues) lives in
 * a region of its own, which no sweep here scans: a rule on tables or queues
 * must never find the test's own.
 */
const REGION = 'ap-southeast-2';
const INFRA_REGION = 'eu-south-1';
/** The rules the seeded account below is built for: a rule added later does not change what this test expects. */
const RULES_UNDER_TEST = [
  's3-bucket-tls-only',
  's3-bucket-public-access',
  's3-bucket-encryption',
  'elb-listener-plaintext',
  'classic-elb-listener-plaintext',
  'vpc-flow-logs',
];
const ACCOUNT = '123456789012';
const dir = mkdtempSync(join(tmpdir(), 'phiguard-sweep-'));
const TABLE = uniqueName('sweep-ledger');
let proxy: RecordingProxy;
let env: Record<string, string>;

interface Seeded {
  publicBuckets: string[];
  unencrypted: string;
  compliant: string[];
  flowLogBucket: string;
  fixableAlb: string;
  httpOnlyAlb: string;
  loggedVpcs: string[];
  unloggedVpcs: string[];
}
let account: Seeded;

/** Seeding talks to moto directly, so the proxy only sees PHI Guard's calls. */
function direct(region = REGION) {
  return localClients(region, { endpoint: motoEndpoint() });
}

async function seedAccount(): Promise<Seeded> {
  const clients = direct();
  const s3 = clients.s3();
  const ec2 = clients.ec2();
  const flowLogBucket = uniqueName('sweep-flow-logs');
  await seed.createCompliantBucket(s3, flowLogBucket);
  const destination = `arn:aws:s3:::${flowLogBucket}`;
  const publicBuckets = [uniqueName('sweep-public'), uniqueName('sweep-public')];
  for (const bucket of publicBuckets) await seed.createPublicBucket(s3, bucket);
  // Private and TLS-only, but not encrypted: one finding only.
  const unencrypted = uniqueName('sweep-plain');
  await seed.createCompliantBucket(s3, unencrypted);
  await s3.send(
    new (await import('@aws-sdk/client-s3')).DeleteBucketEncryptionCommand({ Bucket: unencrypted }),
  );
  const compliant = [uniqueName('sweep-ok'), uniqueName('sweep-ok')];
  for (const bucket of compliant) await seed.createCompliantBucket(s3, bucket);

  const albVpc = await seed.createVpc(ec2, REGION, 2);
  await seed.createFlowLog(ec2, albVpc.vpcId, destination);
  const acm = new (await import('@aws-sdk/client-acm')).ACMClient({
    region: REGION,
    endpoint: motoEndpoint(),
  });
  const fixable = await seed.createAlb(clients.elbv2(), acm, albVpc, uniqueName('sweep-alb'), {
    https: true,
  });
  const httpOnly = await seed.createAlb(clients.elbv2(), acm, albVpc, uniqueName('sweep-alb'), {
    https: false,
  });
  const logged = await seed.createVpc(ec2, REGION);
  await seed.createFlowLog(ec2, logged.vpcId, destination);
  const unlogged = await seed.createVpc(ec2, REGION);
  const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({}));
  const defaultVpc = Vpcs.find((v) => v.IsDefault)?.VpcId as string;
  return {
    publicBuckets,
    unencrypted,
    compliant,
    flowLogBucket,
    fixableAlb: fixable.loadBalancerArn,
    httpOnlyAlb: httpOnly.loadBalancerArn,
    loggedVpcs: [albVpc.vpcId, logged.vpcId],
    unloggedVpcs: [unlogged.vpcId, defaultVpc],
  };
}

const vpcArn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${id}`;
const bucketArn = (name: string) => `arn:aws:s3:::${name}`;
const key = (o: Pick<Outcome, 'rule' | 'resource' | 'status'>) => `${o.status} ${o.rule} ${o.resource}`;
const QUIET = new Set(['compliant', 'gone', 'ignored', 'duplicate']);
/** What a `scan --format json` reported beyond the quiet statuses, one sorted line per outcome. */
const reportedFindings = (stdout: string) =>
  (JSON.parse(stdout).outcomes as Outcome[])
    .filter((o) => !QUIET.has(o.status))
    .map(key)
    .sort();
/** A call that changes a guarded resource (the registry's own items aside). */
const isWrite = (c: RecordedCall) => c.service !== 'dynamodb' && !isRead(c);

function scan(args: string[], extraEnv: Record<string, string> = {}) {
  return runPhiguard(['scan', '--region', REGION, ...args], { env: { ...env, ...extraEnv }, cwd: dir });
}

/** A scan of the rules the seeded account was built for. */
const scanSeeded = (args: string[]) => scan([...RULES_UNDER_TEST.flatMap((id) => ['--rule', id]), ...args]);

beforeAll(async () => {
  // DynamoDB's atomic conditional writes (moto's threads do not give them): an event races the sweep.
  proxy = await startRecordingProxy(motoEndpoint(), { serializeDynamoDb: true });
  Object.assign(process.env, emulatorEnv(motoEndpoint(), REGION));
  account = await seedAccount();
  env = {
    ...emulatorEnv(proxy.endpoint, INFRA_REGION),
    PHIGUARD_LEDGER_TABLE: TABLE,
    PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${account.flowLogBucket}`,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  // From here on, in-process PHI Guard code talks to the emulator through the proxy.
  Object.assign(process.env, env);
  await initLedgerTable(new DynamoDBClient({ region: INFRA_REGION, endpoint: motoEndpoint() }), TABLE);
});

afterAll(async () => {
  await proxy?.close();
});

describe('phiguard scan over a seeded account', () => {
  it('finds exactly the drift, fixes it with --apply, and a second sweep finds only what needs a person and writes nothing', async () => {
    const expected = [
      ...account.publicBuckets.flatMap((b) => [
        `would-remediate s3-bucket-tls-only ${bucketArn(b)}`,
        `would-remediate s3-bucket-public-access ${bucketArn(b)}`,
        `would-remediate s3-bucket-encryption ${bucketArn(b)}`,
      ]),
      `would-remediate s3-bucket-encryption ${bucketArn(account.unencrypted)}`,
      `would-remediate elb-listener-plaintext ${account.fixableAlb}`,
      `ticket elb-listener-plaintext ${account.httpOnlyAlb}`,
      ...account.unloggedVpcs.map((v) => `would-remediate vpc-flow-logs ${vpcArn(v)}`),
    ].sort();

    proxy.reset();
    const dry = await scanSeeded(['--format', 'json']);
    expect(dry.code).toBe(2);
    expect(reportedFindings(dry.stdout)).toEqual(expected);
    expect(proxy.calls.filter(isWrite)).toEqual([]);
    // At most 4 reads per compliant bucket for all three S3 rules together.
    for (const bucket of account.compliant) {
      expect(proxy.count((c) => c.bucket === bucket)).toEqual({
        GetPublicAccessBlock: 1,
        GetBucketAcl: 1,
        GetBucketPolicy: 1,
        GetBucketEncryption: 1,
      });
    }
    // The region's VPCs and their flow logs are read in one batch each, not VPC by VPC.
    expect(proxy.count((c) => c.operation === 'DescribeFlowLogs' || c.operation === 'DescribeVpcs')).toEqual({
      DescribeVpcs: 2, // the listing, and the batch read
      DescribeFlowLogs: 1,
    });

    const applied = await scanSeeded(['--apply', '--format', 'json']);
    expect(applied.code).toBe(2);
    expect(reportedFindings(applied.stdout)).toEqual(
      expected.map((line) => line.replace('would-remediate', 'remediated')).sort(),
    );

    proxy.reset();
    const again = await scanSeeded(['--apply', '--format', 'json']);
    expect(again.code).toBe(2);
    expect(reportedFindings(again.stdout)).toEqual([`ticket elb-listener-plaintext ${account.httpOnlyAlb}`]);
    expect(proxy.calls.filter(isWrite)).toEqual([]);
  });

  it('formats: a readable table, a markdown review document, and exit 0 when nothing remains', async () => {
    expect((await scan(['--apply', '--rule', 's3-bucket-tls-only'])).code).toBe(0);
    const table = await scan(['--rule', 's3-bucket-tls-only']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /PHI Guard scan of 123456789012 in ap-southeast-2 \(dry-run; --apply to fix\)/,
    );
    expect(table.stdout).toMatch(/RULE\s+COMPLIANT\n-+\s+-+\ns3-bucket-tls-only\s+\d+/);

    const bucket = uniqueName('sweep-review');
    await seed.createPublicBucket(direct().s3(), bucket);
    const markdown = await scan(['--rule', 's3-bucket-public-access', '--format', 'markdown']);
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain('# PHI Guard scan — account 123456789012');
    expect(markdown.stdout).toContain(
      `### would-remediate: \`s3-bucket-public-access\` on \`${bucketArn(bucket)}\``,
    );
    expect(markdown.stdout).toContain('HIPAA safeguard: §164.312(a)(1)');
    expect(markdown.stdout).toContain('Calls `--apply` would make');
    expect(markdown.stdout).toContain('"s3:PutPublicAccessBlock"');

    // For a SIEM: one OCSF Compliance Finding per line, the drifted bucket failing.
    const ocsf = await scan(['--rule', 's3-bucket-public-access', '--format', 'ocsf']);
    expect(ocsf.code).toBe(2);
    const events = ocsf.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const drifted = events.find((e) => e.resources[0].uid === bucketArn(bucket));
    expect(drifted).toMatchObject({
      class_uid: 2003,
      compliance: { status: 'Fail', control: 's3-bucket-public-access' },
      cloud: { account: { uid: '123456789012' }, region: 'ap-southeast-2' },
    });
    expect(events.every((e) => e.metadata.version === '1.1.0')).toBe(true);
    // For a spreadsheet: the same outcomes, one row each under the header.
    const csv = await scan(['--rule', 's3-bucket-public-access', '--format', 'csv']);
    expect(csv.code).toBe(2);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^account,region,rule,resource,/);
    expect(rows).toHaveLength(events.length + 1);
    expect(rows).toContainEqual(
      expect.stringContaining(`,${bucketArn(bucket)},AWS::S3::Bucket,would-remediate,`),
    );
  });

  it('exits 1 when a fix fails, and refuses bad options', async () => {
    const failing = await scan(
      ['--apply', '--rule', 'vpc-flow-logs', '--region', 'sa-east-1', '--format', 'json'],
      {
        PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${uniqueName('no-such-destination')}`,
      },
    );
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).outcomes.map((o: Outcome) => o.status)).toContain('error');
    expect((await scan(['--rule', 'nope'])).code).toBe(1);
    expect((await scan(['--format', 'xml'])).code).toBe(1);
    expect((await scan(['--concurrency', '0'])).stderr).toMatch(/--concurrency must be a whole number/);
  });
});

describe('least privilege on the wire', () => {
  it('every AWS call a sweep makes, in dry-run and apply, is an IAM action its rules or its registry role declare', async () => {
    // A region of its own with one drifted resource of every rule (its scenario's seed),
    // so every rule reads, plans and fixes (or tickets) on the wire.
    const region = 'us-west-1';
    const clients = createAwsClients({ region, overrides: { endpoint: motoEndpoint() } });
    const seeded: { rule: Rule; arn: string; seed: EmulatorSeed }[] = [];
    for (const rule of rules) {
      const { emulator } = await scenariosOf(rule.id);
      if ('unsupported' in emulator) continue; // proven with client mocks only (test/contract/permissions)
      seeded.push({ rule, arn: await emulator.seed(clients, region), seed: emulator });
    }
    await seed.createCompliantBucket(clients.get(s3), uniqueName('iam-ok'));

    proxy.reset();
    const settings = Object.assign(
      { PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${account.flowLogBucket}` },
      ...seeded.map(({ seed: scenario }) => scenario.env ?? {}),
    );
    // This region only (the scan helper would add the seeded account's region).
    const scanHere = (args: string[]) =>
      runPhiguard(['scan', '--region', region, ...args], { env: { ...env, ...settings }, cwd: dir });
    expect((await scanHere(['--format', 'json'])).code).toBe(2);
    const applied = await scanHere(['--apply', '--format', 'json']);
    const outcomes = JSON.parse(applied.stdout).outcomes as Outcome[];
    expect(
      outcomes.filter((o) => o.status === 'error').map((o) => `${o.rule} ${o.resource}: ${o.reason}`),
    ).toEqual([]);
    expect(applied.code).not.toBe(1);
    for (const { rule, arn, seed: scenario } of seeded) {
      expect(outcomes.find((o) => o.rule === rule.id && o.resource === arn)?.status, rule.id).toBe(
        scenario.expect,
      );
      // What the fix left, read back through the SDK (not through the rule).
      if (scenario.expect === 'remediated') await scenario.fixed?.(clients, arn);
    }

    // The sweep worker's role: the rules' actions and its registry items.
    const declared = new Set([
      ...rules.flatMap((r) => [...r.permissions.read, ...r.permissions.write]),
      ...LEDGER_ITEM_ACTIONS,
    ]);
    const used = new Set(proxy.calls.flatMap(iamActionsOf));
    expect([...used].filter((action) => !declared.has(action))).toEqual([]);
    // Every rule that fixed its resource did so with a write it declares, seen on the wire:
    // so an undeclared write could not hide.
    for (const { rule, seed: scenario } of seeded) {
      if (scenario.expect !== 'remediated') continue;
      expect(
        rule.permissions.write.filter((action) => used.has(action)),
        rule.id,
      ).not.toEqual([]);
    }
  });
});

describe('a mixed account: one drift of each kind beside compliant data stores', () => {
  it('is found exactly by phiguard scan, fixed by --apply except the tickets, and a rescan writes nothing', async () => {
    const region = 'ap-northeast-2';
    const clients = createAwsClients({ region, overrides: { endpoint: motoEndpoint() } });
    const seeded: { rule: Rule; arn: string; seed: EmulatorSeed }[] = [];
    for (const rule of rules) {
      const { emulator } = await scenariosOf(rule.id);
      if ('unsupported' in emulator) continue;
      seeded.push({ rule, arn: await emulator.seed(clients, region), seed: emulator });
    }
    const settings: Record<string, string> = Object.assign(
      {
        PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${account.flowLogBucket}`,
        // moto's EMR serves every Region from us-east-1 when reached through an endpoint URL,
        // so block public access is one setting shared by every test file, turned on by
        // whichever sweeps with --apply first: it cannot be expected exactly here (client
        // mocks test the rule; test/scenarios/emr-block-public-access.ts).
        PHIGUARD_RULE_MODES: 'emr-block-public-access=off',
      },
      ...seeded.map(({ seed: scenario }) => scenario.env ?? {}),
    );
    const logBucket = settings.PHIGUARD_ACCESS_LOGS_BUCKET?.replace('{region}', region) as string;
    // Made after the drifted ones: encryption by default would encrypt the drifted volume.
    const compliant = await seedCompliantDataStores(clients, region, uniqueName('mixed'), logBucket, {
      ebsEncryptionByDefault: false,
    });

    // What the emulator adds to the seeded drift: its default VPC and the VPCs the load
    // balancer scenarios made have no flow log, it answers require_ssl=false for every
    // Redshift parameter group (ModifyClusterParameterGroup is not implemented), and the
    // keys it makes for AWS services (alias/aws/ebs, …) are customer-managed ones there.
    const vpcs = await clients.get(ec2).send(new DescribeVpcsCommand({}));
    const aliases = await clients.get(kms).send(new ListAliasesCommand({}));
    const keys = new Set(
      ((await clients.get(kms).send(new ListKeysCommand({}))).Keys ?? []).map((k) => k.KeyId),
    );
    // Only the keys it made: it lists every alias/aws/* whether or not its key exists yet.
    const serviceKeys = (aliases.Aliases ?? []).filter(
      (a) => a.AliasName?.startsWith('alias/aws/') && keys.has(a.TargetKeyId),
    );
    const drifted = new Set(seeded.map(({ rule, arn }) => `${rule.id} ${arn}`));
    const emulatorDrift = [
      ...(vpcs.Vpcs ?? []).map((v) => `vpc-flow-logs arn:aws:ec2:${region}:${ACCOUNT}:vpc/${v.VpcId}`),
      ...serviceKeys.map((a) => `kms-key-rotation arn:aws:kms:${region}:${ACCOUNT}:key/${a.TargetKeyId}`),
      ...[...seeded.map(({ arn }) => arn), ...(compliant['AWS::Redshift::Cluster'] ?? [])]
        .filter((arn) => arn.startsWith('arn:aws:redshift:'))
        .map((arn) => `redshift-cluster-tls-enforced ${arn}`),
    ].filter((pair) => !drifted.has(pair));
    const fixable = (pair: string) =>
      pair.startsWith('redshift-cluster-tls-enforced') ? 'ticket' : 'would-remediate';
    const expected = [
      ...seeded.map(
        ({ rule, arn, seed: scenario }) =>
          `${scenario.expect === 'remediated' ? 'would-remediate' : 'ticket'} ${rule.id} ${arn}`,
      ),
      ...emulatorDrift.map((pair) => `${fixable(pair)} ${pair}`),
    ].sort();

    const scanHere = (args: string[]) =>
      runPhiguard(['scan', '--region', region, '--format', 'json', ...args], {
        env: { ...env, ...settings },
        cwd: dir,
      });
    proxy.reset();
    const dry = await scanHere([]);
    expect(dry.code).toBe(2);
    expect(reportedFindings(dry.stdout)).toEqual(expected);
    expect(proxy.calls.filter(isWrite)).toEqual([]);
    // The compliant neighbours were judged compliant by every rule of their type.
    const dryOutcomes = JSON.parse(dry.stdout).outcomes as Outcome[];
    for (const [type, arns] of Object.entries(compliant)) {
      for (const arn of arns) {
        const statuses = dryOutcomes.filter((o) => o.resource === arn).map((o) => `${o.rule} ${o.status}`);
        const judged = rules.filter((r) => r.resourceType === type).map((r) => r.id);
        expect(statuses.length, `${type} ${arn}`).toBe(judged.length);
        expect(
          statuses.filter((s) => !s.endsWith(' compliant') && !s.startsWith('redshift-cluster-tls-enforced')),
          arn,
        ).toEqual([]);
      }
    }

    // What the fixes leave for a person on the same resources.
    const leftTickets = seeded.flatMap(({ arn, seed: scenario }) =>
      (scenario.leavesTickets ?? []).map((rule) => `ticket ${rule} ${arn}`),
    );
    const applied = await scanHere(['--apply']);
    expect(reportedFindings(applied.stdout)).toEqual(
      [...expected.map((line) => line.replace('would-remediate', 'remediated')), ...leftTickets].sort(),
    );

    proxy.reset();
    const again = await scanHere(['--apply']);
    expect(again.code).toBe(2);
    expect(reportedFindings(again.stdout)).toEqual(
      [...expected.filter((line) => line.startsWith('ticket ')), ...leftTickets].sort(),
    );
    expect(proxy.calls.filter(isWrite)).toEqual([]);
  });
});

describe('the sweep and events together', () => {
  it('a bucket drifted and evented while a sweep runs is fixed once', async () => {
    const region = 'ca-central-1';
    const clients = direct(region);
    const buckets = Array.from({ length: 6 }, () => uniqueName('race'));
    for (const bucket of buckets) await seed.createOpenBucket(clients.s3(), bucket);
    // The registry table stays in its own region; the event and the sweep are about `region`.
    const raceEnv = { ...env, PHIGUARD_DRY_RUN: 'false' };
    const handler = await loadHandler(raceEnv);
    const config = loadConfig(raceEnv, '/nonexistent', rules);
    const engine = new Engine({
      rules,
      config,
      ledger: new DynamoDbLedger(TABLE, new DynamoDBClient({ region: INFRA_REGION })),
      clientsFor: createClientPool(),
    });
    const sweeper = new Sweeper(engine, { concurrency: 4 });
    const [shard] = planShards(rules, {
      runId: 'race',
      accounts: [ACCOUNT],
      regions: [region],
      ruleIds: ['s3-bucket-public-access'],
    });
    proxy.reset();
    const events = buckets.map((b) => inRegionEvent(b, region));
    await Promise.all([sweeper.runShard(shard as never), ...events.map((e) => handler(e, lambdaContext))]);
    for (const bucket of buckets) {
      expect(proxy.count((c) => c.bucket === bucket && isWrite(c))).toEqual({
        PutBucketAcl: 1,
        PutPublicAccessBlock: 1,
      });
    }
  });
});

function inRegionEvent(bucket: string, region: string) {
  const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
  event.region = region;
  event.detail.awsRegion = region;
  return event;
}

describe('throttling', () => {
  it('slows the sweep but loses no resource', async () => {
    // Each distinct request is throttled at most once, a quarter of them: the SDK's adaptive retry recovers.
    const seen = new Set<string>();
    let counter = 0;
    let throttled = 0;
    const throttlingProxy = await startRecordingProxy(motoEndpoint(), {
      fault: (call, body) => {
        if (call.service === 'dynamodb') return undefined;
        const id = createHash('sha256')
          .update(`${call.method} ${call.path} ${call.operation} ${body}`)
          .digest('hex');
        if (seen.has(id) || ++counter % 4 !== 0) return undefined;
        seen.add(id);
        throttled++;
        return throttlingFault(call);
      },
    });
    try {
      const result = await runPhiguard(['scan', '--region', REGION, '--format', 'json'], {
        env: { ...env, ...emulatorEnv(throttlingProxy.endpoint, INFRA_REGION) },
        cwd: dir,
      });
      const outcomes = JSON.parse(result.stdout).outcomes as Outcome[];
      expect(throttled).toBeGreaterThan(5);
      expect(outcomes.filter((o) => o.status === 'error')).toEqual([]);
      // Every rule saw every resource it lists: 3 S3 rules per bucket, one per load balancer and VPC.
      const resources = (rule: string) =>
        new Set(outcomes.filter((o) => o.rule === rule).map((o) => o.resource));
      for (const bucket of [...account.publicBuckets, ...account.compliant, account.unencrypted]) {
        for (const rule of ['s3-bucket-tls-only', 's3-bucket-public-access', 's3-bucket-encryption']) {
          expect(resources(rule)).toContain(bucketArn(bucket));
        }
      }
      expect(resources('elb-listener-plaintext')).toEqual(new Set([account.fixableAlb, account.httpOnlyAlb]));
      expect(resources('vpc-flow-logs')).toEqual(
        new Set([...account.loggedVpcs, ...account.unloggedVpcs].map(vpcArn)),
      );
    } finally {
      await throttlingProxy.close();
    }
  });
});

describe('sweep Lambdas', () => {
  // The sweep queue lives in PHI Guard's own region, like the handlers' clients.
  const sqs = () => new SQSClient({ region: INFRA_REGION, endpoint: motoEndpoint() });

  async function importHandler<T>(path: string, extra: Record<string, string>): Promise<T> {
    vi.resetModules();
    Object.assign(process.env, env, extra);
    return (await import(path)).handler as T;
  }

  it('the coordinator enqueues one shard per (region, resource type) with the rules of that type', async () => {
    const queueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('shards') })))
      .QueueUrl as string;
    const coordinator = await importHandler<(e: unknown, c: Context) => Promise<{ shards: number }>>(
      '../../handlers/sweep-coordinator',
      {
        PHIGUARD_SWEEP_QUEUE_URL: queueUrl,
        PHIGUARD_SWEEP_REGIONS: 'us-east-1,eu-west-1',
        PHIGUARD_SWEEP_RULES: catalogueJson(rules),
      },
    );
    // One shard per (region, resource type), holding every rule of that type in registry order.
    const types = [...new Set(rules.map((rule) => rule.resourceType))];
    const expected = ['us-east-1', 'eu-west-1'].flatMap((region) =>
      types.map(
        (type) =>
          `${region} ${type} ${rules
            .filter((rule) => rule.resourceType === type)
            .map((rule) => rule.id)
            .join('+')}`,
      ),
    );
    expect(await coordinator({ id: 'run-42' }, lambdaContext)).toMatchObject({ shards: expected.length });
    const shards = [];
    for (let received = 1; received > 0 && shards.length < expected.length; ) {
      const out = await sqs().send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      received = out.Messages?.length ?? 0;
      shards.push(...(out.Messages ?? []).map((m) => JSON.parse(m.Body as string)));
    }
    expect(shards.map((s) => `${s.region} ${s.resourceType} ${s.rules.join('+')}`).sort()).toEqual(
      expected.sort(),
    );
    expect(shards.find((s) => s.resourceType === 'AWS::S3::Bucket')?.rules.slice(0, 3)).toEqual([
      's3-bucket-tls-only',
      's3-bucket-public-access',
      's3-bucket-encryption',
    ]);
    expect(new Set(shards.map((s) => `${s.runId} ${s.account}`))).toEqual(new Set(['run-42 123456789012']));
    // Each shard carries its run's start and size, for the run's record the workers keep.
    expect(new Set(shards.map((s) => s.total))).toEqual(new Set([expected.length]));
    expect(new Set(shards.map((s) => typeof s.startedAt))).toEqual(new Set(['string']));
  });

  it('a worker out of time continues its shard from the pagination token, and every resource is swept once', async () => {
    const region = 'sa-east-1';
    const elb = new ElasticLoadBalancingClient({ region, endpoint: motoEndpoint() });
    const names = Array.from({ length: 7 }, (_, i) => `legacy-${i}-${randomUUID().slice(0, 8)}`);
    for (const name of names) await seed.createPlaintextClassicLb(elb, region, name);
    const queueUrl = (await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('shards') })))
      .QueueUrl as string;
    type Worker = (e: unknown, c: Context) => Promise<{ batchItemFailures: unknown[] }>;
    const worker = await importHandler<Worker>('../../handlers/sweep-worker', {
      PHIGUARD_SWEEP_QUEUE_URL: queueUrl,
      PHIGUARD_SWEEP_PAGE_SIZE: '5',
      // Reserve more than the invocation has: the deadline has passed as soon as a page is done.
      PHIGUARD_SWEEP_RESERVE_SECONDS: '600',
      PHIGUARD_DRY_RUN: 'true',
    });
    const runId = randomUUID();
    const startedAt = new Date().toISOString();
    const [shard] = planShards(rules, {
      runId,
      accounts: [ACCOUNT],
      regions: [region],
      ruleIds: ['classic-elb-listener-plaintext'],
      startedAt,
    });
    expect(
      await worker({ Records: [{ messageId: 'm1', body: JSON.stringify(shard) }] }, lambdaContext),
    ).toEqual({
      batchItemFailures: [],
    });
    const continued = await sqs().send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(continued.Messages).toHaveLength(1);
    const next = JSON.parse(continued.Messages?.[0]?.Body as string);
    expect(next).toMatchObject({ runId, region, pages: 1, token: expect.any(String) });
    // The continuation's page is the last one: nothing more is enqueued.
    expect(
      await worker({ Records: [{ messageId: 'm2', body: JSON.stringify(next) }] }, lambdaContext),
    ).toEqual({
      batchItemFailures: [],
    });
    expect((await sqs().send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages ?? []).toEqual([]);

    // Each plaintext load balancer was swept exactly once across the two invocations (a ticket each).
    const ledger = new DynamoDbLedger(
      TABLE,
      new DynamoDBClient({ region: INFRA_REGION, endpoint: motoEndpoint() }),
    );
    for (const name of names) {
      const history = await ledger.history({
        resource: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/${name}`,
      });
      expect(history.filter((h) => h.eventId === `sweep:${runId}`).map((h) => h.status)).toEqual(['ticket']);
    }
    // The run's record (phiguard status): its one shard done once its chain ended, not per invocation.
    const run = (await ledger.sweepRuns()).find((r) => r.runId === runId);
    expect(run).toMatchObject({ startedAt, shardsPlanned: 1, shardsDone: 1, errors: 0, failedAttempts: 0 });
    expect(run?.checked).toBeGreaterThanOrEqual(names.length);
    expect(run?.findings).toBeGreaterThanOrEqual(names.length);
  });
});
