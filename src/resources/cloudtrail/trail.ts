/**
 * AWS::CloudTrail::Trail. Records name a trail by `name` (a name or an ARN),
 * PutEventSelectors by `trailName`; CreateTrail and UpdateTrail answer with its
 * ARN. A multi-Region trail is listed in every Region (a "shadow" there): it is
 * judged and fixed in its home Region only, and an organization trail only in the
 * management account that owns it.
 */

import {
  CloudTrailClient,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ListTrailsCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { parseArn, partitionOf, REGION_NAME } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const cloudtrail = awsClient(CloudTrailClient, { iamPrefix: 'cloudtrail' });

/** Trail names start with a letter or digit (a placeholder like "..." names nothing). */
const TRAIL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{2,127}$/;
const TRAIL_ARN = new RegExp(
  `^arn:[^:]+:cloudtrail:${REGION_NAME.source.slice(1, -1)}:\\d{12}:trail/${TRAIL_NAME.source.slice(1, -1)}$`,
);

export function trailArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** A trail that no longer exists. */
export function isTrailGone(error: unknown): boolean {
  return hasErrorCode(error, 'TrailNotFoundException');
}

function trailArns(record: CloudTrailRecord): string[] {
  const fromResponse = stringField(record.responseElements, 'trailARN');
  if (fromResponse && TRAIL_ARN.test(fromResponse)) return [fromResponse];
  const named =
    stringField(record.requestParameters, 'name') ?? stringField(record.requestParameters, 'trailName');
  if (named && TRAIL_ARN.test(named)) return [named];
  const region = record.awsRegion;
  const account = accountOf(record);
  if (!named || !TRAIL_NAME.test(named) || !region || !REGION_NAME.test(region) || !account) return [];
  return [trailArn(partitionOf(region), region, String(account), named)];
}

/** The trail's configuration, read once per event or sweep page; ResourceGoneError when it no longer exists. */
export function describeTrail(ctx: ResourceContext, arn: string): Promise<Trail> {
  return ctx.reads.get(arn, 'cloudtrail:trail', async () => {
    try {
      const out = await ctx.clients.get(cloudtrail).send(new GetTrailCommand({ Name: arn }));
      if (!out.Trail) throw new ResourceGoneError(arn);
      return out.Trail;
    } catch (error) {
      if (isTrailGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

/** The trail's name (unique in its home Region, where it is judged and fixed). */
export function trailNameOf(arn: string): string {
  return arn.split('/').at(-1) as string;
}

/**
 * Whether the trail is logging, read once per event or sweep page (by ARN: a
 * multi-Region trail's status is asked from any Region by its ARN); ResourceGoneError
 * when it no longer exists.
 */
export function isTrailLogging(ctx: ResourceContext, arn: string): Promise<boolean> {
  return ctx.reads.get(arn, 'cloudtrail:status', async () => {
    try {
      const out = await ctx.clients.get(cloudtrail).send(new GetTrailStatusCommand({ Name: arn }));
      return out.IsLogging === true;
    } catch (error) {
      if (isTrailGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

/**
 * Why a trail is not judged from here, or undefined when it is: a shadow of a
 * trail whose home is another Region, or an organization trail of another account.
 */
export function notJudgedHere(trail: Trail, arn: string, ctx: ResourceContext): string | undefined {
  if (trail.HomeRegion && trail.HomeRegion !== ctx.region)
    return `judged in its home Region ${trail.HomeRegion}`;
  if (trail.IsOrganizationTrail && parseArn(arn)?.accountId !== ctx.accountId) {
    return 'an organization trail, judged in the management account';
  }
  return undefined;
}

export const cloudTrailTrail = defineResourceType({
  type: 'AWS::CloudTrail::Trail',
  client: cloudtrail,
  permissions: { read: ['cloudtrail:ListTrails', 'cloudtrail:GetTrail', 'cloudtrail:ListTags'] },

  resourceIds: trailArns,

  async listPage(ctx, token) {
    const page = await ctx.clients.get(cloudtrail).send(new ListTrailsCommand({ NextToken: token }));
    // Every trail is listed in every Region; each is swept in its home Region only.
    const arns = (page.Trails ?? []).flatMap((t) =>
      t.TrailARN && t.HomeRegion === ctx.region && TRAIL_ARN.test(t.TrailARN) ? [t.TrailARN] : [],
    );
    return { arns, next: page.NextToken || undefined };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(cloudtrail).send(new ListTagsCommand({ ResourceIdList: [arn] }));
        return tagRecord(out.ResourceTagList?.[0]?.TagsList);
      } catch (error) {
        if (isTrailGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/cloudtrail/home?region=${region}#/trails/${encodeURIComponent(arn)}`;
  },
});
