import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DeletePublicAccessBlockCommand, PutBucketAclCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_ITEM_ACTIONS } from '../../infra/stack-fragments';
import { bucketEvent } from '../../local/fixtures';
import { emulatorEnv } from '../../local/moto-server';
import {
  isRead,
  type RecordedCall,
  type RecordingProxy,
  startRecordingProxy,
} from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { rules } from '../../remediations';
import { DynamoDbLedger } from '../../src/ledger/dynamodb-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import { type HistoryEntry, pairKey } from '../../src/ledger/ledger';
import { runPhiguard } from '../support/cli';
import { type Handler, lambdaContext, loadHandler } from '../support/handler';
import { iamActionsOf } from '../support/iam-actions';
import { motoEndpoint, REGION, uniqueName } from '../support/moto';

/**
 * The action registry against moto's DynamoDB, through the real handler (and
 * the CLI in separate processes). Every AWS call goes through a recording proxy,
 * so "exactly one set of writes" is counted on the wire, not inferred.
 */
const TABLE = uniqueName('phiguard-ledger');
const dir = mkdtempSync(join(tmpdir(), 'phiguard-ledger-'));

let proxy: RecordingProxy;
let env: Record<string, string>;
/** Seeding and breaking buckets bypasses the proxy: the proxy sees only PHI Guard's calls. */
let s3: S3Client;
let dynamodb: DynamoDBClient;
let apply: Handler;

const writesTo = (bucket: string) => (call: RecordedCall) =>
  call.service === 's3' && call.bucket === bucket && !isRead(call);
const dynamoCalls = (call: RecordedCall) => call.service === 'dynamodb';

/** The history of the rule these tests watch, on one resource (`rule: null`: of every rule). */
async function historyOf(
  resource: string,
  rule: string | null = 's3-bucket-public-access',
): Promise<HistoryEntry[]> {
  return new DynamoDbLedger(TABLE, dynamodb).history({ resource, rule: rule ?? undefined });
}

/** The outcome of the rule these tests watch (an event evaluates every rule of the bucket). */
const access = (result: { outcomes: { rule: string; status: string }[] } | undefined) =>
  result?.outcomes.find((o) => o.rule === 's3-bucket-public-access');

/** A bucket whose one drift is public access: every test here watches one rule's writes. */
async function publicBucket(prefix: string): Promise<string> {
  const bucket = uniqueName(prefix);
  await seed.createOpenBucket(s3, bucket);
  return bucket;
}

/** Breaks the bucket again the way a person or a pipeline would. */
async function reopen(bucket: string): Promise<void> {
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
}

function phiguard(args: string[], extraEnv: Record<string, string> = {}) {
  return runPhiguard(args, { env: { ...env, ...extraEnv }, cwd: dir });
}

beforeAll(async () => {
  // DynamoDB's atomic conditional writes, which moto's threads do not give: these tests race claims.
  proxy = await startRecordingProxy(motoEndpoint(), { serializeDynamoDb: true });
  env = {
    ...emulatorEnv(proxy.endpoint, REGION),
    PHIGUARD_LEDGER_TABLE: TABLE,
    // Every S3 rule can fix its drift here, server access logging included.
    PHIGUARD_ACCESS_LOGS_BUCKET: 'phiguard-ledger-logs-{region}',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  Object.assign(process.env, env);
  const { localClients } = await import('../../local/clients');
  s3 = localClients(REGION, { endpoint: motoEndpoint() }).s3();
  await seed.createLogBucket(s3, `phiguard-ledger-logs-${REGION}`);
  dynamodb = new DynamoDBClient({ region: REGION });
  await initLedgerTable(dynamodb, TABLE);
  apply = await loadHandler({ PHIGUARD_DRY_RUN: 'false' });
});

afterAll(async () => {
  await proxy?.close();
});

describe('event de-duplication and claims', () => {
  it('the same event delivered 5 times at once (in-process): one set of writes, one history record', async () => {
    const bucket = await publicBucket('dedup-inproc');
    const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => apply(structuredClone(event), lambdaContext)),
    );
    const statuses = results.map((r) => access(r)?.status).sort();
    expect(statuses).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'remediated']);
    expect(proxy.count(writesTo(bucket))).toEqual({ PutBucketAcl: 1, PutPublicAccessBlock: 1 });
    const history = await historyOf(`arn:aws:s3:::${bucket}`);
    expect(history.map((h) => h.status)).toEqual(['remediated']);
  });

  it('the same event delivered 5 times at once from separate processes (the CLI): one set of writes', async () => {
    const bucket = await publicBucket('dedup-procs');
    const file = join(dir, `${bucket}.json`);
    writeFileSync(file, JSON.stringify(bucketEvent('s3/PutBucketAcl.public-read', bucket)));
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => phiguard(['invoke', file, '--apply', '--json'])),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    const statuses = runs.map((r) => access({ outcomes: JSON.parse(r.stdout) })?.status).sort();
    expect(statuses).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'remediated']);
    expect(proxy.count(writesTo(bucket))).toEqual({ PutBucketAcl: 1, PutPublicAccessBlock: 1 });
    expect((await historyOf(`arn:aws:s3:::${bucket}`)).map((h) => h.status)).toEqual(['remediated']);
  });

  it('two different events for the same drift at once: each write at most once, the bucket ends compliant', async () => {
    const bucket = await publicBucket('two-events');
    const [a, b] = await Promise.all([
      apply(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext),
      apply(bucketEvent('s3/DeleteBucketPublicAccessBlock.basic', bucket), lambdaContext),
    ]);
    // The second waited for the first's claim, re-read live state and found it fixed.
    expect([access(a)?.status, access(b)?.status].sort()).toEqual(['compliant', 'remediated']);
    expect(proxy.count(writesTo(bucket))).toEqual({ PutBucketAcl: 1, PutPublicAccessBlock: 1 });
    const check = await apply(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    expect(access(check)?.status).toBe('compliant');
  });

  it('a new drift costs 4 DynamoDB calls beside compliant rules (3 alone) and a duplicate delivery 1, and the duplicate calls no guarded API', async () => {
    const bucket = await publicBucket('call-count');
    const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    proxy.reset();
    await apply(event, lambdaContext);
    // Marker, one batch read asking what the registry remembers of the bucket's three compliant
    // rules, the drifted rule's claim, and one transaction settling all four.
    expect(proxy.count(dynamoCalls)).toEqual({
      PutItem: 1,
      BatchGetItem: 1,
      UpdateItem: 1,
      TransactWriteItems: 1,
    });
    proxy.reset();
    const again = await apply(structuredClone(event), lambdaContext);
    expect(access(again)?.status).toBe('duplicate');
    expect(proxy.count(dynamoCalls)).toEqual({ PutItem: 1 });
    expect(proxy.calls.filter((c) => c.service !== 'dynamodb')).toEqual([]);
  });

  it('a compliant resource costs 3 DynamoDB calls, none of them a lock or a transaction, and is recorded', async () => {
    const bucket = uniqueName('compliant-count');
    await seed.createCompliantBucket(s3, bucket);
    const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    proxy.reset();
    const first = await apply(event, lambdaContext);
    expect(access(first)?.status).toBe('compliant');
    expect(proxy.count(dynamoCalls)).toEqual({ PutItem: 1, BatchGetItem: 1, BatchWriteItem: 1 });
    // Every S3 rule evaluated the bucket: one read of each setting for all of them.
    expect(proxy.count((c) => c.service === 's3' && c.bucket === bucket)).toEqual({
      GetPublicAccessBlock: 1,
      GetBucketAcl: 1,
      GetBucketPolicy: 1,
      GetBucketEncryption: 1,
      GetBucketVersioning: 1,
      GetBucketLogging: 1,
    });
    expect((await historyOf(`arn:aws:s3:::${bucket}`, null)).map((h) => h.status)).toEqual(
      rules.filter((r) => r.resourceType === 'AWS::S3::Bucket').map(() => 'compliant'),
    );
    // The marker was completed in the same batch: the redelivery is a duplicate, at 1 call.
    proxy.reset();
    const again = await apply(structuredClone(event), lambdaContext);
    expect(access(again)?.status).toBe('duplicate');
    expect(proxy.count(dynamoCalls)).toEqual({ PutItem: 1 });
    expect(proxy.calls.filter((c) => c.service !== 'dynamodb')).toEqual([]);
  });

  it('a finding fixed by a person is settled under the claim, so the next drift is announced at once', async () => {
    const bucket = await publicBucket('resolved-finding');
    const arn = `arn:aws:s3:::${bucket}`;
    const dryRun = await loadHandler({ PHIGUARD_DRY_RUN: 'true' });
    const found = await dryRun(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    expect(access(found)).toMatchObject({ status: 'would-remediate' });
    await seed.blockPublicAccess(s3, bucket);
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));

    proxy.reset();
    const fixed = await dryRun(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    expect(access(fixed)).toMatchObject({ status: 'compliant' });
    // The registry remembered an open finding: the claim path reset it.
    expect(proxy.count(dynamoCalls)).toEqual({
      PutItem: 1,
      BatchGetItem: 1,
      UpdateItem: 1,
      TransactWriteItems: 1,
    });

    await reopen(bucket);
    const again = await dryRun(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    // Not a repeat of the first finding (that one was resolved): people hear of it now.
    expect(access(again)).toMatchObject({ status: 'would-remediate' });
    expect(access(again)).not.toHaveProperty('repeat');
    expect((await historyOf(arn)).map((h) => h.status)).toEqual([
      'would-remediate',
      'compliant',
      'would-remediate',
    ]);
  });

  it('a claim abandoned mid-remediation is taken over once its lock expires, and the fix is applied once', async () => {
    const lockSeconds = 2;
    const handler = await loadHandler({
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_LOCK_SECONDS: String(lockSeconds),
    });
    const bucket = await publicBucket('crashed');
    const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    const resource = `arn:aws:s3:::${bucket}`;
    // Simulate the crash: an invocation marked the event and claimed the bucket, then died.
    const crashed = new DynamoDbLedger(TABLE, dynamodb, { lockSeconds });
    expect(await crashed.beginEvent(event.id, 'crashed-invocation')).toEqual({ state: 'new' });
    expect(await crashed.claim('s3-bucket-public-access', resource, 'crashed-invocation')).toMatchObject({
      acquired: true,
    });

    // While the lock holds, a redelivery is a duplicate and touches nothing.
    const early = await handler(structuredClone(event), lambdaContext);
    expect(access(early)).toMatchObject({
      status: 'duplicate',
      reason: expect.stringContaining('being processed'),
    });
    expect(proxy.count(writesTo(bucket))).toEqual({});

    await new Promise((resolve) => setTimeout(resolve, (lockSeconds + 1) * 1000));
    const retried = await handler(structuredClone(event), lambdaContext);
    expect(access(retried)?.status).toBe('remediated');
    expect(proxy.count(writesTo(bucket))).toEqual({ PutBucketAcl: 1, PutPublicAccessBlock: 1 });
  });

  it('another event waits for a claim held by a dead invocation, then fixes once', async () => {
    const lockSeconds = 2;
    const handler = await loadHandler({
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_LOCK_SECONDS: String(lockSeconds),
    });
    const bucket = await publicBucket('held-claim');
    const crashed = new DynamoDbLedger(TABLE, dynamodb, { lockSeconds });
    await crashed.claim('s3-bucket-public-access', `arn:aws:s3:::${bucket}`, 'crashed-invocation');
    const result = await handler(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
    expect(access(result)?.status).toBe('remediated');
    expect(proxy.count(writesTo(bucket))).toEqual({ PutBucketAcl: 1, PutPublicAccessBlock: 1 });
  });
});

describe('forgetting an event whose settlement failed', () => {
  it("removes only its own in-progress marker: another owner's and a completed one stay", async () => {
    const ledger = new DynamoDbLedger(TABLE, dynamodb);
    const id = `forget-${Date.now()}`;
    expect(await ledger.beginEvent(id, 'first')).toEqual({ state: 'new' });
    await ledger.forgetEvent(id, 'someone-else');
    expect(await ledger.beginEvent(id, 'second')).toEqual({ state: 'duplicate', of: 'in-progress' });
    await ledger.forgetEvent(id, 'first');
    // Gone: the retry begins afresh.
    expect(await ledger.beginEvent(id, 'retry')).toEqual({ state: 'new' });
    await ledger.complete({ eventId: id, owner: 'retry', failed: false, entries: [], releases: [] });
    await ledger.forgetEvent(id, 'retry');
    expect(await ledger.beginEvent(id, 'late')).toEqual({ state: 'duplicate', of: 'completed' });
  });
});

describe('fight detection', () => {
  it('remediates up to the threshold, then opens a ticket instead of fighting', async () => {
    const bucket = await publicBucket('fight');
    const statuses: string[] = [];
    for (let round = 0; round < 4; round++) {
      if (round > 0) await reopen(bucket);
      const result = await apply(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext);
      statuses.push(access(result)?.status ?? 'none');
    }
    expect(statuses).toEqual(['remediated', 'remediated', 'remediated', 'ticket']);
    expect(proxy.count(writesTo(bucket))).toEqual({ PutBucketAcl: 3, PutPublicAccessBlock: 3 });
    const [latest] = await historyOf(`arn:aws:s3:::${bucket}`);
    expect(latest).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('remediated 3 times in the last 60 min: the drift keeps coming back'),
    });
  });

  it('below the threshold (a higher one configured) remediation goes on', async () => {
    const handler = await loadHandler({ PHIGUARD_DRY_RUN: 'false', PHIGUARD_FIGHT_THRESHOLD: '5' });
    const bucket = await publicBucket('no-fight');
    const statuses: string[] = [];
    for (let round = 0; round < 4; round++) {
      if (round > 0) await reopen(bucket);
      statuses.push(
        access(await handler(bucketEvent('s3/PutBucketAcl.public-read', bucket), lambdaContext))?.status ??
          '',
      );
    }
    expect(statuses).toEqual(['remediated', 'remediated', 'remediated', 'remediated']);
  });
});

describe('history (the audit trail)', () => {
  it('dry-run is recorded, with the plan, and touches no guarded resource', async () => {
    const dryRun = await loadHandler({ PHIGUARD_DRY_RUN: 'true' });
    const bucket = await publicBucket('dry-history');
    const event = bucketEvent('s3/PutBucketAcl.public-read', bucket);
    expect(access(await dryRun(event, lambdaContext))?.status).toBe('would-remediate');
    expect(proxy.count(writesTo(bucket))).toEqual({});
    expect(await historyOf(`arn:aws:s3:::${bucket}`)).toEqual([
      expect.objectContaining({
        rule: 's3-bucket-public-access',
        resource: `arn:aws:s3:::${bucket}`,
        status: 'would-remediate',
        dryRun: true,
        eventId: event.id,
        actor: 'arn:aws:sts::123456789012:assumed-role/DataEngineer/alice',
        safeguards: ['164.312(a)(1)'],
        actions: [
          expect.objectContaining({ api: 'PutBucketAcl' }),
          expect.objectContaining({ api: 'PutPublicAccessBlock' }),
        ],
        before: expect.objectContaining({ BlockPublicAcls: false, publicAclGrants: 1 }),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
  });

  it('never stores the canary placed in an object key, a tag value and a policy body', async () => {
    const CANARY = 'CANARY-PHI-41c2e8';
    const bucket = uniqueName('canary');
    await seed.createPublicBucket(s3, bucket, [
      {
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/${CANARY}/*`,
      },
    ]);
    await seed.tagBucket(s3, bucket, { owner: CANARY });
    const exempt = uniqueName('canary-exempt');
    await seed.createPublicBucket(s3, exempt);
    await seed.tagBucket(s3, exempt, { 'phiguard:exempt': CANARY });
    const policyEvent = bucketEvent('s3/PutBucketPolicy.public', bucket);
    (policyEvent.detail.requestParameters as Record<string, unknown>).bucketPolicy = {
      Statement: [{ Resource: CANARY }],
    };
    const keyEvent = bucketEvent('s3/PutBucketAcl.public-read', exempt);
    (keyEvent.detail.requestParameters as Record<string, unknown>).key = `${CANARY}/patient-0042.pdf`;

    await apply(policyEvent, lambdaContext);
    await apply(keyEvent, lambdaContext);
    const history = [
      ...(await historyOf(`arn:aws:s3:::${bucket}`, null)),
      ...(await historyOf(`arn:aws:s3:::${exempt}`, null)),
    ];
    // Each event evaluated every S3 rule of its bucket: all fixed on one, all exempt on the other.
    // (Rules that only ever ticket, such as a name that looks like PHI, find these names compliant.)
    const s3Rules = rules.filter((r) => r.resourceType === 'AWS::S3::Bucket');
    const fixing = s3Rules.filter((r) => r.permissions.write.length > 0).length;
    expect(history.map((h) => h.status).sort()).toEqual(
      [
        ...Array(s3Rules.length - fixing).fill('compliant'),
        ...Array(s3Rules.length - fixing).fill('compliant'),
        ...Array(fixing).fill('exempt'),
        ...Array(fixing).fill('remediated'),
      ].sort(),
    );
    const everything = await dynamodb.send(new ScanCommand({ TableName: TABLE }));
    expect(JSON.stringify(everything.Items)).not.toContain(CANARY);
  });

  it('phiguard history filters by resource, rule and time, newest first', async () => {
    const bucket = uniqueName('history-cli');
    await seed.createPublicBucket(s3, bucket);
    const resource = `arn:aws:s3:::${bucket}`;
    const start = new Date().toISOString();
    // The first event fixes every S3 rule of the bucket; the second finds it all compliant.
    await apply(bucketEvent('s3/PutBucketPolicy.public', bucket), lambdaContext);
    await apply(bucketEvent('s3/DeleteBucketEncryption.basic', bucket), lambdaContext);

    const all = await phiguard(['history', '--resource', resource, '--json']);
    expect(all.code).toBe(0);
    const entries = JSON.parse(all.stdout) as HistoryEntry[];
    const s3Rules = rules.filter((r) => r.resourceType === 'AWS::S3::Bucket').map((r) => r.id);
    // Newest first: the second event's entries, then the first's (within one event, rules read at once).
    const newest = entries.slice(0, s3Rules.length);
    const oldest = entries.slice(s3Rules.length);
    expect(newest.map((e) => `${e.status} ${e.rule}`).sort()).toEqual(
      s3Rules.map((id) => `compliant ${id}`).sort(),
    );
    // Rules that only ever ticket (a name that looks like PHI) find this one compliant.
    const ticketOnly = new Set(rules.filter((r) => r.permissions.write.length === 0).map((r) => r.id));
    expect(oldest.map((e) => `${e.status} ${e.rule}`).sort()).toEqual(
      s3Rules.map((id) => `${ticketOnly.has(id) ? 'compliant' : 'remediated'} ${id}`).sort(),
    );
    expect(entries.map((e) => e.time)).toEqual([...entries.map((e) => e.time)].sort().reverse());

    const byRule = JSON.parse(
      (await phiguard(['history', '--rule', 's3-bucket-tls-only', '--since', start, '--json'])).stdout,
    );
    expect(byRule.map((e: HistoryEntry) => `${e.rule} ${e.resource}`)).toContain(
      `s3-bucket-tls-only ${resource}`,
    );
    expect(byRule.every((e: HistoryEntry) => e.rule === 's3-bucket-tls-only' && e.time >= start)).toBe(true);

    const future = await phiguard([
      'history',
      '--resource',
      resource,
      '--since',
      '2999-01-01T00:00:00Z',
      '--json',
    ]);
    expect(JSON.parse(future.stdout)).toEqual([]);

    const table = await phiguard(['history', '--resource', resource]);
    expect(table.stdout).toMatch(
      /TIME\s+STATUS\s+RULE\s+ACCOUNT\s+RESOURCE\s+RUN\s+ACTIONS\s+TICKET\s+EVENT\s+ACTOR/,
    );
    // A bucket's ARN names no account: the entry does.
    expect(table.stdout).toMatch(/remediated\s+s3-bucket-encryption\s+123456789012\s+arn:aws:s3:::/);

    const bad = await phiguard(['history', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since must be an ISO-8601 time/);
  });
});

describe('configuration of the registry', () => {
  it('phiguard ledger init creates the table with the keys, index and TTL, and is idempotent', async () => {
    const table = uniqueName('phiguard-init');
    const first = await phiguard(['ledger', 'init', '--table', table]);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining(`created: ${table}`) });
    const second = await phiguard(['ledger', 'init'], { PHIGUARD_LEDGER_TABLE: table });
    expect(second).toMatchObject({ code: 0, stdout: expect.stringContaining(`already exists: ${table}`) });
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byDay']);
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('the Lambda refuses to start without a table: a configuration error at init', async () => {
    await expect(loadHandler({ PHIGUARD_LEDGER_TABLE: undefined })).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('PHIGUARD_LEDGER_TABLE is not set'),
    });
    process.env.PHIGUARD_LEDGER_TABLE = TABLE;
  });

  it('history without a table is a clear error', async () => {
    const result = await phiguard(['history'], { PHIGUARD_LEDGER_TABLE: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no table: set PHIGUARD_LEDGER_TABLE/);
  });
});

describe('recall', () => {
  it('answers for hundreds of pairs at once, with only the pairs it remembers', async () => {
    const ledger = new DynamoDbLedger(TABLE, dynamodb);
    const prefix = uniqueName('arn:aws:s3:::recall');
    const pairs = Array.from({ length: 250 }, (_, i) => ({
      rule: 's3-bucket-encryption',
      resource: `${prefix}-${i}`,
    }));
    const remembered = [3, 120, 249];
    for (const i of remembered) {
      const pair = pairs[i] as (typeof pairs)[number];
      await ledger.claim(pair.rule, pair.resource, 'recall-test');
      await ledger.complete({
        owner: 'recall-test',
        failed: false,
        entries: [],
        releases: [
          {
            ...pair,
            owner: 'recall-test',
            status: i === 120 ? 'ticket' : 'remediated',
            remediated: i !== 120,
            recentRemediations: [],
          },
        ],
      });
    }
    proxy.reset();
    const memory = await ledger.recall(pairs);
    expect([...memory.keys()].sort()).toEqual(
      remembered.map((i) => pairKey(pairs[i]?.rule ?? '', pairs[i]?.resource ?? '')).sort(),
    );
    expect(memory.get(pairKey('s3-bucket-encryption', `${prefix}-120`))).toMatchObject({
      ticketOpen: false,
      last: { status: 'ticket' },
    });
    expect(proxy.count(dynamoCalls)).toEqual({ BatchGetItem: 3 });
  });
});

describe('least privilege', () => {
  it('every registry call of the event and sweep paths is one their role is granted', async () => {
    proxy.reset();
    const drifted = await publicBucket('iam-drift');
    const event = bucketEvent('s3/PutBucketAcl.public-read', drifted);
    await apply(event, lambdaContext); // marker, claim, transaction
    await apply(structuredClone(event), lambdaContext); // duplicate
    await apply(bucketEvent('s3/PutBucketAcl.public-read', drifted), lambdaContext); // compliant: batch read + write
    const failing = await loadHandler({ PHIGUARD_DRY_RUN: 'false', PHIGUARD_S3_KMS_KEY_ID: 'not-a-key' });
    await failing(bucketEvent('s3/DeleteBucketEncryption.basic', drifted), lambdaContext).catch(
      () => undefined,
    );
    // A sweep page with a fix and a compliant bucket, in a region of its own.
    const region = 'eu-north-1';
    const regional = (await import('../../local/clients'))
      .localClients(region, { endpoint: motoEndpoint() })
      .s3();
    await seed.createLogBucket(regional, `phiguard-ledger-logs-${region}`);
    await seed.createPublicBucket(regional, uniqueName('iam-sweep'));
    await seed.createCompliantBucket(regional, uniqueName('iam-sweep-ok'));
    expect((await phiguard(['scan', '--region', region, '--apply', '--format', 'json'])).code).not.toBe(1);

    // The roles hold the registry's item actions and, DynamoDB being a guarded service too,
    // what the rules on tables declare.
    const granted = new Set([
      ...LEDGER_ITEM_ACTIONS,
      ...rules.flatMap((r) => [...r.permissions.read, ...r.permissions.write]),
    ]);
    const used = new Set(proxy.calls.filter(dynamoCalls).flatMap(iamActionsOf));
    expect([...used].filter((action) => LEDGER_ITEM_ACTIONS.includes(action)).length).toBeGreaterThanOrEqual(
      5,
    );
    expect([...used].filter((action) => !granted.has(action))).toEqual([]);
  });
});
