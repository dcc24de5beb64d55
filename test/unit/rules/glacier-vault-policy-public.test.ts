import { GetVaultAccessPolicyCommand, SetVaultAccessPolicyCommand } from '@aws-sdk/client-glacier';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, vaultEvent } from '../../../local/fixtures';
import rule from '../../../remediations/glacier-vault-policy-public';
import { processEvent } from '../../../src/process-event';
import { glacier } from '../../../src/resources/glacier/vault';
import type { Rule } from '../../../src/rule';
import {
  fakeVault,
  OWNER_STATEMENT,
  PUBLIC_STATEMENT,
  VAULT_ARN,
} from '../../scenarios/glacier-vault-policy-public';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => vaultEvent('glacier/SetVaultAccessPolicy.public', VAULT_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];
const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

let mocks = new MockAws();
const calls = (command: typeof SetVaultAccessPolicyCommand | typeof GetVaultAccessPolicyCommand) =>
  mocks
    .client(glacier)
    .commandCalls(command as never)
    .map((c) => c.args[0].input as Record<string, unknown>);
const writes = () =>
  mocks
    .client(glacier)
    .calls()
    .map((c) => c.args[0].constructor.name)
    .filter((name) => /^(Set|Delete)/.test(name));

beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('glacier-vault-policy-public (client mocks: moto has no vault policies)', () => {
  it('the record names the vault by name; accountId "-" is the recipient account', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([VAULT_ARN]);
    const other = loadFixture('glacier/SetVaultAccessPolicy.public');
    (other.detail.requestParameters as Record<string, unknown>).accountId = '210987654321';
    expect(rule.resourceIds(other.detail as never)).toEqual([
      'arn:aws:glacier:us-east-1:210987654321:vaults/phi-imaging-archive',
    ]);
  });

  it('removes the public statement and keeps the owner’s, read back; the policy never appears in the outcome', async () => {
    const vault = { policy: policy(OWNER_STATEMENT, PUBLIC_STATEMENT) };
    fakeVault(mocks, vault);
    const result = await outcome();
    expect(result).toMatchObject({
      status: 'remediated',
      before: { policy: true, statements: 2, public: 1 },
      after: { policy: true, statements: 1, public: 0 },
      actions: [
        { api: 'SetVaultAccessPolicy', params: { policy: { statementsKept: 1, statementsRemoved: 1 } } },
      ],
    });
    expect(vault.policy).toEqual(policy(OWNER_STATEMENT));
    expect(calls(SetVaultAccessPolicyCommand)).toEqual([
      {
        accountId: '123456789012',
        vaultName: 'phi-imaging-archive',
        policy: { Policy: JSON.stringify(policy(OWNER_STATEMENT)) },
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('Archivist');
  });

  it('a policy of public statements only is deleted (a policy needs a statement)', async () => {
    const vault: { policy?: object } = {
      policy: policy(PUBLIC_STATEMENT, { ...PUBLIC_STATEMENT, Sid: 'b', Principal: { AWS: ['*'] } }),
    };
    fakeVault(mocks, vault);
    expect(await outcome()).toMatchObject({ status: 'remediated', after: { policy: false } });
    expect(vault.policy).toBeUndefined();
    expect(writes()).toEqual(['DeleteVaultAccessPolicyCommand']);
  });

  it('no policy, a named principal, or everyone under a condition is compliant: no write', async () => {
    fakeVault(mocks, {});
    expect((await outcome())?.status).toBe('compliant');
    mocks.restore();
    mocks = new MockAws();
    const conditional = {
      ...PUBLIC_STATEMENT,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    };
    fakeVault(mocks, { policy: policy(OWNER_STATEMENT, conditional) });
    expect((await outcome())?.status).toBe('compliant');
    expect(writes()).toEqual([]);
  });

  it('dry-run, exempt and gone write nothing; a missing vault is gone, not "no policy"', async () => {
    fakeVault(mocks, { policy: policy(PUBLIC_STATEMENT) });
    expect(await outcome(engine({ dryRun: true }))).toMatchObject({
      status: 'would-remediate',
      actions: [{ service: 'glacier', api: 'DeleteVaultAccessPolicy' }],
    });
    mocks.restore();
    mocks = new MockAws();
    fakeVault(mocks, {
      policy: policy(PUBLIC_STATEMENT),
      tags: { 'phiguard:exempt': 'public research dataset' },
    });
    expect((await outcome())?.status).toBe('exempt');
    mocks.restore();
    mocks = new MockAws();
    fakeVault(mocks, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    expect(writes()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the policy is an error outcome', async () => {
    const stub = fakeVault(mocks, { policy: policy(PUBLIC_STATEMENT) });
    const failed = event();
    failed.detail.errorCode = 'AccessDeniedException';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(GetVaultAccessPolicyCommand).rejects(awsError('AccessDeniedException', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDeniedException'),
    });
    expect(writes()).toEqual([]);
  });
});
