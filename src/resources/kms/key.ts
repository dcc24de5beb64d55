/**
 * AWS::KMS::Key. KMS records list the key they act on in the record's own
 * `resources` (`[{ARN, type: "AWS::KMS::Key"}]`); `requestParameters.keyId` may be
 * an id, an ARN or an alias, so it is used only when it is an id or an ARN.
 * The three KMS rules share one DescribeKey per key: who manages it, its spec, its
 * origin and its state decide what the rules may judge.
 */

import {
  DescribeKeyCommand,
  type KeyMetadata,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { asList, stringField } from '../../record-fields';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const kms = awsClient(KMSClient, { iamPrefix: 'kms' });

const KEY_ARN = /^arn:[^:]+:kms:[^:]+:\d{12}:key\/[a-zA-Z0-9-]{1,128}$/;
/** A key id (a UUID, or `mrk-…` for a multi-Region key); aliases are not ids. */
const KEY_ID = /^(mrk-)?[a-fA-F0-9-]{1,64}$/;

export function keyArn(partition: string, region: string, accountId: string, keyId: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
}

/** The key id of a key ARN; a TypeError for any other ARN. */
export function keyIdOf(arn: string): string {
  if (!KEY_ARN.test(arn)) throw new TypeError(`not a KMS key ARN: ${arn}`);
  return (parseArn(arn)?.resource ?? '').slice('key/'.length);
}

/** A key that no longer exists (deleted after its waiting period). */
export function isKeyGone(error: unknown): boolean {
  return hasErrorCode(error, 'NotFoundException');
}

function keyArns(record: CloudTrailRecord): string[] {
  const listed = asList(record.resources).flatMap((r) => {
    const arn = stringField(r, 'ARN');
    return arn && KEY_ARN.test(arn) ? [arn] : [];
  });
  if (listed.length > 0) return [...new Set(listed)];
  const fromResponse = stringField(record.responseElements, 'keyMetadata', 'arn');
  if (fromResponse && KEY_ARN.test(fromResponse)) return [fromResponse];
  const keyId = stringField(record.requestParameters, 'keyId');
  if (keyId && KEY_ARN.test(keyId)) return [keyId];
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!keyId || !KEY_ID.test(keyId) || !region || !account) return [];
  return [keyArn(partitionOf(region), region, String(account), keyId)];
}

/** The key's metadata, read once for the rules of one event or sweep page; ResourceGoneError when it no longer exists. */
export function describeKey(ctx: ResourceContext, arn: string): Promise<KeyMetadata> {
  return ctx.reads.get(arn, 'kms:metadata', async () => {
    try {
      const out = await ctx.clients.get(kms).send(new DescribeKeyCommand({ KeyId: keyIdOf(arn) }));
      if (!out.KeyMetadata) throw new ResourceGoneError(arn);
      return out.KeyMetadata;
    } catch (error) {
      if (isKeyGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

/**
 * Why the KMS rules do not judge this key, or undefined when they do: keys AWS
 * manages for a service are AWS's to keep (they cannot be disabled, scheduled or
 * rotated by their account).
 */
export function notJudged(key: KeyMetadata): string | undefined {
  return key.KeyManager === 'AWS' ? 'AWS-managed key' : undefined;
}

export const kmsKey = defineResourceType({
  type: 'AWS::KMS::Key',
  client: kms,
  permissions: { read: ['kms:ListKeys', 'kms:DescribeKey', 'kms:ListResourceTags'] },

  resourceIds: keyArns,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(kms)
      .send(new ListKeysCommand({ Marker: token, Limit: Math.min(ctx.pageSize ?? 1000, 1000) }));
    const arns = (page.Keys ?? []).flatMap((k) =>
      k.KeyArn && KEY_ARN.test(k.KeyArn)
        ? [k.KeyArn]
        : k.KeyId
          ? [keyArn(ctx.partition, ctx.region, ctx.accountId, k.KeyId)]
          : [],
    );
    return { arns, next: page.Truncated ? page.NextMarker : undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(kms).send(new ListResourceTagsCommand({ KeyId: keyIdOf(arn) }));
        return Object.fromEntries((out.Tags ?? []).map((t) => [t.TagKey ?? '', t.TagValue ?? '']));
      } catch (error) {
        if (isKeyGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/kms/home?region=${region}#/kms/keys/${encodeURIComponent(keyIdOf(arn))}`;
  },
});
