/**
 * AWS::Events::Rule, for PHI Guard's own rules only (`phiguard-…`, see
 * src/own-event-rules.ts): a record about any other rule names nothing, and the
 * sweep lists only rules with that prefix, so no one else's rule is ever read or
 * touched. ARNs: `rule/<name>` on the default bus, `rule/<bus>/<name>` on another.
 */
import {
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { type EventRuleLocation, isOwnRuleName, OWN_RULE_PREFIX } from '../../own-event-rules';
import { TAGS_READ } from '../../read-cache';
import { stringField } from '../../record-fields';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const events = awsClient(EventBridgeClient, { iamPrefix: 'events' });

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

export function eventRuleArn(partition: string, region: string, account: string, name: string, bus?: string) {
  return `arn:${partition}:events:${region}:${account}:rule/${bus && bus !== 'default' ? `${bus}/` : ''}${name}`;
}

/** Where the rule of `arn` lives; a TypeError for any other ARN. */
export function eventRuleOf(arn: string): EventRuleLocation {
  const parsed = parseArn(arn);
  const parts = parsed?.resource.split('/') ?? [];
  if (parsed?.service !== 'events' || parts[0] !== 'rule' || parts.length < 2 || parts.length > 3) {
    throw new TypeError(`not an EventBridge rule ARN: ${arn}`);
  }
  const [name, bus] = parts.length === 3 ? [parts[2], parts[1]] : [parts[1], undefined];
  return {
    name: name as string,
    ...(bus ? { bus } : {}),
    account: parsed.accountId,
    region: parsed.region,
    partition: parsed.partition,
  };
}

/** The rule is gone (deleted, or its bus is). */
export function isRuleGone(error: unknown): boolean {
  return hasErrorCode(error, 'ResourceNotFoundException');
}

/** A bus named in a record: a name, or an ARN ending in `event-bus/<name>`. */
function busName(value: string | undefined): string | undefined {
  if (!value || value === 'default') return undefined;
  const name = value.startsWith('arn:') ? value.split(':event-bus/')[1] : value;
  return name && BUS_NAME.test(name) && name !== 'default' ? name : undefined;
}

function ruleArns(record: CloudTrailRecord): string[] {
  const region = record.awsRegion;
  const account = accountOf(record);
  // PutRule, EnableRule, DisableRule, DeleteRule name `name`; PutTargets and RemoveTargets name `rule`.
  const name = stringField(record.requestParameters, 'name') ?? stringField(record.requestParameters, 'rule');
  if (!region || !account || !name || !RULE_NAME.test(name) || !isOwnRuleName(name)) return [];
  const bus = busName(stringField(record.requestParameters, 'eventBusName'));
  return [eventRuleArn(partitionOf(region), region, String(account), name, bus)];
}

/** The sweep's listing token: the default bus's own token, then PHI Guard's other buses in one go. */
const OTHER_BUSES = 'other-buses';

async function ownRulesOf(ctx: ResourceContext, bus: string | undefined, token?: string) {
  const page = await ctx.clients.get(events).send(
    new ListRulesCommand({
      NamePrefix: OWN_RULE_PREFIX,
      EventBusName: bus,
      NextToken: token,
      Limit: Math.min(ctx.pageSize ?? 100, 100),
    }),
  );
  const arns = (page.Rules ?? []).flatMap((rule) =>
    rule.Name ? [eventRuleArn(ctx.partition, ctx.region, ctx.accountId, rule.Name, bus)] : [],
  );
  return { arns, next: page.NextToken || undefined };
}

export const eventRule = defineResourceType({
  type: 'AWS::Events::Rule',
  client: events,
  permissions: { read: ['events:ListRules', 'events:ListEventBuses', 'events:ListTagsForResource'] },

  resourceIds: ruleArns,

  async listPage(ctx, token) {
    if (token !== OTHER_BUSES) {
      const page = await ownRulesOf(ctx, undefined, token);
      return { arns: page.arns, next: page.next ?? OTHER_BUSES };
    }
    // PHI Guard's own buses (the organisation bus of the central account): few, with few rules each.
    const arns: string[] = [];
    let busToken: string | undefined;
    do {
      const buses = await ctx.clients
        .get(events)
        .send(new ListEventBusesCommand({ NamePrefix: OWN_RULE_PREFIX, NextToken: busToken }));
      for (const bus of buses.EventBuses ?? []) {
        if (!bus.Name) continue;
        let next: string | undefined;
        do {
          const page = await ownRulesOf(ctx, bus.Name, next);
          arns.push(...page.arns);
          next = page.next;
        } while (next);
      }
      busToken = buses.NextToken || undefined;
    } while (busToken);
    return { arns };
  },

  tags: (arn, ctx) =>
    ctx.reads.get(arn, TAGS_READ, async () => {
      try {
        const out = await ctx.clients.get(events).send(new ListTagsForResourceCommand({ ResourceARN: arn }));
        return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      } catch (error) {
        if (isRuleGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    const { name, bus } = eventRuleOf(arn);
    return base && `${base}/events/home?region=${region}#/eventbus/${bus ?? 'default'}/rules/${name}`;
  },
});
