/**
 * §164.312(b) Audit controls: PHI Guard's own EventBridge rules keep delivering.
 * A disabled rule, or one that lost its target, stops the events of a whole
 * service or account from reaching PHI Guard, and the silence that follows looks
 * exactly like compliance. (The heartbeat, src/heartbeat.ts, proves end to end
 * that events still arrive, whatever the cause.)
 *
 * Only rules named `phiguard-…` are PHI Guard's (src/own-event-rules.ts); a record
 * about any other rule names no resource, so nobody else's rule is read or touched.
 * - disabled (DisableRule, or PutRule with State=DISABLED) → EnableRule;
 * - its target removed or replaced (RemoveTargets, PutTargets) → PutTargets with
 *   the target the deployment gives it (derived from PHIGUARD_OWN_EVENT_RULES,
 *   which the stack sets); other targets are kept (PutTargets adds or updates by
 *   id, it never removes);
 * - deleted (DeleteRule) → a ticket: re-creating a rule is the deployment's job
 *   (its pattern and permissions are the stack's), so a person redeploys.
 * The heartbeat's rule is disabled by design and is never enabled.
 */
import {
  DescribeRuleCommand,
  EnableRuleCommand,
  ListTargetsByRuleCommand,
  PutTargetsCommand,
  type PutTargetsResponse,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { PhiGuardError, ResourceGoneError } from '../src/errors';
import {
  type EventTarget,
  expectedTarget,
  heartbeatRuleName,
  type OwnEventRules,
} from '../src/own-event-rules';
import { awsCall, type PlannedAction } from '../src/planned-action';
import { eventRule, eventRuleOf, events, isRuleGone } from '../src/resources/events/rule';
import { defineRule } from '../src/rule';
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';

const ownEventRulesSchema = z.object({
  stage: z.string().check(z.regex(/^[a-zA-Z0-9-]+$/)),
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.minLength(1)),
  sources: z.record(z.string(), z.string()),
});

function parseOwnEventRules(text: string): OwnEventRules | undefined {
  try {
    const parsed = ownEventRulesSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const ownEventRules = ruleSetting({
  env: 'PHIGUARD_OWN_EVENT_RULES',
  file: 'ownEventRules',
  description:
    'PHI Guard’s deployment as its rules’ targets are derived from: {"stage","account","region","sources"} (the stack sets it; not set by hand)',
  unset: 'disabled rules are enabled again; lost targets are not put back',
  schema: z.pipe(
    z.string().check(
      z.refine((text) => parseOwnEventRules(text) !== undefined, {
        message: 'must be the JSON the stack generates: {"stage","account","region","sources"}',
      }),
    ),
    z.transform((text) => parseOwnEventRules(text) as OwnEventRules),
  ),
});

/** PutTargets answered 200 but refused the target (its error code, never the target's content). */
export class TargetRefusedError extends PhiGuardError {
  constructor(readonly code: string) {
    super(`PutTargets refused PHI Guard's target (${code})`);
    this.name = 'TargetRefusedError';
  }
}

interface Observed {
  name: string;
  bus?: string;
  deleted: boolean;
  disabled: boolean;
  /** The target to put back, when the rule lacks it or it points elsewhere. */
  missingTarget?: EventTarget;
}

/** The deployed target equals the expected one in what delivers: where to, as whom, with which retries. */
function sameTarget(actual: Target, expected: EventTarget): boolean {
  return (
    actual.Arn === expected.Arn &&
    actual.RoleArn === expected.RoleArn &&
    actual.DeadLetterConfig?.Arn === expected.DeadLetterConfig?.Arn &&
    actual.RetryPolicy?.MaximumRetryAttempts === expected.RetryPolicy?.MaximumRetryAttempts &&
    actual.RetryPolicy?.MaximumEventAgeInSeconds === expected.RetryPolicy?.MaximumEventAgeInSeconds
  );
}

const settings = { ownEventRules };

export default defineRule<Observed, typeof settings>({
  id: 'phiguard-event-rule',
  title: 'PHI Guard’s own EventBridge rules must stay enabled and keep their targets',
  severity: 'high',
  safeguards: ['164.312(b)'],
  fix: 'EnableRule; PutTargets with the deployment’s target (others kept); a deleted rule is a ticket',
  resource: eventRule,
  triggers: [
    {
      source: 'events.amazonaws.com',
      events: ['DisableRule', 'PutRule', 'PutTargets', 'RemoveTargets', 'DeleteRule'],
    },
  ],
  permissions: {
    read: ['events:DescribeRule', 'events:ListTargetsByRule'],
    write: ['events:EnableRule', 'events:PutTargets'],
    // A member rule's target is the central bus, delivered through its forwarding role.
    passRole: ['events.amazonaws.com'],
  },
  settings,

  async check(arn, ctx) {
    const at = eventRuleOf(arn);
    const spec = ctx.settings.ownEventRules;
    const base = { name: at.name, ...(at.bus ? { bus: at.bus } : {}) };
    let state: string | undefined;
    try {
      const rule = await ctx.clients
        .get(events)
        .send(new DescribeRuleCommand({ Name: at.name, EventBusName: at.bus }));
      state = rule.State;
    } catch (error) {
      // A deleted rule PHI Guard knows is a ticket; any other is simply gone.
      if (isRuleGone(error) && spec && expectedTarget(spec, at)) {
        return {
          state: 'non-compliant',
          findings: ['PHI Guard’s rule was deleted: its events no longer arrive'],
          observed: { ...base, deleted: true, disabled: false },
          summary: { state: 'deleted' },
        };
      }
      throw isRuleGone(error) ? new ResourceGoneError(arn, { cause: error }) : error;
    }
    // The heartbeat's rule only ever carries the heartbeat: disabled, no target.
    if (spec && at.name === heartbeatRuleName(spec.stage)) {
      return {
        state: 'compliant',
        findings: [],
        observed: { ...base, deleted: false, disabled: false },
        summary: { state: 'heartbeat' },
      };
    }
    const expected = spec && expectedTarget(spec, at);
    let missingTarget: EventTarget | undefined;
    if (expected) {
      const { Targets } = await ctx.clients
        .get(events)
        .send(new ListTargetsByRuleCommand({ Rule: at.name, EventBusName: at.bus }));
      const deployed = (Targets ?? []).find((t) => t.Id === expected.Id);
      if (!deployed || !sameTarget(deployed, expected)) missingTarget = expected;
    }
    const disabled = state === 'DISABLED';
    const findings = [
      ...(disabled ? ['the rule is disabled'] : []),
      ...(missingTarget ? ['the rule lost its PHI Guard target'] : []),
    ];
    return {
      state: findings.length > 0 ? 'non-compliant' : 'compliant',
      findings,
      observed: { ...base, deleted: false, disabled, ...(missingTarget ? { missingTarget } : {}) },
      summary: { state: state ?? 'unknown', target: missingTarget ? 'missing' : 'in place' },
    };
  },

  plan(_arn, observed) {
    if (observed.deleted) {
      return {
        kind: 'ticket',
        reason:
          'PHI Guard’s EventBridge rule was deleted; redeploy the stack (osls deploy) or the member StackSet to re-create it',
      };
    }
    const actions: PlannedAction[] = [];
    if (observed.disabled) {
      actions.push(awsCall(events, EnableRuleCommand, { Name: observed.name, EventBusName: observed.bus }));
    }
    if (observed.missingTarget) {
      actions.push(
        awsCall(
          events,
          PutTargetsCommand,
          { Rule: observed.name, EventBusName: observed.bus, Targets: [observed.missingTarget] },
          {
            // A forwarding rule's target is delivered as its role: PutTargets hands it to EventBridge.
            ...(observed.missingTarget.RoleArn ? { passesRoleTo: 'events.amazonaws.com' } : {}),
            // PutTargets answers 200 with the targets it refused.
            accept: (output) => {
              const failed = (output as PutTargetsResponse).FailedEntries?.[0];
              if (failed) throw new TargetRefusedError(failed.ErrorCode ?? 'FailedEntry');
            },
          },
        ),
      );
    }
    return { kind: 'fix', actions };
  },
});
