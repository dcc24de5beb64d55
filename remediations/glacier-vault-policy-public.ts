/**
 * §164.312(a)(1) Access control: archives of PHI are not readable by anyone on
 * the internet. Compliant means the vault's access policy has no statement that
 * allows everyone (`"Principal": "*"` or `{"AWS": "*"}`) without a condition, the
 * test S3's Block Public Access applies to a bucket policy.
 *
 * The fix removes exactly the public statements and keeps every other one
 * (SetVaultAccessPolicy with the rest); a policy that was nothing but public
 * statements is deleted (a policy needs one statement). Who keeps access is
 * unchanged: accounts and roles named in the policy, and IAM policies in the
 * account. The vault lock policy, which cannot be changed once locked, is a
 * different document and never touched.
 *
 * Events: SetVaultAccessPolicy.
 */
import {
  DeleteVaultAccessPolicyCommand,
  GetVaultAccessPolicyCommand,
  SetVaultAccessPolicyCommand,
} from '@aws-sdk/client-glacier';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { isPublicStatement, PolicyDocumentError, parsePolicy } from '../src/policy-document';
import { glacier, glacierVault, isNotFound, vaultExists, vaultOf } from '../src/resources/glacier/vault';
import { defineRule } from '../src/rule';

interface Observed {
  /** The policy without its public statements; undefined when none would remain. */
  kept?: string;
  keptCount: number;
  publicCount: number;
}

export default defineRule<Observed>({
  id: 'glacier-vault-policy-public',
  title: 'Glacier vault access policy must not allow everyone',
  severity: 'critical',
  safeguards: ['164.312(a)(1)'],
  fix: 'remove the statements that allow everyone without a condition, keep the others (none left: delete the policy)',
  resource: glacierVault,
  triggers: [{ source: 'glacier.amazonaws.com', events: ['SetVaultAccessPolicy'] }],
  permissions: {
    read: ['glacier:GetVaultAccessPolicy'],
    write: ['glacier:SetVaultAccessPolicy', 'glacier:DeleteVaultAccessPolicy'],
  },

  async check(arn, ctx) {
    let text: string | undefined;
    try {
      const out = await ctx.clients.get(glacier).send(new GetVaultAccessPolicyCommand(vaultOf(arn)));
      text = out.policy?.Policy;
    } catch (error) {
      // The same code for "no policy" and "no vault": tell them apart.
      if (!isNotFound(error)) throw error;
      if (!(await vaultExists(arn, ctx))) throw new ResourceGoneError(arn, { cause: error });
    }
    const none: Observed = { keptCount: 0, publicCount: 0 };
    if (!text) return { state: 'compliant', findings: [], observed: none, summary: { policy: false } };
    let document: ReturnType<typeof parsePolicy>;
    try {
      document = parsePolicy(text);
    } catch (error) {
      // AWS validates policies on write: an unreadable one is a reason to stop, not to guess.
      if (error instanceof PolicyDocumentError)
        throw new PolicyDocumentError('vault access policy is not valid JSON', { cause: error });
      throw error;
    }
    const publicStatements = document.Statement.filter(isPublicStatement);
    const others = document.Statement.filter((statement) => !isPublicStatement(statement));
    const summary = { policy: true, statements: document.Statement.length, public: publicStatements.length };
    if (publicStatements.length === 0) return { state: 'compliant', findings: [], observed: none, summary };
    return {
      state: 'non-compliant',
      // Counts only: the policy may name principals and archive descriptions.
      findings: [`vault access policy allows everyone in ${publicStatements.length} statement(s)`],
      observed: {
        kept: others.length > 0 ? JSON.stringify({ ...document, Statement: others }) : undefined,
        keptCount: others.length,
        publicCount: publicStatements.length,
      },
      summary,
    };
  },

  plan(arn, observed) {
    const vault = vaultOf(arn);
    if (observed.kept === undefined) {
      return { kind: 'fix', actions: [awsCall(glacier, DeleteVaultAccessPolicyCommand, vault)] };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(
          glacier,
          SetVaultAccessPolicyCommand,
          { ...vault, policy: { Policy: observed.kept } },
          // People see the policy's shape, not its text.
          {
            show: { policy: { statementsKept: observed.keptCount, statementsRemoved: observed.publicCount } },
          },
        ),
      ],
    };
  },
});
