/**
 * §164.312(a)(1) Access control / §164.514 minimum necessary: no PHI in a Glacier
 * vault's name, for the same reason as a bucket's (s3-bucket-name-phi): names
 * travel where the data's protection does not. Compliant means the name matches
 * none of the PHI patterns (src/phi-names.ts and PHIGUARD_PHI_NAME_PATTERNS).
 *
 * Always a ticket: a vault cannot be renamed, and its archives can only be moved
 * by retrieving them. The vault's ARN is redacted everywhere PHI Guard writes.
 *
 * Events: CreateVault. The sweep finds the names given before PHI Guard.
 */

import { ResourceGoneError } from '../src/errors';
import { glacierVault, vaultExists, vaultOf } from '../src/resources/glacier/vault';
import { defineRule } from '../src/rule';

interface Observed {
  kinds: string[];
}

export default defineRule<Observed>({
  id: 'glacier-vault-name-phi',
  title: 'Glacier vault name must not contain PHI',
  severity: 'high',
  safeguards: ['164.312(a)(1)'],
  fix: 'ticket: a vault cannot be renamed (its ARN is redacted everywhere PHI Guard writes)',
  resource: glacierVault,
  triggers: [{ source: 'glacier.amazonaws.com', events: ['CreateVault'] }],
  // Read only when the name looks like PHI: to ticket a vault that still exists.
  permissions: { read: ['glacier:DescribeVault'], write: [] },

  async check(arn, ctx) {
    const kinds = ctx.phiNames.match(vaultOf(arn).vaultName);
    if (kinds.length === 0) {
      return { state: 'compliant', findings: [], observed: { kinds }, summary: { nameLooksLikePhi: false } };
    }
    if (!(await vaultExists(arn, ctx))) throw new ResourceGoneError(arn);
    return {
      state: 'non-compliant',
      findings: kinds.map((kind) => `the name looks like it contains ${kind}`),
      observed: { kinds },
      summary: { nameLooksLikePhi: true },
    };
  },

  plan(_arn, observed) {
    return {
      kind: 'ticket',
      reason: `the vault's name looks like it contains ${observed.kinds.join(' and ')}: names appear in logs, consoles and URLs not protected like the data, and a vault cannot be renamed. Create a vault with a neutral name, move the archives to it, then delete this one`,
    };
  },
});
