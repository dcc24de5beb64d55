/**
 * `node --import tsx scripts/bench/custodian.ts [--buckets N]` (also part of `npm run bench`):
 * PHI Guard and Cloud Custodian side by side, fixing the same fully drifted account (N
 * buckets with a public ACL and policy, no Block Public Access, encryption, TLS-only
 * statement, versioning or access logging), each against a fresh emulator behind the
 * recording proxy. Reports wall time, S3 calls per bucket, and what the buckets look like
 * afterwards, read back by this script: a tool is credited only with what it fixed.
 *
 * Custodian runs the policies a HIPAA team would write for the same six settings (its
 * documented filters and actions: check-public-block → set-public-block, global-grants →
 * delete-global-grants, missing-policy-statement → set-statements, bucket-encryption →
 * set-bucket-encryption, Versioning.Status → toggle-versioning, bucket-logging →
 * toggle-logging), all in one file, as `custodian run` is meant to be used. It is not an npm package: the bench
 * runs `custodian` from PATH or PHIGUARD_BENCH_CUSTODIAN (`pip install c7n`), and says so
 * and skips when there is none. Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { blocksAllPublicAccess, grantsToEveryone } from '../../local/bucket-read-back';
import { localClients } from '../../local/clients';
import { emulatorEnv, startMotoServer } from '../../local/moto-server';
import { type RecordedCall, startRecordingProxy } from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { mapLimited } from '../../src/concurrency';
import { table } from './format';
import { runChild, runScanChild } from './run-child';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values: args } = parseArgs({ options: { buckets: { type: 'string', default: '100' } } });
const BUCKETS = Number(args.buckets);
const REGION = 'us-east-1';
const ROOT = resolve(import.meta.dirname, '..', '..');
const LOG_BUCKET = 'bench-access-logs';
const TLS_SID = 'DenyInsecureTransport';
const KMS_ALIAS = 'alias/phi-bench';
const PHIGUARD_RULES = [
  's3-bucket-public-access',
  's3-bucket-encryption',
  's3-bucket-tls-only',
  's3-bucket-versioning',
  's3-bucket-access-logging',
];

/** The same five fixes as Custodian policies (JSON is YAML: custodian reads it as written). */
const CUSTODIAN_POLICIES = {
  policies: [
    {
      name: 'phi-s3-block-public-access',
      resource: 's3',
      filters: [{ type: 'check-public-block' }],
      actions: [
        {
          type: 'set-public-block',
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      ],
    },
    {
      name: 'phi-s3-public-acl',
      resource: 's3',
      filters: [{ type: 'global-grants', allow_website: false }],
      actions: ['delete-global-grants'],
    },
    {
      name: 'phi-s3-tls-only',
      resource: 's3',
      filters: [{ type: 'missing-policy-statement', statement_ids: [TLS_SID] }],
      actions: [
        {
          type: 'set-statements',
          statements: [
            {
              Sid: TLS_SID,
              Effect: 'Deny',
              // {"AWS": "*"} is everyone as "*" is: moto fails PutBucketLogging (HTTP 500) to
              // a target bucket whose policy has `"Principal": "*"` (local/seed.ts).
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: ['arn:aws:s3:::{bucket_name}', 'arn:aws:s3:::{bucket_name}/*'],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      ],
    },
    {
      name: 'phi-s3-encryption',
      resource: 's3',
      filters: [{ type: 'bucket-encryption', state: false }],
      // Custodian wants a key it can look up; PHI Guard names none (the AWS managed key).
      actions: [{ type: 'set-bucket-encryption', crypto: 'aws:kms', key: KMS_ALIAS, 'bucket-key': true }],
    },
    {
      name: 'phi-s3-versioning',
      resource: 's3',
      filters: [{ type: 'value', key: 'Versioning.Status', op: 'ne', value: 'Enabled' }],
      actions: [{ type: 'toggle-versioning', enabled: true }],
    },
    {
      name: 'phi-s3-access-logging',
      resource: 's3',
      // The log bucket does not log to itself (PHI Guard's rule leaves it alone too).
      filters: [
        { type: 'bucket-logging', op: 'disabled' },
        { type: 'value', key: 'Name', op: 'ne', value: LOG_BUCKET },
      ],
      actions: [
        {
          type: 'toggle-logging',
          enabled: true,
          target_bucket: LOG_BUCKET,
          target_prefix: '{source_bucket_name}/',
        },
      ],
    },
  ],
};

/** `custodian` to run, or why there is none. */
function findCustodian(): { command: string } | { missing: string } {
  const command = process.env.PHIGUARD_BENCH_CUSTODIAN ?? 'custodian';
  const probe = spawnSync(command, ['version'], { encoding: 'utf8' });
  if (probe.status === 0) return { command };
  return {
    missing: `\`${command} version\` failed (${probe.error?.message ?? `exit ${probe.status}`}): install Cloud Custodian (pip install c7n) or set PHIGUARD_BENCH_CUSTODIAN`,
  };
}

/**
 * Which of the six settings a bucket now meets, read straight from the emulator. A public
 * policy statement is left in place by both (Block Public Access makes it void; PHI Guard
 * never deletes what a policy says).
 */
async function settingsMet(s3: S3Client, bucket: string): Promise<Record<string, boolean>> {
  const quiet = <T>(read: Promise<T>) => read.catch(() => undefined);
  const [acl, block, policy, encryption, versioning, logging] = await Promise.all([
    quiet(s3.send(new GetBucketAclCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))),
    quiet(s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))),
  ]);
  const statements = (
    policy?.Policy
      ? (
          JSON.parse(policy.Policy) as {
            Statement: { Effect: string }[];
          }
        ).Statement
      : []
  ).map((s) => ({ ...s, text: JSON.stringify(s) }));
  return {
    // The public-access rule's two settings, judged as the fault tests judge them.
    'public ACL removed': !grantsToEveryone(acl?.Grants),
    'Block Public Access on': blocksAllPublicAccess(block?.PublicAccessBlockConfiguration),
    'TLS-only statement': statements.some(
      (s) => s.Effect === 'Deny' && s.text.includes('aws:SecureTransport'),
    ),
    'SSE-KMS': (encryption?.ServerSideEncryptionConfiguration?.Rules ?? []).some(
      (r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms',
    ),
    versioning: versioning?.Status === 'Enabled',
    'access logging': Boolean(logging?.LoggingEnabled?.TargetBucket),
  };
}

interface ToolRun {
  tool: string;
  seconds: number;
  s3CallsPerBucket: number;
  writesPerBucket: number;
  fixedBuckets: number;
  unmet: Record<string, number>;
}

async function fixWith(tool: 'PHI Guard' | 'Cloud Custodian', custodian?: string): Promise<ToolRun> {
  const moto = await startMotoServer();
  const proxy = await startRecordingProxy(moto.endpoint);
  const work = mkdtempSync(join(tmpdir(), 'phiguard-bench-custodian-'));
  try {
    Object.assign(process.env, emulatorEnv(moto.endpoint, REGION));
    const s3 = localClients(REGION).s3();
    await seed.createLogBucket(s3, LOG_BUCKET);
    const names = Array.from({ length: BUCKETS }, (_, i) => `fully-drifted-${String(i).padStart(4, '0')}`);
    await mapLimited(names, 8, (name) => seed.createPublicBucket(s3, name));
    const { PHIGUARD_ACCOUNT_ID: _own, ...env } = emulatorEnv(proxy.endpoint, REGION);
    proxy.reset();
    let ms: number;
    if (tool === 'PHI Guard') {
      ({ ms } = await runScanChild(
        ['--apply', '--region', REGION, ...PHIGUARD_RULES.flatMap((r) => ['--rule', r])],
        { ...env, PHIGUARD_ACCESS_LOGS_BUCKET: LOG_BUCKET },
      ));
    } else {
      const kms = new KMSClient({ region: REGION });
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'bench' }));
      await kms.send(new CreateAliasCommand({ AliasName: KMS_ALIAS, TargetKeyId: KeyMetadata?.KeyId }));
      const policies = join(work, 'policies.yml');
      writeFileSync(policies, JSON.stringify(CUSTODIAN_POLICIES, null, 2));
      // Its own resource cache for this run only (the default file cache outlives runs, and
      // the next emulator has buckets of the same names).
      ({ ms } = await runChild(
        custodian as string,
        ['run', '-s', join(work, 'out'), '--cache', join(work, 'cache'), '--region', REGION, policies],
        env,
      ));
    }
    const s3Calls = proxy.calls.filter((c: RecordedCall) => c.service === 's3');
    const onBuckets = s3Calls.filter((c) => c.bucket?.startsWith('fully-drifted-'));
    const states = await mapLimited(names, 8, (name) => settingsMet(s3, name));
    const unmet: Record<string, number> = {};
    for (const state of states)
      for (const [setting, met] of Object.entries(state))
        if (!met) unmet[setting] = (unmet[setting] ?? 0) + 1;
    return {
      tool,
      seconds: ms / 1000,
      s3CallsPerBucket: s3Calls.length / BUCKETS,
      writesPerBucket: onBuckets.filter((c) => c.method !== 'GET' && c.method !== 'HEAD').length / BUCKETS,
      fixedBuckets: states.filter((state) => Object.values(state).every(Boolean)).length,
      unmet,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await proxy.close();
    await moto.stop();
  }
}

const custodian = findCustodian();
if ('missing' in custodian) {
  process.stdout.write(`\nCloud Custodian side by side: skipped — ${custodian.missing}.\n\n`);
} else {
  const version = spawnSync(custodian.command, ['version'], { encoding: 'utf8' }).stdout.trim();
  const runs = [await fixWith('PHI Guard'), await fixWith('Cloud Custodian', custodian.command)];
  const [phiguard, c7n] = runs as [ToolRun, ToolRun];
  process.stdout.write(
    `\nApply on a fully drifted account, side by side: ${BUCKETS} buckets (public ACL and policy; no Block Public Access, encryption, TLS-only statement, versioning or access logging), a fresh emulator each; Cloud Custodian ${version}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); ${new Date().toISOString()}\n\n`,
  );
  process.stdout.write(
    `${table(
      [
        'tool',
        'wall s',
        'S3 calls/bucket',
        'writes/bucket',
        'buckets fully fixed (read back)',
        'settings left unmet',
      ],
      runs.map((r) => [
        r.tool,
        r.seconds,
        r.s3CallsPerBucket,
        r.writesPerBucket,
        `${r.fixedBuckets}/${BUCKETS}`,
        Object.entries(r.unmet)
          .map(([setting, n]) => `${setting}: ${n}`)
          .join(', ') || '-',
      ]),
    )}\n`,
  );
  process.stdout.write(
    `  PHI Guard ${(c7n.seconds / phiguard.seconds).toFixed(1)}x faster; PHI Guard reads each fix back before reporting it, Custodian does not.\n\n`,
  );
  const out = join(ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'custodian.json'),
    `${JSON.stringify({ date: new Date().toISOString(), custodian: version, buckets: BUCKETS, runs }, null, 2)}\n`,
  );
}
