import { parseArn } from './arn';
import type { CloudTrailRecord } from './cloudtrail-event';

/**
 * Loop prevention: PHI Guard's own fixes emit CloudTrail events too. A record
 * whose caller is one of PHI Guard's roles is not evidence of drift.
 *
 * An entry is a role ARN (`arn:aws:iam::123456789012:role/path/phiguard-prod`) or a
 * bare role name (`phiguard-prod`). A record matches when its session issuer is
 * that role, or its identity is an assumed-role session of it.
 */
interface RoleIdentity {
  accountId: string;
  name: string;
  arn?: string;
}

/** Role name and account from `arn:…:iam::acct:role/path/name` or `arn:…:sts::acct:assumed-role/name/session`. */
function roleFromArn(arn: string): RoleIdentity | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return undefined;
  if (parsed.service === 'iam' && parsed.resource.startsWith('role/')) {
    const name = parsed.resource.split('/').at(-1);
    return name ? { accountId: parsed.accountId, name, arn } : undefined;
  }
  if (parsed.service === 'sts' && parsed.resource.startsWith('assumed-role/')) {
    const name = parsed.resource.split('/')[1];
    return name ? { accountId: parsed.accountId, name } : undefined;
  }
  return undefined;
}

function callerRoles(record: CloudTrailRecord): RoleIdentity[] {
  const arns = [record.userIdentity?.sessionContext?.sessionIssuer?.arn, record.userIdentity?.arn];
  return arns.flatMap((arn) => {
    const role = arn ? roleFromArn(arn) : undefined;
    return role ? [role] : [];
  });
}

export function isSelfPrincipal(record: CloudTrailRecord, selfPrincipals: readonly string[]): boolean {
  if (selfPrincipals.length === 0) return false;
  const callers = callerRoles(record);
  const identityArn = record.userIdentity?.arn;
  return selfPrincipals.some((entry) => {
    if (!entry.startsWith('arn:')) return callers.some((caller) => caller.name === entry);
    if (entry === identityArn) return true;
    const wanted = roleFromArn(entry);
    if (!wanted) return false;
    return callers.some((caller) =>
      caller.arn
        ? caller.arn === entry
        : caller.name === wanted.name && caller.accountId === wanted.accountId,
    );
  });
}
