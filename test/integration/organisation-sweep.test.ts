import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv } from '../../local/moto-server';
import { type RecordingProxy, startRecordingProxy } from '../../local/recording-proxy';
import { runPhiguard } from '../support/cli';
import { accountClientConfig } from '../support/member-account';
import { motoEndpoint, uniqueName, useMoto } from '../support/moto';

/**
 * `phiguard scan --account` and `--org` against moto's Organizations: PHI Guard
 * runs as the management account of a fresh organisation (its own credentials),
 * and sweeps each member account through its member role (moto: credentials from
 * AssumeRole act in the role's account, and every AssumeRole succeeds — the
 * refusal is tested with client mocks in test/unit/sweep-accounts.test.ts). SQS
 * queues are per account and Region in moto, so each finding proves which
 * account's credentials listed it.
 */
const REGIONS = ['ca-central-1', 'sa-east-1'];
const CENTRAL = '246813579024';
let members: string[];
let proxy: RecordingProxy;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'phiguard-org-sweep-'));
/** The drifted queues seeded, as `account/region/name`. */
const drifted: string[] = [];
const sqsOf = new Map<string, SQSClient>();

async function sqsIn(account: string, region: string): Promise<SQSClient> {
  const key = `${account}/${region}`;
  let client = sqsOf.get(key);
  if (!client) {
    client = new SQSClient(await accountClientConfig(account, region));
    sqsOf.set(key, client);
  }
  return client;
}

async function seedQueue(account: string, region: string, encrypted: boolean) {
  const name = uniqueName(encrypted ? 'claims-ok' : 'claims-drift');
  await (await sqsIn(account, region)).send(
    new CreateQueueCommand({ QueueName: name, Attributes: { SqsManagedSseEnabled: String(encrypted) } }),
  );
  if (!encrypted) drifted.push(`${account}/${region}/${name}`);
  return name;
}

const encrypted = async (account: string, region: string, name: string) => {
  const client = await sqsIn(account, region);
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  const out = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled'] }),
  );
  return out.Attributes?.SqsManagedSseEnabled === 'true';
};

type ScanJson = {
  accounts: string[];
  outcomes: { rule: string; status: string; resource: string; account?: string }[];
  failures: { account: string; error: string }[];
};

function scan(args: string[]) {
  return runPhiguard(
    ['scan', ...REGIONS.flatMap((r) => ['--region', r]), '--rule', 'sqs-queue-encrypted', ...args],
    { env, cwd: dir },
  );
}

/** `account/region/name` of each outcome with one of `statuses`. */
const found = (out: ScanJson, statuses: string[]) =>
  out.outcomes
    .filter((o) => statuses.includes(o.status))
    .map((o) => {
      const [, , , region, account, name] = o.resource.split(':');
      expect(o.account).toBe(account);
      return `${account}/${region}/${name}`;
    })
    .sort();

beforeAll(async () => {
  useMoto();
  const central = await accountClientConfig(CENTRAL, REGIONS[0] as string);
  const organizations = new OrganizationsClient({ ...central, region: 'us-east-1' });
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  members = [];
  for (const name of ['claims-prod', 'claims-dev']) {
    const { CreateAccountStatus } = await organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    members.push(CreateAccountStatus?.AccountId as string);
  }
  // Each member: a drifted queue in each Region beside a compliant one; the central account one drift.
  for (const account of members) {
    for (const region of REGIONS) {
      await seedQueue(account, region, false);
      await seedQueue(account, region, true);
    }
  }
  await seedQueue(CENTRAL, REGIONS[0] as string, false);

  proxy = await startRecordingProxy(motoEndpoint());
  // The CLI runs as the management account: its own credentials, no PHIGUARD_ACCOUNT_ID.
  const { PHIGUARD_ACCOUNT_ID: _unset, ...base } = emulatorEnv(proxy.endpoint, REGIONS[0]);
  env = {
    ...base,
    AWS_ACCESS_KEY_ID: central.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: central.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: central.credentials.sessionToken,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}, 60_000);

afterAll(async () => {
  await proxy?.close();
});

describe('phiguard scan across the organisation, against moto', () => {
  it('--org finds exactly the seeded drift of every active account, each through one AssumeRole per member account', async () => {
    proxy.reset();
    const result = await scan(['--org', '--format', 'json']);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(2);
    const out = JSON.parse(result.stdout) as ScanJson;
    expect(out.accounts).toEqual([CENTRAL, ...members].sort());
    expect(out.failures).toEqual([]);
    expect(found(out, ['would-remediate'])).toEqual([...drifted].sort());
    expect(found(out, ['compliant'])).toHaveLength(members.length * REGIONS.length);
    // Two Regions per member account, one role assumption each; none for PHI Guard's own account.
    const assumed = proxy.calls.filter((c) => c.operation === 'AssumeRole');
    expect(assumed).toHaveLength(members.length);
    expect(proxy.count((c) => c.operation === 'ListAccounts')).toEqual({ ListAccounts: 1 });
    // A dry-run: nothing written in any account.
    expect(proxy.calls.filter((c) => c.service === 'sqs' && c.operation === 'SetQueueAttributes')).toEqual(
      [],
    );
  }, 120_000);

  it('--account sweeps and fixes only the named account, through its member role', async () => {
    const [target, other] = members as [string, string];
    const result = await scan(['--account', target, '--apply', '--format', 'json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as ScanJson;
    expect(out.accounts).toEqual([target]);
    const mine = drifted.filter((d) => d.startsWith(`${target}/`));
    expect(found(out, ['remediated'])).toEqual([...mine].sort());
    for (const d of drifted) {
      const [account, region, name] = d.split('/') as [string, string, string];
      // Fixed where it was named, and nowhere else: the other member and the central account keep their drift.
      expect(await encrypted(account, region, name), d).toBe(account === target);
    }
    expect(drifted.some((d) => d.startsWith(`${other}/`))).toBe(true);
  }, 120_000);

  it('refuses an account id that is not one, and --org with --account, before any call', async () => {
    proxy.reset();
    const bad = await scan(['--account', '12345']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--account: "12345" is not a 12-digit AWS account id');
    const both = await scan(['--org', '--account', members[0] as string]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--org and --account cannot be combined');
    expect(proxy.calls).toEqual([]);
  }, 60_000);

  it('says why when the account cannot list the organisation', async () => {
    // An account in no organisation: moto answers an empty list where AWS refuses
    // (AWSOrganizationsNotInUseException, tested with client mocks); either way nothing is swept.
    // (moto lets a member account list its organisation, as a delegated administrator could.)
    const member = await accountClientConfig('135792468013', REGIONS[0] as string);
    const result = await runPhiguard(['scan', '--org', '--region', REGIONS[0] as string], {
      env: {
        ...env,
        AWS_ACCESS_KEY_ID: member.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: member.credentials.secretAccessKey,
        AWS_SESSION_TOKEN: member.credentials.sessionToken,
      },
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "cannot list the organisation's accounts (organizations:ListAccounts): it answered no active account",
    );
    expect(result.stdout).toBe('');
  }, 60_000);
});
