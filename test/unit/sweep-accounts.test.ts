import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runScan } from '../../src/cli/scan';
import { planShards } from '../../src/sweep/shard';
import {
  AccountListError,
  accountSelection,
  organizationAccounts,
  sweepAccounts,
} from '../../src/sweep/sweep-accounts';
import { awsError } from '../support/fake-s3';

const CENTRAL = '111122223333';
const MEMBER = '444455556666';

describe('which accounts a sweep covers', () => {
  it('reads PHIGUARD_SWEEP_ACCOUNTS: unset is the own account, `org` the organisation, else ids', () => {
    expect(accountSelection('PHIGUARD_SWEEP_ACCOUNTS', undefined)).toEqual({ kind: 'own' });
    expect(accountSelection('PHIGUARD_SWEEP_ACCOUNTS', ' org ')).toEqual({ kind: 'organization' });
    expect(accountSelection('PHIGUARD_SWEEP_ACCOUNTS', `${MEMBER}, ${CENTRAL},${MEMBER}`)).toEqual({
      kind: 'listed',
      accounts: [MEMBER, CENTRAL],
    });
    expect(() => accountSelection('PHIGUARD_SWEEP_ACCOUNTS', 'prod')).toThrow(
      'PHIGUARD_SWEEP_ACCOUNTS: "prod" is not a 12-digit AWS account id (or "org" for the organisation)',
    );
  });

  it('plans one shard per (account, region, resource type)', () => {
    const shards = planShards(
      [
        { id: 'a', resourceType: 'AWS::S3::Bucket' },
        { id: 'b', resourceType: 'AWS::SQS::Queue' },
        { id: 'c', resourceType: 'AWS::S3::Bucket' },
      ],
      { runId: 'r', accounts: [CENTRAL, MEMBER], regions: ['us-east-1', 'eu-west-1'] },
    );
    expect(shards.map((s) => `${s.account}/${s.region}/${s.resourceType}/${s.rules.join('+')}`)).toEqual([
      `${CENTRAL}/us-east-1/AWS::S3::Bucket/a+c`,
      `${CENTRAL}/us-east-1/AWS::SQS::Queue/b`,
      `${CENTRAL}/eu-west-1/AWS::S3::Bucket/a+c`,
      `${CENTRAL}/eu-west-1/AWS::SQS::Queue/b`,
      `${MEMBER}/us-east-1/AWS::S3::Bucket/a+c`,
      `${MEMBER}/us-east-1/AWS::SQS::Queue/b`,
      `${MEMBER}/eu-west-1/AWS::S3::Bucket/a+c`,
      `${MEMBER}/eu-west-1/AWS::SQS::Queue/b`,
    ]);
  });
});

describe('the organisation’s accounts (client mocks: moto answers an empty list where AWS refuses)', () => {
  const organizations = mockClient(OrganizationsClient);
  afterEach(() => organizations.reset());

  it('follows every page and keeps only active accounts, by State or the older Status', async () => {
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({
        Accounts: [
          { Id: MEMBER, State: 'ACTIVE' },
          { Id: '999988887777', State: 'SUSPENDED' },
        ],
        NextToken: 'page-2',
      })
      .on(ListAccountsCommand, { NextToken: 'page-2' })
      .resolves({
        Accounts: [
          { Id: CENTRAL, Status: 'ACTIVE' },
          { Id: '555566667777', State: 'PENDING_CLOSURE' },
        ],
      });
    expect(await organizationAccounts(new OrganizationsClient({ region: 'us-east-1' }))).toEqual([
      CENTRAL,
      MEMBER,
    ]);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  it('says why when the account may not list the organisation, and never sweeps an empty one', async () => {
    organizations.on(ListAccountsCommand).rejects(awsError('AWSOrganizationsNotInUseException', 400));
    const attempt = sweepAccounts({ kind: 'organization' }, CENTRAL, 'us-east-1', (region) => {
      return new OrganizationsClient({ region, maxAttempts: 1 });
    });
    await expect(attempt).rejects.toBeInstanceOf(AccountListError);
    await expect(attempt).rejects.toThrow(
      "cannot list the organisation's accounts (organizations:ListAccounts): AWSOrganizationsNotInUseException (HTTP 400); run from the management account or a delegated administrator, or name the accounts",
    );
    organizations.reset();
    organizations.on(ListAccountsCommand).resolves({ Accounts: [] });
    await expect(organizationAccounts(new OrganizationsClient({ region: 'us-east-1' }))).rejects.toThrow(
      'it answered no active account',
    );
  });
});

describe('phiguard scan of a member account whose role cannot be assumed (client mocks)', () => {
  const sts = mockClient(STSClient);
  const sqs = mockClient(SQSClient);
  afterEach(() => {
    sts.reset();
    sqs.reset();
    vi.restoreAllMocks();
  });

  it('reports the account as not swept, exits 1, and lists nothing there', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: CENTRAL });
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 403));
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: [] });
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await runScan({
      apply: true,
      rules: ['sqs-queue-encrypted'],
      regions: ['us-east-1', 'eu-west-1'],
      accounts: { kind: 'listed', accounts: [MEMBER] },
      roleName: 'audit-member',
      concurrency: 4,
      format: 'json',
    });
    expect(code).toBe(1);
    const out = JSON.parse(stdout) as { failures: { account: string; region: string; error: string }[] };
    expect(out.failures.map((f) => f.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const failure of out.failures) {
      expect(failure.account).toBe(MEMBER);
      expect(failure.error).toBe(
        `cannot act in account ${MEMBER}: assuming arn:aws:iam::${MEMBER}:role/audit-member failed (AccessDenied (HTTP 403))`,
      );
    }
    // Nothing read or written in any account: not with the member role, not with PHI Guard's own.
    expect(sqs.calls()).toHaveLength(0);
  });
});
