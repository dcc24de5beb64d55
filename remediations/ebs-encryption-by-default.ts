/**
 * §164.312(a)(2)(iv) Encryption and decryption: with EBS encryption by default on,
 * every new volume and snapshot copy in the region is encrypted, whoever creates
 * it and however. Turning it back on changes no existing volume; new volumes are
 * encrypted with the region's default EBS key.
 *
 * Events: DisableEbsEncryptionByDefault. The sweep checks every account and region
 * it covers, which catches a region where it was never turned on.
 */
import { EnableEbsEncryptionByDefaultCommand, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { awsCall } from '../src/planned-action';
import { ebsEncryptionByDefault } from '../src/resources/ec2/ebs-encryption-by-default';
import { ec2 } from '../src/resources/ec2/vpc';
import { defineRule } from '../src/rule';

interface Observed {
  enabled: boolean;
}

export default defineRule<Observed>({
  id: 'ebs-encryption-by-default',
  title: 'EBS encryption by default must be on in every region',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'turn EBS encryption by default on (existing volumes are unchanged)',
  resource: ebsEncryptionByDefault,
  triggers: [{ source: 'ec2.amazonaws.com', events: ['DisableEbsEncryptionByDefault'] }],
  permissions: {
    read: ['ec2:GetEbsEncryptionByDefault'],
    write: ['ec2:EnableEbsEncryptionByDefault'],
  },

  async check(arn, ctx) {
    const out = await ctx.reads.get(arn, 'ec2:ebs-encryption-by-default', () =>
      ctx.clients.get(ec2).send(new GetEbsEncryptionByDefaultCommand({})),
    );
    const enabled = out.EbsEncryptionByDefault === true;
    return {
      state: enabled ? 'compliant' : 'non-compliant',
      findings: enabled ? [] : ['EBS encryption by default is off in this region'],
      observed: { enabled },
      summary: { ebsEncryptionByDefault: enabled },
    };
  },

  plan() {
    return { kind: 'fix', actions: [awsCall(ec2, EnableEbsEncryptionByDefaultCommand, {})] };
  },
});
