/**
 * AWS::Glacier::Vault. Glacier's APIs name a vault by account and name (`-` for
 * the caller's account); records carry both in `requestParameters` (`accountId`
 * is usually `-`, so the account is the record's recipient).
 *
 * moto implements vaults (create, list, describe) but not their access policies
 * or tags: the vault rules are tested with client mocks.
 */

import {
  DescribeVaultCommand,
  GlacierClient,
  ListTagsForVaultCommand,
  ListVaultsCommand,
} from '@aws-sdk/client-glacier';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { consoleHost } from '../console';
import type { ResourceContext } from '../resource-type';
import { defineResourceType } from '../resource-type';

export const glacier = awsClient(GlacierClient, { iamPrefix: 'glacier' });

const VAULT_NAME = /^[a-zA-Z0-9_.-]{1,255}$/;

export function vaultArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:glacier:${region}:${accountId}:vaults/${name}`;
}

/** The account and name Glacier's APIs take for a vault ARN. */
export function vaultOf(arn: string): { accountId: string; vaultName: string } {
  const parsed = parseArn(arn);
  const name = parsed?.resource.startsWith('vaults/') ? parsed.resource.slice('vaults/'.length) : '';
  if (parsed?.service === 'glacier' && VAULT_NAME.test(name))
    return { accountId: parsed.accountId, vaultName: name };
  throw new TypeError(`not a Glacier vault ARN: ${arn}`);
}

/**
 * Glacier answers ResourceNotFoundException both for a vault that does not exist
 * and for a vault without the thing asked for (no access policy): callers that
 * can meet the second ask `vaultExists`.
 */
export function isNotFound(error: unknown): boolean {
  return hasErrorCode(error, 'ResourceNotFoundException');
}

/** Whether the vault still exists (DescribeVault), cached per evaluation. */
export function vaultExists(arn: string, ctx: ResourceContext): Promise<boolean> {
  return ctx.reads.get(arn, 'glacier:exists', async () => {
    try {
      await ctx.clients.get(glacier).send(new DescribeVaultCommand(vaultOf(arn)));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  });
}

function vaultArns(record: CloudTrailRecord): string[] {
  const name = stringField(record.requestParameters, 'vaultName');
  const given = stringField(record.requestParameters, 'accountId');
  const account = given && /^\d{12}$/.test(given) ? given : accountOf(record);
  const region = record.awsRegion;
  if (!name || !VAULT_NAME.test(name) || !account || !/^\d{12}$/.test(account) || !region) return [];
  return [vaultArn(partitionOf(region), region, account, name)];
}

export const glacierVault = defineResourceType({
  type: 'AWS::Glacier::Vault',
  client: glacier,
  permissions: { read: ['glacier:ListVaults', 'glacier:ListTagsForVault', 'glacier:DescribeVault'] },

  resourceIds: vaultArns,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(glacier).send(
      new ListVaultsCommand({
        accountId: '-',
        marker: token,
        limit: Math.min(ctx.pageSize ?? 1000, 1000),
      }),
    );
    const arns = (page.VaultList ?? []).flatMap((vault) =>
      vault.VaultName && VAULT_NAME.test(vault.VaultName)
        ? [vaultArn(ctx.partition, ctx.region, ctx.accountId, vault.VaultName)]
        : [],
    );
    return { arns, next: page.Marker || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(glacier).send(new ListTagsForVaultCommand(vaultOf(arn)));
        return { ...(out.Tags ?? {}) };
      } catch (error) {
        if (isNotFound(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    const { vaultName } = vaultOf(arn);
    return base
      ? `${base}/glacier/home?region=${region}#/vault/${encodeURIComponent(vaultName)}/view/properties`
      : undefined;
  },
});
