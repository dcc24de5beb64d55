import type { HeartbeatPlace, HeartbeatRecord } from '../heartbeat';
import type { OutcomeStatus, ReportedAction } from '../outcome';

/**
 * The action registry: every remediation passes through it so that PHI Guard
 * acts exactly once per drift, proves what it did, and notices fights.
 *
 * Three kinds of record:
 * - an event marker per delivered event id (de-duplication; expires after hours),
 * - a claim per (rule, resource) (a lock with a timeout, plus the times of recent
 *   remediations for fight detection; expires after a day),
 * - a history entry per outcome (the audit trail; kept six years by default).
 */

/** One audited outcome. Content-free by construction: ids, ARNs, settings, API names. */
export interface HistoryEntry {
  /** Unique per entry; with `time` and `resource` it addresses the stored record. */
  id: string;
  rule: string;
  resource: string;
  status: OutcomeStatus;
  safeguards: readonly string[];
  eventId?: string;
  eventName?: string;
  /** When the drift's API call was made (CloudTrail `eventTime`): the evidence report's time-to-fix starts here. */
  eventTime?: string;
  actor?: string;
  /** ISO-8601 time of the outcome. */
  time: string;
  dryRun: boolean;
  actions: ReportedAction[];
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  reason?: string;
  findings?: string[];
  region?: string;
  /** The account the resource is in (an S3 bucket's ARN does not say). */
  account?: string;
  /** A `ticket` raised because the drift keeps coming back (a fight). */
  fight?: boolean;
  /** The ticket opened for this outcome (set by the notifier), e.g. `SEC-123`. */
  ticketKey?: string;
}

/**
 * One invocation's part of a scheduled sweep's shard: its pages were swept (`done`
 * when the shard's listing ended, else it continues in another invocation), or the
 * attempt failed (the shard is retried).
 */
export interface SweepShardReport {
  runId: string;
  /** When the sweep was scheduled (the shard carries it). */
  startedAt?: string;
  /** How many shards the run planned (the shard carries it). */
  shardsPlanned?: number;
  at: string;
  ended: 'continues' | 'done' | 'failed';
  /** (rule, resource) pairs evaluated, findings left (not compliant, not fixed), error outcomes. */
  checked: number;
  findings: number;
  errors: number;
}

/** A scheduled sweep as its workers reported it. */
export interface SweepRun {
  runId: string;
  startedAt: string;
  shardsPlanned: number;
  shardsDone: number;
  checked: number;
  findings: number;
  errors: number;
  failedAttempts: number;
  lastShardAt: string;
}

export type EventBegin =
  | { state: 'new' }
  /** Already processed (completed), or being processed right now by another delivery. */
  | { state: 'duplicate'; of: 'completed' | 'in-progress' };

/** What the registry remembers of one (rule, resource), read without taking its claim. */
export interface ClaimMemory {
  /** A ticket sink has an open ticket for this (rule, resource). */
  ticketOpen: boolean;
  /** The status this (rule, resource) last ended in, and when (epoch seconds). */
  last?: { status: string; at: number };
}

/** The key of a (rule, resource) pair in {@link Ledger.recall}'s answer. */
export function pairKey(rule: string, resource: string): string {
  return `${rule}\u0000${resource}`;
}

export type ClaimResult =
  | {
      acquired: true;
      /** Epoch seconds of this (rule, resource)'s remediations still inside the fight window. */
      recentRemediations: number[];
      /** A ticket sink has an open ticket for this (rule, resource). */
      ticketOpen: boolean;
      /** The status this (rule, resource) last ended in, and when (epoch seconds). */
      last?: { status: string; at: number };
      /** The claim was taken over from a holder whose lock expired unreleased (it may have crashed mid-fix). */
      tookOver: boolean;
    }
  | { acquired: false; heldUntil: number };

export interface ClaimRelease {
  rule: string;
  resource: string;
  owner: string;
  /** True when this claim ended in a real (not dry-run) remediation: counts towards fights. */
  remediated: boolean;
  /** The window as returned by `claim`, so the release can trim it without another read. */
  recentRemediations: number[];
  /** The outcome's status, remembered so an unchanged finding is not announced again and again. */
  status: string;
}

export interface HistoryQuery {
  resource?: string;
  rule?: string;
  /** ISO-8601; only entries at or after this time. */
  since?: string;
  limit?: number;
}

export interface LedgerSettings {
  /** How long a claim or an in-progress event marker holds before another invocation may take over. */
  lockSeconds: number;
  /** How many remediations of one (rule, resource) inside the window make a fight. */
  fightThreshold: number;
  fightWindowSeconds: number;
  historyRetentionDays: number;
  /** How long a completed event id is remembered for de-duplication. */
  dedupSeconds: number;
  /** An unchanged finding (same status) is announced again only after this long. */
  reminderSeconds: number;
}

export const DEFAULT_LEDGER_SETTINGS: LedgerSettings = {
  lockSeconds: 30,
  fightThreshold: 3,
  fightWindowSeconds: 3600,
  // HIPAA documentation retention, §164.316(b)(2)(i): six years (2192 days covers leap years).
  historyRetentionDays: 2192,
  dedupSeconds: 24 * 3600,
  reminderSeconds: 24 * 3600,
};

export interface Ledger {
  /** Human-readable description for logs and the CLI ("DynamoDB table x", "in-memory"). */
  readonly description: string;
  /** Marks `eventId` in progress for `owner`, unless it was already processed or is being processed. */
  beginEvent(eventId: string, owner: string): Promise<EventBegin>;
  /**
   * What is remembered of each pair (absent: nothing), in as few reads as the store
   * allows. A resource found compliant without its claim needs this to tell "still
   * fine" (nothing to write) from "a finding just resolved" (its ticket and its last
   * status must be settled under the claim).
   */
  recall(pairs: readonly { rule: string; resource: string }[]): Promise<Map<string, ClaimMemory>>;
  /** Takes the (rule, resource) claim for `owner` unless another live owner holds it. */
  claim(rule: string, resource: string, owner: string): Promise<ClaimResult>;
  /**
   * Writes the history entries, releases the claims and settles the event marker in
   * as few calls as the store allows: completed, or removed when `failed` (so the
   * retried delivery runs again instead of being taken for a duplicate). Entries,
   * releases and marker are written atomically when any claim is released (something
   * may have been changed); an event that only read (every resource compliant) has
   * nothing to keep atomic.
   */
  complete(settlement: {
    eventId?: string;
    owner: string;
    failed: boolean;
    entries: HistoryEntry[];
    releases: ClaimRelease[];
  }): Promise<void>;
  /**
   * Removes `owner`'s in-progress marker of `eventId` (someone else's stays). For an
   * event whose settlement failed: without this, Lambda's retry would meet the marker
   * while its lock lasts and be taken for a duplicate in progress — the event dropped.
   */
  forgetEvent(eventId: string, owner: string): Promise<void>;
  /** Newest first. */
  history(query: HistoryQuery): Promise<HistoryEntry[]>;
  /** The heartbeat function wrote a heartbeat in `place` at `at` (ISO time; src/heartbeat.ts). */
  recordHeartbeatSent(place: HeartbeatPlace, at: string): Promise<void>;
  /** A heartbeat's event reached PHI Guard at `at`; an older arrival never replaces a newer one. */
  recordHeartbeatArrival(arrival: HeartbeatPlace & { sentAt?: string }, at: string): Promise<void>;
  /** Every (account, Region) heartbeats were sent to or arrived from. */
  heartbeats(): Promise<HeartbeatRecord[]>;
  /** A sweep worker finished a shard (or an attempt at one failed). */
  recordSweepShard(report: SweepShardReport): Promise<void>;
  /** The recent scheduled sweeps (30 days), newest first. */
  sweepRuns(): Promise<SweepRun[]>;
}
