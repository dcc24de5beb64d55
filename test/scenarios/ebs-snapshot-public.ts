import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import { inRegion, loadFixture } from '../../local/fixtures';
import { snapshotIdOf } from '../../src/resources/ec2/snapshot';
import { ec2 } from '../../src/resources/ec2/vpc';
import type { RuleScenarios } from '../support/scenario';

const SNAPSHOT = 'snap-0a1b2c3d4e5f60001';

export default {
  drifted: [
    {
      name: 'restorable by all, and shared with one account',
      arn: `arn:aws:ec2:us-east-1::snapshot/${SNAPSHOT}`,
      aws(mocks) {
        let groups = [{ Group: 'all' }, { UserId: '111122223333' }];
        const stub = mocks.client(ec2);
        stub.on(DescribeSnapshotAttributeCommand).callsFake(() => ({ CreateVolumePermissions: groups }));
        stub.on(DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: SNAPSHOT, Tags: [] }] });
        stub.on(ModifySnapshotAttributeCommand).callsFake(() => {
          groups = groups.filter((g) => g.Group !== 'all');
          return {};
        });
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    // Its awsRegion is scrambled (not a Region's name): it names nothing.
    'ec2/ModifySnapshotAttribute.1.json': [],
    'ec2/ModifySnapshotAttribute.2.json': ['arn:aws:ec2:us-west-2::snapshot/snap-1111'],
    'ec2/ModifySnapshotAttribute.3.json': ['arn:aws:ec2:us-west-2::snapshot/snap-1111'],
  },
  emulator: {
    async seed(clients, region) {
      const client = clients.get(ec2);
      const volume = await client.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1 }));
      const snapshot = await client.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId as string }));
      const SnapshotId = snapshot.SnapshotId as string;
      // The snapshot outlives its (unencrypted) volume: the one drift seeded is the sharing.
      await client.send(new DeleteVolumeCommand({ VolumeId: volume.VolumeId as string }));
      await client.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId,
          Attribute: 'createVolumePermission',
          OperationType: 'add',
          GroupNames: ['all'],
          UserIds: ['111122223333'],
        }),
      );
      return `arn:aws:ec2:${region}::snapshot/${SnapshotId}`;
    },
    expect: 'remediated',
    event(arn, region) {
      const event = inRegion(loadFixture('ec2/ModifySnapshotAttribute.public'), region);
      (event.detail.requestParameters as Record<string, unknown>).snapshotId = snapshotIdOf(arn);
      return event;
    },
    async fixed(clients, arn) {
      const out = await clients.get(ec2).send(
        new DescribeSnapshotAttributeCommand({
          SnapshotId: snapshotIdOf(arn),
          Attribute: 'createVolumePermission',
        }),
      );
      // Public no more; the account it was shared with by id keeps its share.
      expect(out.CreateVolumePermissions).toEqual([{ UserId: '111122223333' }]);
    },
  },
} satisfies RuleScenarios;
