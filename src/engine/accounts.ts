import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { partitionOf } from '../arn';
import { type ClientPool, sts } from '../aws-clients';
import { describeAwsError } from '../aws-errors';
import type { PhiGuardConfig } from '../config';
import { ConfigError } from '../errors';
import { type MemberAccess, memberAccess } from '../member-accounts';

/**
 * Which credentials act on an account's resources: PHI Guard's own for its own
 * account (PHIGUARD_ACCOUNT_ID, which the stack sets, else asked of STS once),
 * the account's member role for any other. The role is assumed here, before
 * anything is read, so a role that cannot be assumed stops the event at once
 * (MemberRoleError) and nothing is read or written in any account.
 */
export class AccountResolver {
  private ownAccount: Promise<string> | undefined;

  constructor(
    private readonly config: Pick<PhiGuardConfig, 'accountId' | 'member'>,
    private readonly clientsFor: ClientPool,
  ) {}

  /** Undefined for PHI Guard's own account (or none named), else the member role, assumed. */
  async memberAccessFor(region: string, accountId: string | undefined): Promise<MemberAccess | undefined> {
    if (!accountId) return undefined;
    if ((await this.own(region)) === accountId) return undefined;
    const member = memberAccess(partitionOf(region), accountId, this.config.member);
    await this.clientsFor.assume?.(member, region);
    return member;
  }

  private own(region: string): Promise<string> {
    this.ownAccount ??= this.config.accountId
      ? Promise.resolve(this.config.accountId)
      : this.clientsFor(region)
          .get(sts)
          .send(new GetCallerIdentityCommand({}))
          .then((identity) => identity.Account ?? '')
          .catch((error: unknown) => {
            this.ownAccount = undefined; // asked again by the retry
            throw new ConfigError(
              `cannot tell which account PHI Guard runs in (sts:GetCallerIdentity; set PHIGUARD_ACCOUNT_ID): ${describeAwsError(error)}`,
              { cause: error },
            );
          });
    return this.ownAccount;
  }
}
