import type { Safeguard } from './rule';

/**
 * What happened to one (rule, resource) pair for one event or sweep.
 * - compliant: live state already meets the safeguard; nothing written
 * - remediated: the fix was applied and a read-back confirmed compliance (or a `pending`
 *   fix was confirmed by a later read: then `actions` is empty, nothing was written again)
 * - pending: the fix was accepted but is not visible yet (an RDS modification takes
 *   minutes); the next event or sweep reads it again and confirms it
 * - would-remediate: dry-run; `actions` are the exact calls `--apply` would make
 * - ticket: no safe automatic fix (or the rule's mode is `ticket`); a person must act
 * - non-compliant: the rule's mode is `notify`; reported, nothing changed
 * - exempt: non-compliant but tagged `phiguard:exempt`; never changed
 * - ignored: not evidence (failed call, PHI Guard's own call, rule off, no resource named)
 * - duplicate: this event was already processed, or (in a sweep) another invocation
 *   holds the claim (an event then ends in `error`, so Lambda retries it)
 * - gone: the resource no longer exists
 * - error: a read or write failed, or the fix did not stick; `reason` says which
 */
export const OUTCOME_STATUSES = [
  'compliant',
  'remediated',
  'pending',
  'would-remediate',
  'ticket',
  'non-compliant',
  'exempt',
  'ignored',
  'duplicate',
  'gone',
  'error',
] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/**
 * Statuses that mean something is still wrong after a sweep (exempt is an accepted
 * risk; a `pending` fix is not confirmed yet, so it still counts).
 */
export const REMAINING_STATUSES: ReadonlySet<OutcomeStatus> = new Set([
  'pending',
  'would-remediate',
  'ticket',
  'non-compliant',
  'error',
]);

export interface ReportedAction {
  service: string;
  api: string;
  params: Record<string, unknown>;
}

export interface Outcome {
  rule: string;
  /** The rule's title, for people. */
  title: string;
  resource: string;
  /** The resource's CloudFormation type (`AWS::S3::Bucket`), for places that classify by it (Security Hub). */
  resourceType?: string;
  status: OutcomeStatus;
  safeguards: readonly Safeguard[];
  severity: string;
  actions: ReportedAction[];
  /** Content-free explanation for ticket, ignored, error and gone. */
  reason?: string;
  /** Content-free findings of the check. */
  findings?: string[];
  /** Settings that mattered, before and after the fix. */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  dryRun: boolean;
  /** ISO-8601 time the outcome was reached. */
  time: string;
  region?: string;
  account?: string;
  eventId?: string;
  eventName?: string;
  /** When the event's API call was made (CloudTrail `eventTime`, ISO-8601); absent for a sweep. */
  eventTime?: string;
  actor?: string;
  /** Where a person looks at the resource (AWS console), when the rule knows. */
  consoleUrl?: string;
  /** Set on a `ticket` outcome raised because the drift keeps coming back. */
  fight?: boolean;
  /** Set on a `compliant` outcome of a resource that has an open ticket: the ticket can close. */
  ticketOpen?: boolean;
  /**
   * Set on a `compliant` outcome of a resource whose last outcome was a finding
   * (needing a person, reported, planned in dry-run, failed): its Security Hub
   * finding, and whoever was told, learn it is resolved.
   */
  findingClosed?: boolean;
  /**
   * The same finding (same status) was already reported for this (rule, resource)
   * within the reminder window: recorded, but not announced again.
   */
  repeat?: boolean;
  /** The history entry recorded for this outcome, when one was. */
  historyId?: string;
}
