import { createHash } from 'node:crypto';
import type { Outcome } from '../outcome';
import * as z from '../zod';
import { sanitizeParams, sanitizeText } from './sanitize';

/**
 * The versioned document PHI Guard sends to people: on the notification queue,
 * as the SNS message body, and as the source of every Slack message and ticket.
 * It is built only from content-free fields, through the shared sanitizer.
 */
export const NOTIFICATION_VERSION = 1;

export const NOTIFICATION_KINDS = [
  'remediated',
  'would-remediate',
  'needs-person',
  'fight',
  'error',
  'resolved',
  /** The resource no longer exists: its Security Hub finding is archived (sent only where a route names it). */
  'gone',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationSchema = z.strictObject({
  version: z.literal(NOTIFICATION_VERSION),
  /** Stable for one outcome, so redeliveries of it are recognised. */
  id: z.string().check(z.regex(/^[a-f0-9]{32}$/)),
  kind: z.enum(NOTIFICATION_KINDS),
  status: z.string(),
  dryRun: z.boolean(),
  /** Sent by `phiguard notify test`. */
  test: z.optional(z.boolean()),
  rule: z.string(),
  title: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  safeguards: z.array(z.string()),
  resource: z.string(),
  /** The resource's CloudFormation type (absent in notifications queued before it was added). */
  resourceType: z.optional(z.string()),
  account: z.optional(z.string()),
  region: z.optional(z.string()),
  actor: z.optional(z.string()),
  eventId: z.optional(z.string()),
  eventName: z.optional(z.string()),
  actions: z.array(
    z.strictObject({ service: z.string(), api: z.string(), params: z.record(z.string(), z.unknown()) }),
  ),
  reason: z.optional(z.string()),
  findings: z.optional(z.array(z.string())),
  consoleUrl: z.optional(z.string()),
  time: z.string(),
  /** The history entry of the outcome (the notifier attaches ticket keys to it). */
  historyId: z.optional(z.string()),
});

export type Notification = z.infer<typeof notificationSchema>;

/** What a person should take from the outcome; `undefined` means nobody needs to hear of it. */
export function kindOf(outcome: Outcome): NotificationKind | undefined {
  switch (outcome.status) {
    case 'remediated':
      return 'remediated';
    case 'would-remediate':
      return 'would-remediate';
    case 'ticket':
      return outcome.fight ? 'fight' : 'needs-person';
    case 'non-compliant':
      return 'needs-person';
    case 'error':
      return 'error';
    case 'compliant':
      // Only news when something about it is open: a ticket to close, a finding to resolve.
      return outcome.ticketOpen || outcome.findingClosed ? 'resolved' : undefined;
    case 'gone':
      return 'gone';
    default:
      return undefined;
  }
}

export function notificationId(parts: (string | boolean | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((part) => String(part ?? '')).join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

const SEVERITIES = new Set(['critical', 'high', 'medium', 'low']);

/** The notifications an event's (or a sweep's) outcomes call for, sanitized. */
export function notificationsFor(outcomes: readonly Outcome[]): Notification[] {
  const notifications: Notification[] = [];
  for (const outcome of outcomes) {
    const kind = kindOf(outcome);
    // An unchanged finding already announced (an hourly sweep, a retried event) is not news.
    if (!kind || outcome.resource === '*' || outcome.repeat) continue;
    notifications.push({
      version: NOTIFICATION_VERSION,
      id: notificationId([
        outcome.eventId,
        outcome.rule,
        outcome.resource,
        outcome.status,
        outcome.dryRun,
        outcome.time,
      ]),
      kind,
      status: outcome.status,
      dryRun: outcome.dryRun,
      rule: outcome.rule,
      title: outcome.title,
      severity: (SEVERITIES.has(outcome.severity) ? outcome.severity : 'high') as Notification['severity'],
      safeguards: [...outcome.safeguards],
      resource: outcome.resource,
      resourceType: outcome.resourceType,
      account: outcome.account,
      region: outcome.region,
      actor: outcome.actor,
      eventId: outcome.eventId,
      eventName: outcome.eventName,
      actions: outcome.actions.map((a) => ({
        service: a.service,
        api: a.api,
        params: sanitizeParams(a.params),
      })),
      reason: outcome.reason === undefined ? undefined : sanitizeText(outcome.reason),
      findings: outcome.findings?.map(sanitizeText),
      consoleUrl: outcome.consoleUrl,
      time: outcome.time,
      historyId: outcome.historyId,
    });
  }
  return notifications;
}
