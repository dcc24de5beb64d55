import {
  DescribeDBClusterSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-cluster-snapshot-public';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeDbSnapshot } from '../../support/fake-rds';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:claims-aurora-nightly';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => rdsEvent('rds/ModifyDBClusterSnapshotAttribute.public', ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RDSClient);
const snapshot = (restore: string[], options: { exists?: boolean; tags?: Record<string, string> } = {}) =>
  fakeDbSnapshot(mock, 'claims-aurora-nightly', restore, { cluster: true, ...options });
const modifies = () => mock.commandCalls(ModifyDBClusterSnapshotAttributeCommand).map((c) => c.args[0].input);

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-cluster-snapshot-public (client mocks)', () => {
  it('names the snapshot of the record', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
  });

  it('public: `all` removed, the account it is shared with stays; read back', async () => {
    const state = snapshot(['all', '111122223333']);
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { public: true, sharedWithAccounts: 1 },
      after: { public: false, sharedWithAccounts: 1 },
    });
    expect(modifies()).toEqual([
      {
        DBClusterSnapshotIdentifier: 'claims-aurora-nightly',
        AttributeName: 'restore',
        ValuesToRemove: ['all'],
      },
    ]);
    expect(state.restore).toEqual(['111122223333']);
  });

  it('shared with an account only is compliant, and dry-run writes nothing', async () => {
    snapshot(['111122223333']);
    expect((await outcome())?.status).toBe('compliant');
    mock.restore();
    mock = mockClient(RDSClient);
    snapshot(['all']);
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    expect(modifies()).toEqual([]);
  });

  it('exempt and gone snapshots are never written', async () => {
    snapshot(['all'], { tags: { 'phiguard:exempt': 'synthetic test data, published' } });
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    snapshot(['all'], { exists: false });
    expect((await outcome())?.status).toBe('gone');
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the attributes is an error outcome', async () => {
    snapshot(['all']);
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeDBClusterSnapshotAttributesCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(modifies()).toEqual([]);
  });
});
