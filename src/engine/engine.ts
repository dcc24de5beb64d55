import { randomUUID } from 'node:crypto';
import { partitionOf } from '../arn';
import type { AwsClients, ClientPool } from '../aws-clients';
import { actorOf, type CloudTrailRecord, parseEvent } from '../cloudtrail-event';
import type { PhiGuardConfig } from '../config';
import { InvalidEventError } from '../errors';
import { HEARTBEAT_ARRIVED, heartbeatOf } from '../heartbeat';
import type { Ledger } from '../ledger/ledger';
import { type EngineLogger, silentLogger } from '../logger';
import { type MemberAccess, MemberRoleError } from '../member-accounts';
import type { NotificationPublisher } from '../notify/queue-publisher';
import type { Outcome } from '../outcome';
import { PhiNames } from '../phi-names';
import { ReadCache } from '../read-cache';
import type { ResourceContext } from '../resources/resource-type';
import type { Rule, RuleContext, RuleMode } from '../rule';
import { Settlement } from '../settlement';
import { AccountResolver } from './accounts';
import { type EvaluationPair, evaluatePairs } from './evaluate-pairs';
import { namedResources, resourcesForEvent, whyNotEvidence } from './intake';
import { buildOutcome, type EventFacts, type OutcomeContext } from './outcome-builder';
import { RETRY_ROUNDS, retryFailedPairs } from './retry-failed-pairs';
import { RULE_IS_OFF, RuleIndex } from './rule-index';
import { settleAndNotify } from './settle';

export interface EngineOptions {
  rules: readonly Rule[];
  config: PhiGuardConfig;
  /** Client set for a region; a pool, so warm invocations reuse connections. */
  clientsFor: ClientPool | ((region: string) => AwsClients);
  /** The action registry: de-duplication, claims, history, fight detection. */
  ledger: Ledger;
  /** Where notifications for people go (the notifier's queue); none means no notifications. */
  publisher?: NotificationPublisher;
  logger?: EngineLogger;
  /** How many resources are evaluated at once (a DeleteFlowLogs event checks every VPC). */
  concurrency?: number;
  /** `rules` is an event function's share of the registry (src/event-functions.ts); see RuleIndex. */
  partOfRegistry?: boolean;
}

/** What the engine did with one event. */
export interface EventReport {
  eventId: string | undefined;
  eventSource: string;
  eventName: string;
  region: string | undefined;
  actor: string | undefined;
  /** Why the whole event was set aside, when it was (no rule listens to it). */
  skipped?: string;
  outcomes: Outcome[];
}

/**
 * The remediation engine: the one code path shared by the Lambda handlers and the
 * CLI. It never trusts the event for state (events arrive late, twice and out of
 * order): the event only says *where* to look; `check` reads live state. Its parts:
 * the rule index and modes (`rule-index`), what of an event is evidence
 * (`intake`), the decision for one resource (`decide`), the registry's claim
 * (`claim`), batch evaluation (`evaluate-pairs`) and the end of every evaluation
 * (`settle`).
 */
export class Engine {
  readonly rules: readonly Rule[];
  readonly config: PhiGuardConfig;
  readonly ledger: Ledger;
  private readonly index: RuleIndex;
  private readonly clientsFor: ClientPool;
  /** Own credentials for PHI Guard's account, the member role for another (./accounts.ts). */
  private readonly accounts: AccountResolver;
  private readonly logger: EngineLogger;
  private readonly publisher: NotificationPublisher | undefined;
  private readonly concurrency: number;
  /** Names that look like PHI, and their redacted form everywhere but the operator's terminal. */
  readonly names: PhiNames;

  constructor(options: EngineOptions) {
    this.rules = options.rules;
    this.config = options.config;
    this.ledger = options.ledger;
    this.index = new RuleIndex(options.rules, options.config, options.partOfRegistry);
    this.clientsFor = options.clientsFor as ClientPool;
    this.accounts = new AccountResolver(options.config, this.clientsFor);
    this.logger = options.logger ?? silentLogger;
    this.publisher = options.publisher;
    this.concurrency = options.concurrency ?? 8;
    this.names = new PhiNames(options.config.phiNamePatterns, options.config.nameRedactionKey, (message) =>
      this.logger.warn(message),
    );
  }

  modeOf(rule: Rule): RuleMode {
    return this.index.modeOf(rule);
  }

  /** Rules whose triggers include this event, in registry order. */
  rulesFor(eventSource: string, eventName: string): Rule[] {
    return this.index.listeningTo(eventSource, eventName);
  }

  /**
   * Where resources of one region are read; `reads` is shared by every rule of one
   * event or sweep page. `member`: the account is another of the organisation, read
   * and changed through its member role (./accounts.ts).
   */
  resourceContext(
    region: string,
    accountId: string | undefined,
    reads = new ReadCache(),
    member?: MemberAccess,
  ): ResourceContext {
    return {
      region,
      accountId: accountId ?? '',
      partition: partitionOf(region),
      clients: this.clientsFor(region, member),
      reads,
    };
  }

  /**
   * The member role of `accountId`, assumed now, when it is not PHI Guard's own
   * account (undefined for its own): a sweep shard asks before it lists anything.
   * Throws MemberRoleError when the role cannot be assumed.
   */
  memberAccessFor(region: string, accountId: string): Promise<MemberAccess | undefined> {
    return this.accounts.memberAccessFor(region, accountId);
  }

  /** The context one rule runs in: its resource's, and the rule's own settings. */
  ruleContext(rule: Rule, base: ResourceContext): RuleContext {
    return { ...base, settings: this.config.ruleSettings[rule.id] ?? {}, phiNames: this.names };
  }

  /**
   * Runs one event (EventBridge envelope or bare CloudTrail record): the resources
   * the rules listening to it name, each evaluated against every rule of its type.
   * Throws {@link InvalidEventError} for input that is not
   * an event; every other problem becomes an `error` outcome so the caller sees all
   * results before deciding to fail.
   */
  async handleEvent(input: unknown): Promise<EventReport> {
    const event = parseEvent(input);
    const { record } = event;
    const report: EventReport = {
      eventId: event.eventId,
      eventSource: record.eventSource,
      eventName: record.eventName,
      region: event.region,
      actor: actorOf(record),
      outcomes: [],
    };
    // The heartbeat's write (src/heartbeat.ts): its arrival is recorded and nothing is judged,
    // so it proves the path without adding history.
    const heartbeat = heartbeatOf(record);
    if (heartbeat) {
      const arrivedAt = new Date().toISOString();
      await this.ledger.recordHeartbeatArrival(heartbeat, arrivedAt);
      report.skipped = 'heartbeat: its arrival is recorded';
      this.logger.info(HEARTBEAT_ARRIVED, {
        account: heartbeat.account,
        region: heartbeat.region,
        ...(heartbeat.sentAt
          ? { delaySeconds: Math.round((Date.parse(arrivedAt) - Date.parse(heartbeat.sentAt)) / 1000) }
          : {}),
      });
      return report;
    }
    const rules = this.index.listeningTo(record.eventSource, record.eventName);
    if (rules.length === 0) {
      report.skipped = `no rule listens to ${record.eventSource} ${record.eventName}`;
      this.logger.info('event skipped', { eventId: event.eventId, reason: report.skipped });
      return report;
    }
    const eventTime = eventTimeOf(record.eventTime);
    const facts: EventFacts = {
      eventId: event.eventId,
      eventName: record.eventName,
      ...(eventTime ? { eventTime } : {}),
      actor: report.actor,
      account: event.accountId,
    };
    const notEvidence = whyNotEvidence(record, this.config.selfPrincipals);
    if (notEvidence) {
      report.outcomes = rules.flatMap((rule) =>
        this.setAside(rule, record, event.region, 'ignored', notEvidence, facts),
      );
    } else {
      if (!event.region)
        throw new InvalidEventError(
          'CloudTrail record has no usable awsRegion (a Region name such as us-east-1), nor the envelope a region',
        );
      report.outcomes = await this.evaluateEvent(rules, record, event.region, event.eventId, facts);
    }
    for (const outcome of report.outcomes) this.logOutcome(outcome);
    return report;
  }

  /**
   * One sweep page: every pair evaluated through the same path as events, then
   * settled in the registry and notified before the next page is listed.
   * `concurrency` is the sweep's own (resources evaluated at once); with
   * `retryFailedAfterMs`, pairs that ended in error go again after that back-off
   * (up to RETRY_ROUNDS rounds, the back-off growing each round).
   */
  async evaluatePage(
    pairs: readonly EvaluationPair[],
    facts: EventFacts,
    page: { owner: string; concurrency?: number; retryFailedAfterMs?: number },
  ): Promise<Outcome[]> {
    const settlement = new Settlement(page.owner);
    const deps = { ...this.evaluationDeps(), concurrency: page.concurrency ?? this.concurrency };
    const evaluate = (some: readonly EvaluationPair[]) =>
      evaluatePairs(deps, some, facts, settlement, { recordUnclaimed: false, claimHeld: 'leave' });
    const outcomes = await evaluate(pairs);
    // A failed write goes to the next round only when its read-back showed it did not
    // land, so each round risks nothing twice; two rounds bring a fault's leftovers from
    // a few per cent of a page to a few per thousand.
    for (let round = 1; page.retryFailedAfterMs !== undefined && round <= RETRY_ROUNDS; round++) {
      const retried = await retryFailedPairs(pairs, outcomes, settlement, {
        afterMs: page.retryFailedAfterMs * round,
        registryName: (arn) => this.names.display(arn),
        evaluate,
      });
      if (retried === 0) break;
      this.logger.info('failed resources evaluated again', { pairs: retried, round });
    }
    await settleAndNotify(this.settleDeps(), settlement, { failed: false, outcomes });
    return outcomes;
  }

  private evaluationDeps() {
    return {
      index: this.index,
      config: this.config,
      ledger: this.ledger,
      concurrency: this.concurrency,
      names: this.names,
    };
  }

  private outcomeContext(region: string | undefined, facts: EventFacts): OutcomeContext {
    return { region, facts, dryRun: this.config.dryRun, names: this.names };
  }

  private settleDeps() {
    return { ledger: this.ledger, publisher: this.publisher, logger: this.logger };
  }

  /**
   * Exactly-once: the event id is marked first (a duplicate delivery stops here,
   * having called no guarded API), each (rule, resource) is claimed before it is
   * changed, and everything is settled in the registry at the end — also when
   * something unexpected throws, so claims are released and the retry runs again.
   */
  private async evaluateEvent(
    rules: readonly Rule[],
    record: CloudTrailRecord,
    region: string,
    eventId: string | undefined,
    facts: EventFacts,
  ): Promise<Outcome[]> {
    // Which credentials act: before anything is marked in the registry, so a member role
    // that cannot be assumed leaves the event to be retried (error outcomes), never half done.
    let member: MemberAccess | undefined;
    try {
      member = await this.accounts.memberAccessFor(region, facts.account);
    } catch (error) {
      if (!(error instanceof MemberRoleError)) throw error;
      return rules.flatMap((rule) => this.setAside(rule, record, region, 'error', error.message, facts));
    }
    const owner = `${eventId ?? 'no-event-id'}/${randomUUID()}`;
    // An event processed in dry-run was only planned: the same event in apply (a redrive
    // after its preview, a deployment switched to apply) must still act, so each mode
    // marks its deliveries apart.
    const marker = eventId && this.config.dryRun ? `dry-run:${eventId}` : eventId;
    if (marker) {
      const begun = await this.ledger.beginEvent(marker, owner);
      if (begun.state === 'duplicate') {
        const reason =
          begun.of === 'completed'
            ? 'event already processed'
            : 'event is being processed by another delivery right now';
        return rules.flatMap((rule) => this.setAside(rule, record, region, 'duplicate', reason, facts));
      }
    }
    const settlement = new Settlement(owner);
    const base = this.resourceContext(region, facts.account, undefined, member);
    let outcomes: Outcome[] = [];
    let failed = true;
    try {
      const setAside = new Map<Rule, Outcome[]>();
      for (const rule of rules) {
        if (this.index.isOff(rule))
          setAside.set(rule, this.setAside(rule, record, region, 'ignored', RULE_IS_OFF, facts));
      }
      // An event about a resource re-evaluates the whole resource, as AWS Config does on a
      // configuration change: every rule of its type, in registry order, not only the rules
      // listening to this event. Events are delivered on a best-effort basis, so each one is
      // a chance to catch what a lost one missed; and "bucket fixed" must mean the bucket.
      const pairs: EvaluationPair[] = [];
      for (const resource of new Set(rules.map((rule) => rule.resource))) {
        const found = await resourcesForEvent(resource, record, base);
        const listening = rules.filter((rule) => rule.resource === resource && !setAside.has(rule));
        if ('none' in found) {
          for (const rule of listening) {
            setAside.set(rule, [buildOutcome(rule, '*', found.none, this.outcomeContext(region, facts))]);
          }
          continue;
        }
        const ofType = this.index.ofType(resource).filter((rule) => !this.index.isOff(rule));
        const contexts = new Map(ofType.map((rule) => [rule, this.ruleContext(rule, base)]));
        for (const arn of found.arns) {
          for (const rule of ofType) pairs.push({ rule, arn, ctx: contexts.get(rule) as RuleContext });
        }
      }
      const evaluated = await evaluatePairs(this.evaluationDeps(), pairs, facts, settlement, {
        recordUnclaimed: true,
        claimHeld: 'retry',
      });
      // Reported in registry order, each rule's resources in the order found.
      outcomes = this.index.rules.flatMap(
        (rule) => setAside.get(rule) ?? evaluated.filter((_, i) => pairs[i]?.rule === rule),
      );
      failed = outcomes.some((outcome) => outcome.status === 'error');
    } finally {
      await this.settleEvent(settlement, { eventId: marker, failed, outcomes });
    }
    return outcomes;
  }

  /**
   * Settles an event. When the registry refuses the settlement the invocation fails
   * (Lambda retries it), and the event's marker goes first, so the retry runs again
   * instead of meeting it as a duplicate in progress (with a lock longer than Lambda's
   * retry delay the event would otherwise be dropped).
   */
  private async settleEvent(
    settlement: Settlement,
    result: { eventId?: string; failed: boolean; outcomes: Outcome[] },
  ): Promise<void> {
    try {
      await settleAndNotify(this.settleDeps(), settlement, result);
    } catch (error) {
      if (result.eventId)
        await this.ledger.forgetEvent(result.eventId, settlement.owner).catch(() => undefined);
      throw error;
    }
  }

  private setAside(
    rule: Rule,
    record: CloudTrailRecord,
    region: string | undefined,
    status: 'ignored' | 'duplicate' | 'error',
    reason: string,
    facts: EventFacts,
  ): Outcome[] {
    return namedResources(rule, record).map((resource) =>
      buildOutcome(rule, resource, { status, reason }, this.outcomeContext(region, facts)),
    );
  }

  private logOutcome(outcome: Outcome): void {
    const fields = {
      rule: outcome.rule,
      resource: outcome.resource,
      account: outcome.account,
      status: outcome.status,
      safeguards: outcome.safeguards,
      eventId: outcome.eventId,
      actor: outcome.actor,
      dryRun: outcome.dryRun,
      apis: outcome.actions.map((action) => action.api),
      reason: outcome.reason,
    };
    if (outcome.status === 'error') this.logger.error('remediation outcome', fields);
    else if (outcome.status === 'ignored') this.logger.debug('remediation outcome', fields);
    else this.logger.info('remediation outcome', fields);
  }
}

/** CloudTrail's `eventTime` as ISO-8601, or nothing when a re-exporting tool mangled it. */
function eventTimeOf(text: string | undefined): string | undefined {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
