/**
 * §164.312(a)(1) Access control / §164.312(e)(1) Transmission security: EMR
 * clusters process PHI on EC2 instances; block public access stops a cluster from
 * starting with security groups open to the internet (0.0.0.0/0, ::/0) on any port
 * outside the permitted ranges. Compliant means it is on. A configuration that does
 * not say it is on reads as off.
 *
 * The fix turns it back on and keeps the permitted port ranges as they are (port
 * 22 by default: the account's own exceptions stay). It changes no running
 * cluster and no security group; it applies when the next cluster starts.
 *
 * Events: PutBlockPublicAccessConfiguration. The sweep checks every Region it
 * covers, which catches a Region where it was turned off before PHI Guard.
 */
import {
  GetBlockPublicAccessConfigurationCommand,
  type PortRange,
  PutBlockPublicAccessConfigurationCommand,
} from '@aws-sdk/client-emr';
import { awsCall } from '../src/planned-action';
import { emrBlockPublicAccess } from '../src/resources/emr/block-public-access';
import { emr } from '../src/resources/emr/cluster';
import { defineRule } from '../src/rule';

interface Observed {
  permittedRanges: PortRange[];
}

const rangesText = (ranges: PortRange[]) =>
  ranges
    .map((r) =>
      r.MaxRange === undefined || r.MaxRange === r.MinRange ? `${r.MinRange}` : `${r.MinRange}-${r.MaxRange}`,
    )
    .join(', ');

export default defineRule<Observed>({
  id: 'emr-block-public-access',
  title: 'EMR block public access must be on in every Region',
  severity: 'high',
  safeguards: ['164.312(a)(1)', '164.312(e)(1)'],
  fix: 'turn block public access back on, keeping the permitted port ranges',
  resource: emrBlockPublicAccess,
  triggers: [{ source: 'elasticmapreduce.amazonaws.com', events: ['PutBlockPublicAccessConfiguration'] }],
  permissions: {
    read: ['elasticmapreduce:GetBlockPublicAccessConfiguration'],
    write: ['elasticmapreduce:PutBlockPublicAccessConfiguration'],
  },

  async check(arn, ctx) {
    const out = await ctx.reads.get(arn, 'emr:block-public-access', () =>
      ctx.clients.get(emr).send(new GetBlockPublicAccessConfigurationCommand({})),
    );
    const config = out.BlockPublicAccessConfiguration;
    const on = config?.BlockPublicSecurityGroupRules === true;
    const permittedRanges = config?.PermittedPublicSecurityGroupRuleRanges ?? [];
    return {
      state: on ? 'compliant' : 'non-compliant',
      findings: on ? [] : ['EMR block public access is off in this Region'],
      observed: { permittedRanges },
      summary: { blockPublicAccess: on, permittedPorts: rangesText(permittedRanges) },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'fix',
      actions: [
        awsCall(emr, PutBlockPublicAccessConfigurationCommand, {
          BlockPublicAccessConfiguration: {
            BlockPublicSecurityGroupRules: true,
            // Merged, not replaced: the account's permitted ranges stay as they were.
            PermittedPublicSecurityGroupRuleRanges: observed.permittedRanges,
          },
        }),
      ],
    };
  },
});
