import { CancelKeyDeletionCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyEvent } from '../../../local/fixtures';
import { rules } from '../../../remediations';
import rule from '../../../remediations/kms-key-deletion-scheduled';
import { processEvent } from '../../../src/process-event';
import { kms } from '../../../src/resources/kms/key';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeKey, KEY_ARN, KEY_ID } from '../../support/fake-kms';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string>; rules?: readonly Rule[] } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => keyEvent('kms/ScheduleKeyDeletion.basic', KEY_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const cancels = () =>
  mocks
    .client(kms)
    .commandCalls(CancelKeyDeletionCommand)
    .map((c) => c.args[0].input);
const PENDING = { KeyState: 'PendingDeletion', Enabled: false } as const;

beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('kms-key-deletion-scheduled (client mocks)', () => {
  it.each(['PendingDeletion', 'PendingReplicaDeletion'] as const)(
    '%s: CancelKeyDeletion; read back',
    async (KeyState) => {
      const { state } = fakeKey(mocks, { KeyState, Enabled: false }, { rotation: true });
      expect(await outcome()).toMatchObject({
        status: 'remediated',
        before: { keyState: KeyState },
        after: { keyState: 'Disabled' },
      });
      expect(cancels()).toEqual([{ KeyId: KEY_ID }]);
      expect(state.key.KeyState).toBe('Disabled');
    },
  );

  it('with every KMS rule: the deletion is cancelled and a person is told the key is left disabled', async () => {
    fakeKey(mocks, PENDING, { rotation: true });
    const kmsRules = rules.filter((r) => r.resourceType === 'AWS::KMS::Key');
    const report = await processEvent(engine({ rules: kmsRules }), event());
    expect(report.outcomes.map((o) => [o.rule, o.status])).toEqual([
      ['kms-key-deletion-scheduled', 'remediated'],
      ['kms-key-disabled', 'ticket'],
      ['kms-key-rotation', 'compliant'],
    ]);
  });

  it('an enabled key and an AWS-managed key are left alone', async () => {
    fakeKey(mocks);
    expect((await outcome())?.status).toBe('compliant');
    mocks.restore();
    mocks = new MockAws();
    fakeKey(mocks, { ...PENDING, KeyManager: 'AWS' });
    expect(await outcome()).toMatchObject({ status: 'compliant', before: { notJudged: 'AWS-managed key' } });
    expect(cancels()).toEqual([]);
  });

  it('dry-run, exempt and own calls write nothing', async () => {
    fakeKey(mocks, PENDING);
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    mocks.restore();
    mocks = new MockAws();
    fakeKey(mocks, PENDING, { tags: { 'phiguard:exempt': 'decommissioned with its data' } });
    expect((await outcome())?.status).toBe('exempt');
    expect(cancels()).toEqual([]);
  });
});
