import { randomUUID } from 'node:crypto';
import type { Outcome, OutcomeStatus, ReportedAction } from '../outcome';
import type { PhiNames } from '../phi-names';
import type { Rule } from '../rule';
import { isRecorded } from '../settlement';

/** What the event says about who and when, carried by every outcome of it. */
export interface EventFacts {
  eventId?: string;
  eventName?: string;
  /** When the API call was made (CloudTrail `eventTime`): where time-to-fix is counted from. */
  eventTime?: string;
  actor?: string;
  account?: string;
}

/** What was decided about one (rule, resource): everything of its outcome but where, when and the registry's marks. */
export interface Decision {
  status: OutcomeStatus;
  reason?: string;
  findings?: string[];
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  actions?: ReportedAction[];
  /** A `ticket` raised because the drift keeps coming back. */
  fight?: boolean;
}

/**
 * What the registry adds: whether this finding was already announced, whether a
 * ticket is open, and whether the outcome enters the history (then it carries the
 * id of its history entry, which the notifier attaches ticket keys to).
 */
export interface OutcomeMarks {
  repeat?: boolean;
  ticketOpen?: boolean;
  findingClosed?: boolean;
  recorded?: boolean;
}

/** Where and how an outcome is reached: its region, its event, dry-run, and how names are shown. */
export interface OutcomeContext {
  region: string | undefined;
  facts: EventFacts;
  dryRun: boolean;
  names: PhiNames;
}

/**
 * The one place an outcome is made, whole: the rule's facts, the decision, where
 * and for which event, its console link, and the id of the history entry it is
 * recorded under. A resource whose name looks like PHI leaves here redacted in
 * every field (its ARN, console link, call parameters, reasons), so the registry,
 * logs, notifications and tickets never hold the name.
 */
export function buildOutcome(
  rule: Rule,
  resource: string,
  decision: Decision,
  where: OutcomeContext,
  marks: OutcomeMarks = {},
): Outcome {
  const consoleUrl = resource !== '*' && where.region ? rule.consoleUrl(resource, where.region) : undefined;
  const outcome: Outcome = {
    rule: rule.id,
    title: rule.title,
    resource,
    resourceType: rule.resourceType,
    status: decision.status,
    safeguards: rule.safeguards,
    severity: rule.severity,
    actions: decision.actions ?? [],
    dryRun: where.dryRun,
    time: new Date().toISOString(),
    reason: decision.reason,
    findings: decision.findings,
    before: decision.before,
    after: decision.after,
    fight: decision.fight,
    region: where.region,
    ...where.facts,
    consoleUrl,
    ticketOpen: marks.ticketOpen,
    findingClosed: marks.findingClosed,
    repeat: marks.repeat,
    historyId:
      marks.recorded && isRecorded(decision.status)
        ? randomUUID().replaceAll('-', '').slice(0, 16)
        : undefined,
  };
  // Absent, not undefined: outcomes are printed and compared as JSON.
  for (const key of Object.keys(outcome) as (keyof Outcome)[]) {
    if (outcome[key] === undefined) delete outcome[key];
  }
  return resource === '*' ? outcome : where.names.redact(outcome, resource);
}

/** Only the fields of an action people see (its `run` and IAM bookkeeping stay behind). */
export function reportedActions(
  actions: readonly { service: string; api: string; params: Record<string, unknown> }[],
): ReportedAction[] {
  return actions.map(({ service, api, params }) => ({ service, api, params }));
}
