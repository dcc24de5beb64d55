/**
 * The benchmark's organisation: a management account with `members` member
 * accounts of `buckets` buckets each (a tenth of them public), swept with
 * `phiguard scan --org` (dry-run, the S3 rules) as the management account. Reports
 * the wall time against the emulator's bound for the same calls, and what the
 * member roles cost: AssumeRole calls per member account (goal: one per sweep).
 */
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RecordingProxy } from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { mapLimited } from '../../src/concurrency';
import { runScanChild } from './run-child';

const REGION = 'us-east-1';
/** The S3 rules that need no setting, so every account's buckets are judged alike. */
export const ORG_RULES = ['s3-bucket-public-access', 's3-bucket-encryption', 's3-bucket-tls-only'];

async function credentialsIn(endpoint: string, account: string) {
  const sts = new STSClient({ region: REGION, endpoint });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/bench`, RoleSessionName: 'bench' }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId as string,
    secretAccessKey: Credentials?.SecretAccessKey as string,
    sessionToken: Credentials?.SessionToken as string,
  };
}

export interface BenchOrganisation {
  management: string;
  members: string[];
  /** The management account's credentials, for the CLI's environment. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  buckets: number;
}

/** Builds the organisation directly against the emulator (not through the proxy). */
export async function buildOrganisation(
  endpoint: string,
  members: number,
  buckets: number,
): Promise<BenchOrganisation> {
  const management = '246801357913';
  const credentials = await credentialsIn(endpoint, management);
  const organizations = new OrganizationsClient({ region: REGION, endpoint, credentials });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const ids: string[] = [];
  for (let i = 0; i < members; i++) {
    const { CreateAccountStatus } = await organizations.send(
      new CreateAccountCommand({ AccountName: `phi-workload-${i}`, Email: `workload-${i}@example.com` }),
    );
    ids.push(CreateAccountStatus?.AccountId as string);
  }
  await mapLimited(ids, 4, async (account) => {
    const s3 = new S3Client({
      region: REGION,
      endpoint,
      forcePathStyle: true,
      credentials: await credentialsIn(endpoint, account),
    });
    await mapLimited(
      Array.from({ length: buckets }, (_, i) => i),
      8,
      async (i) => {
        // Bucket names are global: each carries its account.
        const name = `org-${account}-${i}`;
        if (i % 10 === 0) await seed.createPublicBucket(s3, name);
        else await seed.createCompliantBucket(s3, name);
      },
    );
  });
  return { management, members: ids, credentials, buckets };
}

export interface OrganisationSweep {
  accounts: number;
  buckets: number;
  seconds: number;
  boundSeconds: number;
  assumeRolePerMember: number;
  listAccounts: number;
  findings: number;
}

/** Sweeps the organisation through the CLI and the recording proxy. */
export async function sweepOrganisation(
  org: BenchOrganisation,
  proxy: RecordingProxy,
  ceiling: number,
  env: Record<string, string>,
): Promise<OrganisationSweep> {
  proxy.reset();
  // The management account's own credentials; no registry table (in-memory), no fixed own account.
  const { PHIGUARD_ACCOUNT_ID: _own, PHIGUARD_LEDGER_TABLE: _table, ...base } = env;
  const { stdout, ms } = await runScanChild(
    ['--org', '--region', REGION, ...ORG_RULES.flatMap((r) => ['--rule', r])],
    {
      ...base,
      AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: org.credentials.sessionToken,
    },
  );
  const out = JSON.parse(stdout) as { accounts: string[]; outcomes: { status: string }[] };
  const calls = proxy.calls.length;
  return {
    accounts: out.accounts.length,
    buckets: org.members.length * org.buckets,
    seconds: ms / 1000,
    boundSeconds: calls / ceiling,
    assumeRolePerMember: proxy.calls.filter((c) => c.operation === 'AssumeRole').length / org.members.length,
    listAccounts: proxy.calls.filter((c) => c.operation === 'ListAccounts').length,
    findings: out.outcomes.filter((o) => o.status === 'would-remediate').length,
  };
}
