import { CreateVolumeCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { inRegion, loadFixture } from '../../local/fixtures';
import { volumeIdOf } from '../../src/resources/ec2/volume';
import { ec2 } from '../../src/resources/ec2/vpc';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'an unencrypted volume attached to an instance (a ticket)',
      arn: 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0a1b2c3d4e5f60001',
      aws(mocks) {
        mocks
          .client(ec2)
          .on(DescribeVolumesCommand)
          .resolves({
            Volumes: [
              {
                VolumeId: 'vol-0a1b2c3d4e5f60001',
                Encrypted: false,
                Attachments: [{ InstanceId: 'i-0abc' }],
                Tags: [],
              },
            ],
          });
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'ec2/CreateVolume.1.json': ['arn:aws:ec2:us-east-1:101010101111:volume/vol-97c02b3e'],
    'ec2/CreateVolume.2.json': ['arn:aws:ec2:us-east-1:123456789012:volume/vol-13439757'],
    'ec2/RunInstances.1.json': 'lookup',
  },
  emulator: {
    async seed(clients, region) {
      const volume = await clients
        .get(ec2)
        .send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1, Encrypted: false }));
      return `arn:aws:ec2:${region}:123456789012:volume/${volume.VolumeId}`;
    },
    expect: 'ticket',
    event(arn, region) {
      const event = inRegion(loadFixture('ec2/CreateVolume.unencrypted'), region);
      (event.detail.responseElements as Record<string, unknown>).volumeId = volumeIdOf(arn);
      return event;
    },
  },
} satisfies RuleScenarios;
