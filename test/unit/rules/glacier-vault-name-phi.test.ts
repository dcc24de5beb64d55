import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vaultEvent } from '../../../local/fixtures';
import rule from '../../../remediations/glacier-vault-name-phi';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { fakeVault } from '../../scenarios/glacier-vault-policy-public';
import { testEngine } from '../../support/engine';
import { MockAws } from '../../support/scenario';

const ARN = 'arn:aws:glacier:us-east-1:123456789012:vaults/dob-1984-03-07-imaging';
const engine = (options: { dryRun?: boolean } = {}) =>
  testEngine({
    rules: [rule as Rule],
    ...options,
    env: { PHIGUARD_NAME_REDACTION_KEY: 'unit-test-redaction-key-0123456789abcdef' },
  });

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('glacier-vault-name-phi (client mocks: moto has no vault tags)', () => {
  it('CreateVault of a name with a date of birth: a ticket, the vault ARN redacted, nothing written', async () => {
    const stub = fakeVault(mocks, {});
    const [outcome] = (await processEvent(engine(), vaultEvent('glacier/CreateVault', ARN))).outcomes;
    expect(outcome).toMatchObject({
      status: 'ticket',
      resource: expect.stringMatching(
        /^arn:aws:glacier:us-east-1:123456789012:vaults\/\[redacted:[0-9a-f]{12}\]$/,
      ),
      findings: ['the name looks like it contains a date of birth after "dob"'],
    });
    expect(JSON.stringify(outcome)).not.toContain('1984');
    expect(stub.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'DescribeVaultCommand',
      'ListTagsForVaultCommand',
    ]);
  });

  it('an ordinary name is compliant without a call; a vault deleted since is gone', async () => {
    const stub = fakeVault(mocks, {});
    const plain = 'arn:aws:glacier:us-east-1:123456789012:vaults/imaging-archive';
    expect((await processEvent(engine(), vaultEvent('glacier/CreateVault', plain))).outcomes[0]?.status).toBe(
      'compliant',
    );
    expect(stub.calls()).toEqual([]);
    mocks.restore();
    mocks = new MockAws();
    fakeVault(mocks, { exists: false });
    expect((await processEvent(engine(), vaultEvent('glacier/CreateVault', ARN))).outcomes[0]?.status).toBe(
      'gone',
    );
  });
});
