import type { CheckResult, Plan } from './rule';

/**
 * What the PHI-name rules (s3-bucket-name-phi, glacier-vault-name-phi) share: the
 * judgement of a name from the kinds of PHI it looks like to contain
 * (`ctx.phiNames.match`), and the ticket. Findings and tickets name the kinds,
 * never the name.
 */
export interface PhiNameObserved {
  kinds: string[];
}

/**
 * Compliant without a call when the name looks like nothing; otherwise
 * `confirmExists` (which throws ResourceGoneError) runs first, so a resource
 * deleted since is not ticketed.
 */
export async function judgeName(
  kinds: string[],
  confirmExists: () => Promise<unknown>,
): Promise<CheckResult<PhiNameObserved>> {
  if (kinds.length === 0) {
    return { state: 'compliant', findings: [], observed: { kinds }, summary: { nameLooksLikePhi: false } };
  }
  await confirmExists();
  return {
    state: 'non-compliant',
    findings: kinds.map((kind) => `the name looks like it contains ${kind}`),
    observed: { kinds },
    summary: { nameLooksLikePhi: true },
  };
}

/** The ticket for a resource that cannot be renamed: `what` it is, and what a person does instead. */
export function renameTicket(what: string, kinds: readonly string[], instead: string): Plan {
  return {
    kind: 'ticket',
    reason: `the ${what}'s name looks like it contains ${kinds.join(' and ')}: names appear in logs, consoles and URLs not protected like the data, and a ${what} cannot be renamed. ${instead}`,
  };
}
