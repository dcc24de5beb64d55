import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { describeAwsError } from '../aws-errors';
import { ConfigError, PhiGuardError } from '../errors';

/**
 * Which accounts a sweep covers: PHI Guard's own (the default), a listed set, or
 * every active account of the organisation (its own included). Each account other
 * than PHI Guard's own is swept through its member role.
 */
export type AccountSelection =
  | { kind: 'own' }
  | { kind: 'listed'; accounts: string[] }
  | { kind: 'organization' };

const ACCOUNT_ID = /^\d{12}$/;

/** PHIGUARD_SWEEP_ACCOUNTS: empty (own account), `org`, or comma-separated account ids. */
export function accountSelection(name: string, raw: string | undefined): AccountSelection {
  const value = raw?.trim() ?? '';
  if (value === '') return { kind: 'own' };
  if (value === 'org') return { kind: 'organization' };
  return { kind: 'listed', accounts: accountIds(name, value.split(',')) };
}

/** Account ids as given (`--account`, the environment), checked and de-duplicated in order. */
export function accountIds(name: string, values: readonly string[]): string[] {
  const ids = values.map((v) => v.trim()).filter(Boolean);
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined) {
    throw new ConfigError(
      `${name}: "${bad}" is not a 12-digit AWS account id (or "org" for the organisation)`,
    );
  }
  return [...new Set(ids)];
}

/** Organizations could not list the accounts (not the management or a delegated administrator account, …). */
export class AccountListError extends PhiGuardError {
  constructor(detail: string, options?: { cause: unknown }) {
    super(
      `cannot list the organisation's accounts (organizations:ListAccounts): ${detail}; run from the management account or a delegated administrator, or name the accounts`,
      options,
    );
    this.name = 'AccountListError';
  }
}

/** Every ACTIVE account of the organisation, sorted (suspended and closing accounts are not swept). */
export async function organizationAccounts(client: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await client.send(new ListAccountsCommand({ NextToken }));
      for (const account of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; either may be the one returned.
        const state = account.State ?? account.Status;
        if (account.Id && state === 'ACTIVE') ids.push(account.Id);
      }
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    throw new AccountListError(describeAwsError(error), { cause: error });
  }
  // An organisation always lists its management account: an empty answer would sweep
  // nothing and report a clean organisation, so it is refused like an error.
  if (ids.length === 0) throw new AccountListError('it answered no active account');
  return ids.sort();
}

/**
 * The accounts of a selection; `own` is PHI Guard's own account. Organizations is
 * one global endpoint per partition, which any Region of the partition resolves to.
 */
export async function sweepAccounts(
  selection: AccountSelection,
  own: string,
  region: string,
  organizations: (region: string) => OrganizationsClient = (r) =>
    new OrganizationsClient({ region: r, maxAttempts: 5 }),
): Promise<string[]> {
  if (selection.kind === 'own') return [own];
  if (selection.kind === 'listed') return selection.accounts;
  return organizationAccounts(organizations(region));
}
