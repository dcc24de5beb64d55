import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { describeAwsError } from './aws-errors';
import { PhiGuardError } from './errors';

/**
 * Acting in another account of the organisation: PHI Guard runs in one (security)
 * account and reads and fixes a member account's resources through that account's
 * member role (`phiguard-member` by default), never with its own credentials. An
 * event of PHI Guard's own account uses its own credentials.
 */
export interface MemberAccess {
  accountId: string;
  roleArn: string;
  externalId?: string;
}

export function memberAccess(
  partition: string,
  accountId: string,
  settings: { roleName: string; externalId?: string },
): MemberAccess {
  return {
    accountId,
    roleArn: `arn:${partition}:iam::${accountId}:role/${settings.roleName}`,
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
  };
}

/**
 * The member role could not be assumed: the outcome is an `error` naming the
 * account and the role (the event is retried, then dead-lettered), and nothing is
 * read or written in any account.
 */
export class MemberRoleError extends PhiGuardError {
  constructor(
    readonly access: MemberAccess,
    options: { cause: unknown },
  ) {
    super(
      `cannot act in account ${access.accountId}: assuming ${access.roleArn} failed (${describeAwsError(options.cause)})`,
      options,
    );
    this.name = 'MemberRoleError';
  }
}

/** Credentials are renewed this long before they expire, so no call starts with credentials about to lapse. */
export const RENEW_BEFORE_MS = 5 * 60_000;

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * A credential provider for one member account: one AssumeRole, shared by every
 * client and Region of the account, until shortly before the credentials expire.
 * Calls that need credentials at the same moment wait for the same AssumeRole.
 */
export function memberCredentials(
  access: MemberAccess,
  sts: () => STSClient,
  now: () => number = Date.now,
): () => Promise<TemporaryCredentials> {
  let cached: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  const assume = async (): Promise<TemporaryCredentials> => {
    try {
      const out = await sts().send(
        new AssumeRoleCommand({
          RoleArn: access.roleArn,
          RoleSessionName: 'phiguard',
          ...(access.externalId ? { ExternalId: access.externalId } : {}),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    } catch (error) {
      throw new MemberRoleError(access, { cause: error });
    }
  };
  return () => {
    const expires = cached?.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    if (cached && expires - RENEW_BEFORE_MS > now()) return Promise.resolve(cached);
    pending ??= assume()
      .then((credentials) => {
        cached = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
