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
import { judgeName, type PhiNameObserved, renameTicket } from '../src/phi-name-findings';
import { glacierVault, vaultExists, vaultOf } from '../src/resources/glacier/vault';
import { defineRule } from '../src/rule';

export default defineRule<PhiNameObserved>({
  id: 'glacier-vault-name-phi',
  title: 'Glacier vault name must not contain PHI',
  severity: 'high',
  safeguards: ['164.312(a)(1)'],
  fix: 'ticket: a vault cannot be renamed (its ARN is redacted everywhere PHI Guard writes)',
  resource: glacierVault,
  triggers: [{ source: 'glacier.amazonaws.com', events: ['CreateVault'] }],
  // Read only when the name looks like PHI: to ticket a vault that still exists.
  permissions: { read: ['glacier:DescribeVault'], write: [] },

  check: (arn, ctx) =>
    judgeName(ctx.phiNames.match(vaultOf(arn).vaultName), async () => {
      if (!(await vaultExists(arn, ctx))) throw new ResourceGoneError(arn);
    }),

  plan: (_arn, observed) =>
    renameTicket(
      'vault',
      observed.kinds,
      'Create a vault with a neutral name, move the archives to it, then delete this one',
    ),
});
