import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyEvent } from '../../../local/fixtures';
import rule from '../../../remediations/kms-key-disabled';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { fakeKey, KEY_ARN } from '../../support/fake-kms';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean } = {}) => testEngine({ rules: [rule as Rule], ...options });
const event = () => keyEvent('kms/DisableKey.basic', KEY_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('kms-key-disabled (client mocks)', () => {
  it('a disabled key is a ticket, in apply and dry-run alike; nothing is written', async () => {
    const { stub } = fakeKey(mocks, { KeyState: 'Disabled', Enabled: false });
    for (const e of [engine(), engine({ dryRun: true })]) {
      expect(await outcome(e)).toMatchObject({
        status: 'ticket',
        reason: expect.stringContaining('EnableKey'),
        findings: ['the key is disabled: data encrypted under it cannot be read'],
      });
    }
    expect(stub.calls().map((c) => (c.args[0] as object).constructor.name)).not.toContain('EnableKeyCommand');
  });

  it('an enabled key is compliant; a key pending deletion is the deletion rule’s finding', async () => {
    fakeKey(mocks);
    expect((await outcome())?.status).toBe('compliant');
    mocks.restore();
    mocks = new MockAws();
    fakeKey(mocks, { KeyState: 'PendingDeletion', Enabled: false });
    expect((await outcome())?.status).toBe('compliant');
  });

  it('an exempt key is reported exempt', async () => {
    fakeKey(mocks, { KeyState: 'Disabled', Enabled: false }, { tags: { 'phiguard:exempt': 'retired' } });
    expect((await outcome())?.status).toBe('exempt');
  });
});
