import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetPublicAccessBlockCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketEvent, inRegion, loadFixture } from '../../local/fixtures';
import * as seed from '../../local/seed';
import { rules as registry, rules } from '../../remediations';
import type { Outcome } from '../../src/outcome';
import { runPhiguard } from '../support/cli';
import { motoClients, uniqueName, useMoto } from '../support/moto';

let env: Record<string, string>;
let s3: S3Client;
const dir = mkdtempSync(join(tmpdir(), 'phiguard-cli-'));

function phiguard(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  return runPhiguard(args, { env: { ...env, ...options.env }, cwd: dir, stdin: options.stdin });
}

function writeEvent(event: unknown): string {
  const path = join(dir, `${uniqueName('event')}.json`);
  writeFileSync(path, JSON.stringify(event));
  return path;
}

const blockPublicAccess = (bucket: string) =>
  s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then(
    (o) => o.PublicAccessBlockConfiguration,
    () => undefined,
  );

beforeAll(() => {
  env = useMoto();
  s3 = motoClients().s3();
});

describe('phiguard invoke', () => {
  it('dry-run by default: prints the JSON outcomes with exact API calls and changes nothing', async () => {
    const bucket = uniqueName('cli-dry');
    await seed.createOpenBucket(s3, bucket);
    const { code, stdout, stderr } = await phiguard([
      'invoke',
      writeEvent(bucketEvent('s3/PutBucketAcl.public-read', bucket)),
      '--json',
    ]);
    // No table configured: the CLI says once that its registry lives only for this run.
    expect(stderr).toBe(
      'phiguard: PHIGUARD_LEDGER_TABLE is not set; using an in-memory action registry for this run (no de-duplication across runs, no history kept)\n',
    );
    expect(code).toBe(0);
    // Every rule of the bucket is evaluated; its one drift is public access.
    const outcomes = JSON.parse(stdout) as { status: string }[];
    expect(outcomes.filter((o) => o.status !== 'compliant')).toEqual([
      expect.objectContaining({
        rule: 's3-bucket-public-access',
        resource: `arn:aws:s3:::${bucket}`,
        status: 'would-remediate',
        safeguards: ['164.312(a)(1)'],
        actions: [
          expect.objectContaining({
            api: 'PutBucketAcl',
            params: expect.objectContaining({ Bucket: bucket }),
          }),
          expect.objectContaining({
            api: 'PutPublicAccessBlock',
            params: {
              Bucket: bucket,
              PublicAccessBlockConfiguration: {
                BlockPublicAcls: true,
                IgnorePublicAcls: true,
                BlockPublicPolicy: true,
                RestrictPublicBuckets: true,
              },
            },
          }),
        ],
      }),
    ]);
    expect(await blockPublicAccess(bucket)).toBeUndefined();
  });

  it('--apply acts, reading the event from standard input, and prints a table', async () => {
    const bucket = uniqueName('cli-apply');
    await seed.createPublicBucket(s3, bucket);
    const { code, stdout } = await phiguard(['invoke', '-', '--apply'], {
      stdin: JSON.stringify(bucketEvent('s3/PutBucketAcl.public-read', bucket)),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/STATUS\s+RULE\s+RESOURCE\s+SAFEGUARDS\s+DETAIL/);
    expect(stdout).toMatch(new RegExp(`remediated\\s+s3-bucket-public-access\\s+arn:aws:s3:::${bucket}`));
    expect(await blockPublicAccess(bucket)).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('accepts a bare CloudTrail record', async () => {
    const bucket = uniqueName('cli-bare');
    await seed.createCompliantBucket(s3, bucket);
    const { code, stdout } = await phiguard([
      'invoke',
      writeEvent(bucketEvent('s3/DeleteBucketPolicy.basic', bucket).detail),
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(
      rules
        .filter((r) => r.resourceType === 'AWS::S3::Bucket')
        .map((r) => expect.objectContaining({ rule: r.id, status: 'compliant' })),
    );
  });

  it.each([
    ['text that is not JSON', '{ nope', /is not JSON/],
    ['JSON that is not an event', '{"hello": "world"}', /not an EventBridge event/],
    [
      'an event of another kind',
      '{"detail-type": "Object Created", "detail": {}}',
      /unsupported EventBridge detail-type/,
    ],
    ...['not-a-region', '', 'x'.repeat(100_000)].map((awsRegion) => [
      `a record whose awsRegion is ${awsRegion.length > 20 ? 'a 100 KB string' : JSON.stringify(awsRegion)}`,
      JSON.stringify({ ...loadFixture('s3/PutBucketAcl.public-read').detail, awsRegion }),
      /^phiguard: CloudTrail record has no usable awsRegion \(a Region name such as us-east-1\)/,
    ]),
  ] as [string, string, RegExp][])('exits 2 with a one-line reason for %s', async (_label, input, reason) => {
    const { code, stdout, stderr } = await phiguard(['invoke', '-', '--apply'], { stdin: input });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(reason);
  });

  it('replays a CloudTrail log file as delivered to S3 (gzipped), record by record; an unusable record is named and skipped', async () => {
    const open = uniqueName('cli-log-open');
    const fine = uniqueName('cli-log-fine');
    await seed.createPublicBucket(s3, open);
    await seed.createCompliantBucket(s3, fine);
    const failedCall = bucketEvent('s3/PutBucketAcl.public-read', fine).detail;
    failedCall.errorCode = 'AccessDenied';
    const { eventSource: _dropped, ...noSource } = bucketEvent('s3/PutBucketAcl.public-read', fine).detail;
    const log = {
      Records: [bucketEvent('s3/PutBucketAcl.public-read', open).detail, failedCall, noSource],
    };
    const path = join(dir, `${uniqueName('log')}.json.gz`);
    writeFileSync(path, gzipSync(JSON.stringify(log)));

    const { code, stdout, stderr } = await phiguard(['invoke', path, '--json']);
    const outcomes = JSON.parse(stdout) as Outcome[];
    // The public bucket is judged (dry-run: nothing changed); the failed call is not evidence.
    expect(
      outcomes
        .filter((o) => o.resource === `arn:aws:s3:::${open}` && o.status === 'would-remediate')
        .map((o) => o.rule),
    ).toContain('s3-bucket-public-access');
    expect(
      new Set(outcomes.filter((o) => o.resource === `arn:aws:s3:::${fine}`).map((o) => o.status)),
    ).toEqual(new Set(['ignored']));
    expect(stderr).toMatch(/^phiguard: record 3 of 3 skipped: .*eventSource/m);
    expect(stderr).toContain('phiguard: 3 record(s): 2 processed, 1 not usable\n');
    expect(code).toBe(2);
    expect(await blockPublicAccess(open)).toBeUndefined();

    // Every record usable: exit 0.
    const clean = join(dir, `${uniqueName('log')}.json`);
    writeFileSync(clean, JSON.stringify({ Records: [failedCall] }));
    const ok = await phiguard(['invoke', clean]);
    expect(ok.code).toBe(0);
    expect(ok.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('PHIGUARD_LEDGER_TABLE is not set'),
      'phiguard: 1 record(s): 1 processed, 0 not usable',
    ]);
  });

  it('exits 2 for a missing file', async () => {
    const { code, stderr } = await phiguard(['invoke', join(dir, 'missing.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read .*missing\.json/);
  });

  it('exits 1, still printing every outcome, when a remediation fails', async () => {
    // The flow-log destination bucket does not exist, so CreateFlowLogs is Unsuccessful.
    const region = 'eu-west-1';
    const event = inRegion(loadFixture('ec2/DeleteFlowLogs.single'), region);
    const { code, stdout, stderr } = await phiguard(['invoke', writeEvent(event), '--apply', '--json'], {
      env: { PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${uniqueName('missing-destination')}` },
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'vpc-flow-logs',
          status: 'error',
          reason: expect.stringContaining('CreateFlowLogs failed'),
        }),
      ]),
    );
    expect(stderr).toMatch(/remediation\(s\) failed/);
  });

  it('exits 1 only after all of a large report has reached a pipe (it was cut at 64 KiB)', async () => {
    const region = 'eu-west-1';
    const event = inRegion(loadFixture('ec2/DeleteFlowLogs.single'), region);
    // Every outcome names the actor: a long one makes the report far larger than a pipe's buffer.
    event.detail.userIdentity.arn = `arn:aws:sts::123456789012:assumed-role/Deployer/${'s'.repeat(300_000)}`;
    const { code, stdout } = await phiguard(['invoke', writeEvent(event), '--apply', '--json'], {
      env: { PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${uniqueName('missing-destination')}` },
    });
    expect(code).toBe(1);
    expect(stdout.length).toBeGreaterThan(300_000);
    const outcomes = JSON.parse(stdout);
    expect(outcomes.some((o: { status: string }) => o.status === 'error')).toBe(true);
    expect(outcomes.every((o: { actor: string }) => o.actor === event.detail.userIdentity.arn)).toBe(true);
  });

  it('exits 1 with a clear message for bad configuration', async () => {
    const { code, stderr } = await phiguard(['invoke', writeEvent(loadFixture('s3/CreateBucket.basic'))], {
      env: { PHIGUARD_RULE_MODES: 'no-such-rule=off' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/ConfigError: rule mode set for unknown rule "no-such-rule"/);
  });
});

describe('phiguard rules', () => {
  it('lists every rule with safeguards, triggers, effective modes and settings', async () => {
    const { code, stdout } = await phiguard(['rules', '--json'], {
      env: {
        PHIGUARD_RULE_MODES: 'vpc-flow-logs=notify',
        PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:s3:::central-flow-logs',
      },
    });
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as {
      id: string;
      mode: string;
      safeguards: string[];
      triggers: unknown[];
      settings: Record<string, { env: string; value: unknown }>;
    }[];
    expect(listed.map((r) => r.id)).toEqual(registry.map((r) => r.id));
    expect(listed.find((r) => r.id === 'vpc-flow-logs')).toMatchObject({
      mode: 'notify',
      safeguards: ['164.312(b)'],
      settings: {
        destination: { env: 'PHIGUARD_FLOW_LOGS_DESTINATION', value: 'arn:aws:s3:::central-flow-logs' },
        deliveryRoleArn: { env: 'PHIGUARD_FLOW_LOGS_ROLE_ARN', value: null },
      },
    });
    const table = await phiguard(['rules']);
    expect(table.stdout).toMatch(/s3-bucket-public-access\s+critical\s+164\.312\(a\)\(1\)\s+remediate/);
    expect(table.stdout).toMatch(
      /PHIGUARD_S3_KMS_KEY_ID\s+s3-bucket-encryption\s+\(unset: the AWS-managed key aws\/s3\)/,
    );
  });
});
