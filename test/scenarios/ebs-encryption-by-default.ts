import {
  DisableEbsEncryptionByDefaultCommand,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import { inRegion, loadFixture } from '../../local/fixtures';
import { ec2 } from '../../src/resources/ec2/vpc';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'EBS encryption by default off',
      arn: 'arn:aws:ec2:us-east-1:123456789012:account-setting/ebs-encryption-by-default',
      aws(mocks) {
        let enabled = false;
        const stub = mocks.client(ec2);
        stub.on(GetEbsEncryptionByDefaultCommand).callsFake(() => ({ EbsEncryptionByDefault: enabled }));
        stub.on(EnableEbsEncryptionByDefaultCommand).callsFake(() => {
          enabled = true;
          return { EbsEncryptionByDefault: true };
        });
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'ec2/DisableEbsEncryptionByDefault.1.json': [
      'arn:aws:ec2:us-east-1:123456789:account-setting/ebs-encryption-by-default',
    ],
  },
  emulator: {
    async seed(clients, region) {
      await clients.get(ec2).send(new DisableEbsEncryptionByDefaultCommand({}));
      return `arn:aws:ec2:${region}:123456789012:account-setting/ebs-encryption-by-default`;
    },
    expect: 'remediated',
    event: (_arn, region) => inRegion(loadFixture('ec2/DisableEbsEncryptionByDefault.basic'), region),
    async fixed(clients) {
      const out = await clients.get(ec2).send(new GetEbsEncryptionByDefaultCommand({}));
      expect(out.EbsEncryptionByDefault).toBe(true);
    },
  },
} satisfies RuleScenarios;
