import {
  GetBlockPublicAccessConfigurationCommand,
  type PortRange,
  PutBlockPublicAccessConfigurationCommand,
} from '@aws-sdk/client-emr';
import { emr } from '../../src/resources/emr/cluster';
import type { MockAws, RuleScenarios } from '../support/scenario';

export const BPA_ARN =
  'arn:aws:elasticmapreduce:us-east-1:123456789012:account-setting/emr-block-public-access';

/** The Region's configuration behind the mocked client; Put replaces it, as EMR does. */
export function fakeBlockPublicAccess(
  mocks: MockAws,
  config: { BlockPublicSecurityGroupRules?: boolean; PermittedPublicSecurityGroupRuleRanges?: PortRange[] },
) {
  const stub = mocks.client(emr);
  stub.on(GetBlockPublicAccessConfigurationCommand).callsFake(() => ({
    BlockPublicAccessConfiguration: { ...config },
  }));
  stub
    .on(PutBlockPublicAccessConfigurationCommand)
    .callsFake((input: { BlockPublicAccessConfiguration: typeof config }) => {
      Object.assign(config, input.BlockPublicAccessConfiguration);
      return {};
    });
  return stub;
}

export default {
  drifted: [
    {
      name: 'block public access turned off, SSH and HTTPS permitted',
      arn: BPA_ARN,
      aws: (mocks) =>
        fakeBlockPublicAccess(mocks, {
          BlockPublicSecurityGroupRules: false,
          PermittedPublicSecurityGroupRuleRanges: [{ MinRange: 22, MaxRange: 22 }, { MinRange: 443 }],
        }),
    },
  ],
  /** No real PutBlockPublicAccessConfiguration record in ../shared/cloudtrail-samples. */
  samples: {},
  emulator: {
    unsupported:
      "moto's PutBlockPublicAccessConfiguration stores true whatever it is sent, so it cannot hold the drift; and reached through an endpoint URL its EMR serves every Region from us-east-1",
  },
} satisfies RuleScenarios;
