import { EnableKeyRotationCommand, GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyEvent, loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/kms-key-rotation';
import { processEvent } from '../../../src/process-event';
import { kms } from '../../../src/resources/kms/key';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeKey, KEY_ARN, KEY_ID } from '../../support/fake-kms';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => keyEvent('kms/DisableKeyRotation.basic', KEY_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const enables = () =>
  mocks
    .client(kms)
    .commandCalls(EnableKeyRotationCommand)
    .map((c) => c.args[0].input);
const fresh = () => {
  mocks.restore();
  mocks = new MockAws();
};

beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('kms-key-rotation (client mocks)', () => {
  it('the record names the key: its resources list, CreateKey its answer', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([KEY_ARN]);
    expect(rule.resourceIds(loadFixture('kms/CreateKey.symmetric').detail as never)).toEqual([KEY_ARN]);
    // An alias is not an id: without the resources list, nothing is named.
    const aliased = loadFixture('kms/DisableKeyRotation.basic');
    (aliased.detail as { resources?: unknown }).resources = undefined;
    (aliased.detail.requestParameters as Record<string, unknown>).keyId = 'alias/claims';
    expect(rule.resourceIds(aliased.detail as never)).toEqual([]);
  });

  it('rotation off: EnableKeyRotation; read back', async () => {
    const { state } = fakeKey(mocks);
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { rotation: false },
      after: { rotation: true },
    });
    expect(enables()).toEqual([{ KeyId: KEY_ID }]);
    expect(state.rotation).toBe(true);
  });

  it.each([
    ['an AWS-managed key', { KeyManager: 'AWS' }, 'AWS-managed key'],
    [
      'an asymmetric key',
      { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' },
      'RSA_2048 keys do not rotate automatically',
    ],
    [
      'an HMAC key',
      { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      'HMAC_256 keys do not rotate automatically',
    ],
    [
      'imported key material',
      { Origin: 'EXTERNAL' },
      'key material from EXTERNAL does not rotate automatically',
    ],
    [
      'a multi-Region replica',
      { MultiRegion: true, MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } },
      'a multi-Region replica rotates with its primary',
    ],
    ['a key pending deletion', { KeyState: 'PendingDeletion' }, 'the key is PendingDeletion'],
  ])('%s is not judged: no rotation read, no write', async (_label, metadata, why) => {
    fakeKey(mocks, metadata as never);
    expect(await outcome()).toMatchObject({ status: 'compliant', before: { notJudged: why } });
    expect(mocks.client(kms).commandCalls(GetKeyRotationStatusCommand)).toEqual([]);
    expect(enables()).toEqual([]);
  });

  it('a disabled key without rotation is deferred until it is enabled (pending, nothing written)', async () => {
    fakeKey(mocks, { KeyState: 'Disabled', Enabled: false });
    expect(await outcome()).toMatchObject({
      status: 'pending',
      actions: [],
      reason: expect.stringContaining('Disabled'),
    });
    expect(enables()).toEqual([]);
  });

  it('dry-run, exempt and gone write nothing', async () => {
    fakeKey(mocks);
    expect(await outcome(engine({ dryRun: true }))).toMatchObject({
      status: 'would-remediate',
      actions: [{ service: 'kms', api: 'EnableKeyRotation' }],
    });
    fresh();
    fakeKey(mocks, {}, { tags: { 'phiguard:exempt': 'rotated by the HSM team' } });
    expect((await outcome())?.status).toBe('exempt');
    fresh();
    fakeKey(mocks, {}, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    expect(enables()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the rotation status is an error outcome', async () => {
    const { stub } = fakeKey(mocks);
    const failed = event();
    failed.detail.errorCode = 'AccessDeniedException';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(GetKeyRotationStatusCommand).rejects(awsError('AccessDeniedException', 400));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDeniedException'),
    });
    expect(enables()).toEqual([]);
  });
});
