import { DescribeVolumesCommand, EC2Client, type Volume } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/ebs-volume-encrypted';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const VOLUME = 'vol-0a1b2c3d4e5f60001';
const ARN = `arn:aws:ec2:us-east-1:123456789012:volume/${VOLUME}`;
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => loadFixture('ec2/CreateVolume.unencrypted');

function fakeVolumes(volumes: Volume[]) {
  const mock = mockClient(EC2Client);
  mock.on(DescribeVolumesCommand).callsFake((input) => {
    const byId = input.VolumeIds as string[] | undefined;
    const byInstance = input.Filters?.find(
      (f: { Name?: string }) => f.Name === 'attachment.instance-id',
    )?.Values;
    const found = volumes.filter(
      (v) =>
        (!byId || byId.includes(v.VolumeId ?? '')) &&
        (!byInstance || (v.Attachments ?? []).some((a) => byInstance.includes(a.InstanceId ?? ''))),
    );
    if (byId && found.length === 0) throw awsError('InvalidVolume.NotFound', 400);
    return { Volumes: found };
  });
  return mock;
}

let mock: ReturnType<typeof fakeVolumes>;
afterEach(() => mock?.restore());

describe('ebs-volume-encrypted (client mocks)', () => {
  it('names the volume of CreateVolume from its answer', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
  });

  it('RunInstances: the new instances’ volumes are found by their attachment, each checked', async () => {
    mock = fakeVolumes([
      {
        VolumeId: 'vol-00000000000000aa',
        Encrypted: false,
        Attachments: [{ InstanceId: 'i-0f7c711dc84bedda0' }],
      },
      {
        VolumeId: 'vol-00000000000000bb',
        Encrypted: true,
        Attachments: [{ InstanceId: 'i-0f7c711dc84bedda0' }],
      },
      { VolumeId: 'vol-00000000000000cc', Encrypted: false, Attachments: [{ InstanceId: 'i-someoneelse' }] },
    ]);
    const runInstances = structuredClone(event());
    runInstances.detail.eventName = 'RunInstances';
    runInstances.detail.responseElements = {
      instancesSet: { items: [{ instanceId: 'i-0f7c711dc84bedda0' }] },
    };
    const report = await processEvent(engine(), runInstances);
    expect(report.outcomes.map((o) => `${o.status} ${o.resource.split('/')[1]}`)).toEqual([
      'ticket vol-00000000000000aa',
      'compliant vol-00000000000000bb',
    ]);
    // One lookup by attachment; the descriptions it returned are the checks' reads.
    expect(mock.commandCalls(DescribeVolumesCommand)).toHaveLength(1);
  });

  it('unencrypted: a ticket naming what the fix would stop, nothing written', async () => {
    mock = fakeVolumes([{ VolumeId: VOLUME, Encrypted: false, Attachments: [{ InstanceId: 'i-0abc' }] }]);
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'ticket',
      findings: ['volume is not encrypted'],
      reason: expect.stringContaining('stops i-0abc'),
      actions: [],
    });
  });

  it('encrypted: compliant; exempt and gone are reported as such', async () => {
    mock = fakeVolumes([{ VolumeId: VOLUME, Encrypted: true }]);
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    mock.restore();
    mock = fakeVolumes([
      { VolumeId: VOLUME, Encrypted: false, Tags: [{ Key: 'phiguard:exempt', Value: 'build cache' }] },
    ]);
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    mock.restore();
    mock = fakeVolumes([]);
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
  });

  it('a failed call and PHI Guard’s own call are set aside without a read; a failed read is an error', async () => {
    mock = fakeVolumes([{ VolumeId: VOLUME, Encrypted: false }]);
    const failed = event();
    failed.detail.errorCode = 'InvalidParameterValue';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeVolumesCommand).rejects(awsError('UnauthorizedOperation', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('UnauthorizedOperation'),
    });
  });
});
