import {
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/ebs-snapshot-public';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const SNAPSHOT = 'snap-0a1b2c3d4e5f60001';
const ARN = `arn:aws:ec2:us-east-1::snapshot/${SNAPSHOT}`;
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => loadFixture('ec2/ModifySnapshotAttribute.public');

function fakeSnapshot(
  permissions: { Group?: string; UserId?: string }[],
  options: { exists?: boolean; tags?: Record<string, string> } = {},
) {
  const mock = mockClient(EC2Client);
  let current = [...permissions];
  const gone = () => {
    if (options.exists === false) throw awsError('InvalidSnapshot.NotFound', 400);
  };
  mock.on(DescribeSnapshotAttributeCommand).callsFake(() => {
    gone();
    return { SnapshotId: SNAPSHOT, CreateVolumePermissions: current };
  });
  mock.on(DescribeSnapshotsCommand).callsFake(() => {
    gone();
    return {
      Snapshots: [
        {
          SnapshotId: SNAPSHOT,
          Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        },
      ],
    };
  });
  mock.on(ModifySnapshotAttributeCommand).callsFake((input) => {
    if (input.OperationType === 'remove')
      current = current.filter((p) => !(input.GroupNames ?? []).includes(p.Group ?? ''));
    return {};
  });
  return mock;
}
const modifies = () => mock.commandCalls(ModifySnapshotAttributeCommand).map((c) => c.args[0].input);

let mock: ReturnType<typeof fakeSnapshot>;
afterEach(() => mock?.restore());

describe('ebs-snapshot-public (client mocks)', () => {
  it('names the snapshot of ModifySnapshotAttribute (snapshot ARNs name no account)', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
  });

  it('public: `all` removed, the account it is shared with stays; read back', async () => {
    mock = fakeSnapshot([{ Group: 'all' }, { UserId: '111122223333' }]);
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'remediated',
      before: { public: true, sharedWithAccounts: 1 },
      after: { public: false, sharedWithAccounts: 1 },
    });
    expect(modifies()).toEqual([
      {
        SnapshotId: SNAPSHOT,
        Attribute: 'createVolumePermission',
        OperationType: 'remove',
        GroupNames: ['all'],
      },
    ]);
  });

  it('shared with an account only is compliant: nothing written', async () => {
    mock = fakeSnapshot([{ UserId: '111122223333' }]);
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(modifies()).toEqual([]);
  });

  it('dry-run: would-remediate, nothing written', async () => {
    mock = fakeSnapshot([{ Group: 'all' }]);
    expect((await processEvent(engine(true), event())).outcomes[0]?.status).toBe('would-remediate');
    expect(modifies()).toEqual([]);
  });

  it('exempt and gone snapshots are never written', async () => {
    mock = fakeSnapshot([{ Group: 'all' }], { tags: { 'phiguard:exempt': 'public AMI build, no PHI' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    mock.restore();
    mock = fakeSnapshot([{ Group: 'all' }], { exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside without a read', async () => {
    mock = fakeSnapshot([{ Group: 'all' }]);
    const failed = event();
    failed.detail.errorCode = 'InvalidParameterValue';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
  });

  it('UnauthorizedOperation on DescribeSnapshotAttribute is an error outcome, nothing written', async () => {
    mock = fakeSnapshot([{ Group: 'all' }]);
    mock.on(DescribeSnapshotAttributeCommand).rejects(awsError('UnauthorizedOperation', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('UnauthorizedOperation'),
    });
    expect(modifies()).toEqual([]);
  });
});
