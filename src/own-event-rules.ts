/**
 * PHI Guard's own EventBridge rules, and the target each must keep. Events stop
 * coming when one is disabled or loses its target, and silence looks exactly like
 * compliance, so PHI Guard guards them (remediations/phiguard-event-rule.ts).
 *
 * They are named `phiguard-<stage>-…` (so a rule is recognised by its name, also
 * before its tags exist):
 * - `phiguard-<stage>-<source>` on the central account's default bus and
 *   `phiguard-<stage>-org-<source>` on its organisation bus, each targeting the
 *   event function of that source (with retry policy and the events DLQ);
 * - `phiguard-<stage>-member-<source>` in every member account and Region (the
 *   member template), targeting the central organisation bus through the
 *   `phiguard-<stage>-forward-<region>` role;
 * - `phiguard-<stage>-heartbeat`: the heartbeat's write (src/heartbeat.ts), disabled
 *   by design and never a target holder.
 *
 * The deployment is described to the functions in one short JSON value
 * (PHIGUARD_OWN_EVENT_RULES; Lambda's environment holds 4 KB), from which each
 * rule's target is derived here. The stack and the member template build their
 * rules from the same functions, and a contract test proves every deployed target
 * equal to the one derived here.
 */

export const OWN_RULE_PREFIX = 'phiguard-';

export interface OwnEventRules {
  stage: string;
  /** The central account and Region (where the functions and the organisation bus are). */
  account: string;
  region: string;
  /** EventBridge source short name (`s3`, `elasticloadbalancing`) → event function key (`s3`, `elb`). */
  sources: Record<string, string>;
}

export interface EventTarget {
  Id: string;
  Arn: string;
  RoleArn?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds: number; MaximumRetryAttempts: number };
  DeadLetterConfig?: { Arn: string };
}

/** Where the rule lives: its name, its bus (undefined for the default bus), account, Region, partition. */
export interface EventRuleLocation {
  name: string;
  bus?: string;
  account: string;
  region: string;
  partition: string;
}

/** The retry policy every central rule gives its function: an hour, ten attempts, then the DLQ. */
export const CENTRAL_RETRY_POLICY = { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 };

export const heartbeatRuleName = (stage: string) => `${OWN_RULE_PREFIX}${stage}-heartbeat`;
export const organisationBusName = (stage: string) => `${OWN_RULE_PREFIX}${stage}`;
export const forwardRoleName = (stage: string, region: string) =>
  `${OWN_RULE_PREFIX}${stage}-forward-${region}`;
export const eventFunctionName = (stage: string, key: string) => `${OWN_RULE_PREFIX}${stage}-on-${key}`;

export function isOwnRuleName(name: string): boolean {
  return name.startsWith(OWN_RULE_PREFIX);
}

/**
 * The target one of PHI Guard's rules must have, or undefined when the name is not
 * one whose target PHI Guard knows (the heartbeat's, a rule of another stage, one
 * named `phiguard-…` by someone else): such a rule is kept enabled, its targets
 * left alone.
 */
export function expectedTarget(spec: OwnEventRules, at: EventRuleLocation): EventTarget | undefined {
  const prefix = `${OWN_RULE_PREFIX}${spec.stage}-`;
  if (!at.name.startsWith(prefix)) return undefined;
  const rest = at.name.slice(prefix.length);
  const central = at.account === spec.account && at.region === spec.region;
  const p = at.partition;
  const functionArn = (key: string) =>
    `arn:${p}:lambda:${spec.region}:${spec.account}:function:${eventFunctionName(spec.stage, key)}`;
  const deadLetter = { Arn: `arn:${p}:sqs:${spec.region}:${spec.account}:${prefix}events-dlq` };
  const orgBus = organisationBusName(spec.stage);

  if (rest.startsWith('member-')) {
    if (at.bus !== undefined || spec.sources[rest.slice('member-'.length)] === undefined) return undefined;
    return {
      Id: 'phiguard-central-bus',
      Arn: `arn:${p}:events:${spec.region}:${spec.account}:event-bus/${orgBus}`,
      RoleArn: `arn:${p}:iam::${at.account}:role/${forwardRoleName(spec.stage, at.region)}`,
    };
  }
  if (!central) return undefined;
  // `org-<source>` on the organisation bus, `<source>` on the default bus.
  const onOrgBus = rest.startsWith('org-');
  const key = spec.sources[onOrgBus ? rest.slice('org-'.length) : rest];
  if (key === undefined || at.bus !== (onOrgBus ? orgBus : undefined)) return undefined;
  return {
    Id: `${at.name}-target`,
    Arn: functionArn(key),
    RetryPolicy: CENTRAL_RETRY_POLICY,
    DeadLetterConfig: deadLetter,
  };
}
