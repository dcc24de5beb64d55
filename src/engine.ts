import { randomUUID } from 'node:crypto';
import { partitionOf } from './arn';
import type { AwsClients } from './aws-clients';
import { describeAwsError } from './aws-errors';
import { actorOf, type CloudTrailRecord, type ParsedEvent, parseEvent } from './cloudtrail-event';
import { mapLimited } from './concurrency';
import type { PhiGuardConfig } from './config';
import { ConfigError, InvalidEventError } from './errors';
import { type ClaimMemory, type Ledger, pairKey } from './ledger/ledger';
import { type EngineLogger, silentLogger } from './logger';
import { notificationsFor } from './notify/notification';
import type { NotificationPublisher } from './notify/queue-publisher';
import type { Outcome, OutcomeStatus, ReportedAction } from './outcome';
import { ReadCache } from './read-cache';
import { type CheckResult, listAll, type Rule, type RuleContext, type RuleMode } from './rule';
import { isSelfPrincipal } from './self-principal';
import { Settlement } from './settlement';

export interface EngineOptions {
  rules: readonly Rule[];
  config: PhiGuardConfig;
  /** Client set for a region; a pool, so warm invocations reuse connections. */
  clientsFor: (region: string) => AwsClients;
  /** The action registry: de-duplication, claims, history, fight detection. */
  ledger: Ledger;
  /** Where notifications for people go (the notifier's queue); none means no notifications. */
  publisher?: NotificationPublisher;
  logger?: EngineLogger;
  /** How many resources of one rule are checked at once (a DeleteFlowLogs event checks every VPC). */
  concurrency?: number;
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

export interface EventFacts {
  eventId?: string;
  eventName?: string;
  actor?: string;
  account?: string;
}

/**
 * The log message of notifications that could not be queued. The stack counts it with
 * a metric filter and raises an alarm (serverless.yml): the one failure PHI Guard logs
 * instead of throwing, so it must not pass unseen.
 */
export const NOTIFICATIONS_NOT_ENQUEUED = 'notifications not enqueued';

/** Statuses that mean "still the same finding": announced once per reminder window. */
const UNCHANGED: ReadonlySet<OutcomeStatus> = new Set([
  'ticket',
  'non-compliant',
  'would-remediate',
  'error',
]);

/** One rule to evaluate on one resource, with the context (region, clients, shared reads) to do it in. */
export interface EvaluationPair {
  rule: Rule;
  arn: string;
  ctx: RuleContext;
}

/** A read made before the claim: its outcome when final (compliant or gone), and when it began. */
interface Precheck {
  /** Epoch seconds when the reads began. */
  readAt: number;
  /** Undefined when the read failed. */
  result?: CheckResult<unknown>;
  final?: Outcome;
}

/** A compliant resource must still pass through its claim when the registry holds an open ticket or finding for it. */
function mustSettleUnderClaim(memory: ClaimMemory | undefined): boolean {
  if (!memory) return false;
  return (
    memory.ticketOpen || (memory.last !== undefined && UNCHANGED.has(memory.last.status as OutcomeStatus))
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function reported(
  actions: readonly { service: string; api: string; params: Record<string, unknown> }[],
): ReportedAction[] {
  return actions.map(({ service, api, params }) => ({ service, api, params }));
}

/**
 * The remediation engine: the one code path shared by the Lambda handler and
 * the CLI. It never trusts the event for state (events arrive late, twice and
 * out of order): the event only says *where* to look; `check` reads live state.
 */
export class Engine {
  readonly rules: readonly Rule[];
  readonly config: PhiGuardConfig;
  private readonly clientsFor: (region: string) => AwsClients;
  private readonly logger: EngineLogger;
  readonly ledger: Ledger;
  private readonly publisher: NotificationPublisher | undefined;
  private readonly concurrency: number;
  private readonly byEvent = new Map<string, Rule[]>();

  constructor(options: EngineOptions) {
    this.rules = options.rules;
    this.config = options.config;
    this.clientsFor = options.clientsFor;
    this.logger = options.logger ?? silentLogger;
    this.ledger = options.ledger;
    this.publisher = options.publisher;
    this.concurrency = options.concurrency ?? 8;
    const ids = new Set(this.rules.map((rule) => rule.id));
    for (const id of Object.keys(options.config.ruleModes)) {
      if (!ids.has(id)) {
        throw new ConfigError(`rule mode set for unknown rule "${id}"; known rules: ${[...ids].join(', ')}`);
      }
    }
    for (const rule of this.rules) {
      for (const trigger of rule.triggers) {
        for (const eventName of trigger.events) {
          const key = `${trigger.source}:${eventName}`;
          this.byEvent.set(key, [...(this.byEvent.get(key) ?? []), rule]);
        }
      }
    }
  }

  modeOf(rule: Rule): RuleMode {
    return this.config.ruleModes[rule.id] ?? this.config.defaultMode;
  }

  /** Rules whose triggers include this event, in registry order. */
  rulesFor(eventSource: string, eventName: string): Rule[] {
    return this.byEvent.get(`${eventSource}:${eventName}`) ?? [];
  }

  /** `reads` is shared by every rule of one event (or one sweep page), so a bucket is read once. */
  context(region: string, accountId: string | undefined, reads = new ReadCache()): RuleContext {
    return {
      region,
      accountId: accountId ?? '',
      partition: partitionOf(region),
      clients: this.clientsFor(region),
      settings: this.config.settings,
      reads,
    };
  }

  /**
   * Runs one event (EventBridge envelope or bare CloudTrail record) through every
   * rule that listens to it. Throws {@link InvalidEventError} for input that is not
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
    const rules = this.rulesFor(record.eventSource, record.eventName);
    if (rules.length === 0) {
      report.skipped = `no rule listens to ${record.eventSource} ${record.eventName}`;
      this.logger.info('event skipped', { eventId: event.eventId, reason: report.skipped });
      return report;
    }
    const facts: EventFacts = {
      eventId: event.eventId,
      eventName: record.eventName,
      actor: report.actor,
      account: event.accountId,
    };

    const notEvidence = this.whyNotEvidence(record);
    if (notEvidence) {
      report.outcomes = rules.flatMap((rule) =>
        this.setAside(rule, record, event, 'ignored', notEvidence, facts),
      );
    } else {
      if (!event.region)
        throw new InvalidEventError('CloudTrail record has no awsRegion (and the envelope no region)');
      report.outcomes = await this.evaluateEvent(rules, record, event, facts);
    }
    for (const outcome of report.outcomes) this.logOutcome(outcome);
    return report;
  }

  private whyNotEvidence(record: CloudTrailRecord): string | undefined {
    if (record.errorCode) return `the call failed (errorCode ${record.errorCode}); nothing changed`;
    if (isSelfPrincipal(record, this.config.selfPrincipals))
      return 'made by PHI Guard itself (loop prevention)';
    return undefined;
  }

  /**
   * Exactly-once: the event id is marked first (a duplicate delivery stops here,
   * having called no guarded API), each (rule, resource) is claimed before it is
   * checked, and everything is settled in the ledger at the end.
   */
  private async evaluateEvent(
    rules: Rule[],
    record: CloudTrailRecord,
    event: ParsedEvent,
    facts: EventFacts,
  ): Promise<Outcome[]> {
    const owner = `${event.eventId ?? 'no-event-id'}/${randomUUID()}`;
    if (event.eventId) {
      const begun = await this.ledger.beginEvent(event.eventId, owner);
      if (begun.state === 'duplicate') {
        const reason =
          begun.of === 'completed'
            ? 'event already processed'
            : 'event is being processed by another delivery right now';
        return rules.flatMap((rule) => this.setAside(rule, record, event, 'duplicate', reason, facts));
      }
    }
    const settlement = new Settlement(owner);
    const reads = new ReadCache();
    let outcomes: Outcome[] = [];
    let failed = true;
    try {
      const pairs: EvaluationPair[] = [];
      const setAside = new Map<Rule, Outcome[]>();
      for (const rule of rules) {
        const found = await this.resourcesForEvent(rule, record, event, facts, reads);
        if ('outcomes' in found) setAside.set(rule, found.outcomes);
        else pairs.push(...found.arns.map((arn) => ({ rule, arn, ctx: found.ctx })));
      }
      const evaluated = await this.evaluatePairs(pairs, facts, settlement, { recordUnclaimed: true });
      // Reported in registry order, each rule's resources in the order found.
      outcomes = rules.flatMap(
        (rule) => setAside.get(rule) ?? evaluated.filter((_, i) => pairs[i]?.rule === rule),
      );
      failed = outcomes.some((outcome) => outcome.status === 'error');
    } finally {
      // Also on an unexpected throw: claims are released and the event is left for the retry.
      await this.ledger.complete({
        eventId: event.eventId,
        owner,
        failed,
        entries: settlement.entries,
        releases: settlement.releases,
      });
    }
    await this.notify(outcomes);
    return outcomes;
  }

  /**
   * Enqueues what people need to hear, after the registry has recorded it. A
   * failure here is logged, not thrown: the fix and its audit record stand, and
   * a retried event would be a duplicate that notifies nothing anyway.
   */
  async notify(outcomes: readonly Outcome[]): Promise<void> {
    if (!this.publisher) return;
    const notifications = notificationsFor(outcomes);
    if (notifications.length === 0) return;
    try {
      await this.publisher.publish(notifications);
    } catch (error) {
      this.logger.error(NOTIFICATIONS_NOT_ENQUEUED, {
        notifications: notifications.length,
        error: describeAwsError(error),
        rules: [...new Set(notifications.map((n) => n.rule))],
      });
    }
  }

  private setAside(
    rule: Rule,
    record: CloudTrailRecord,
    event: ParsedEvent,
    status: 'ignored' | 'duplicate',
    reason: string,
    facts: EventFacts,
  ): Outcome[] {
    let ids: string[] = [];
    try {
      const selection = rule.resourceIds(record);
      ids = Array.isArray(selection) ? selection : [];
    } catch {
      // The record is set aside anyway; an unreadable one is reported without ids.
    }
    const resources = ids.length > 0 ? ids : ['*'];
    return resources.map((resource) =>
      this.outcome(rule, resource, status, { reason, region: event.region, ...facts }),
    );
  }

  /** The resources one rule acts on for this event, or the outcomes that say why there are none. */
  private async resourcesForEvent(
    rule: Rule,
    record: CloudTrailRecord,
    event: ParsedEvent,
    facts: EventFacts,
    reads: ReadCache,
  ): Promise<{ arns: string[]; ctx: RuleContext } | { outcomes: Outcome[] }> {
    const region = event.region as string;
    if (this.modeOf(rule) === 'off') {
      return {
        outcomes: this.setAside(rule, record, event, 'ignored', 'rule is off in the configuration', facts),
      };
    }
    const ctx = this.context(region, event.accountId, reads);
    let arns: string[];
    const selection = rule.resourceIds(record);
    if (Array.isArray(selection)) {
      arns = selection;
    } else {
      try {
        arns = await listAll(rule, ctx);
      } catch (error) {
        return {
          outcomes: [
            this.outcome(rule, '*', 'error', {
              reason: `listing resources failed (${selection.because}): ${describeAwsError(error)}`,
              region,
              ...facts,
            }),
          ],
        };
      }
    }
    if (arns.length === 0) {
      const reason = Array.isArray(selection)
        ? 'the record names no resource this rule can act on'
        : `no resources of this kind in ${region}`;
      return { outcomes: [this.outcome(rule, '*', 'ignored', { reason, region, ...facts })] };
    }
    return { arns, ctx };
  }

  /**
   * Evaluates (rule, resource) pairs, for an event or a sweep page. Live state is
   * read first, without the registry: a compliant (or vanished) resource costs its
   * reads, and the registry is only asked, in one batch read afterwards, whether it
   * remembers an open ticket or an open finding for the pair (which must then be
   * settled under the claim: a ticket resolved, a reminder window reset).
   * Everything else goes through the claim, and is read again under it when the
   * claim shows another invocation may have touched it since the first read. Rules
   * of one resource run in registry order (they may write to it); resources run in
   * parallel.
   *
   * `recordUnclaimed`: whether compliant and gone outcomes enter the history. An
   * event's do (one record per evaluated outcome); a sweep's don't (every resource,
   * every hour, would drown the audit trail in "still fine").
   */
  async evaluatePairs(
    pairs: readonly EvaluationPair[],
    facts: EventFacts,
    settlement: Settlement,
    options: { recordUnclaimed: boolean },
  ): Promise<Outcome[]> {
    const results: Outcome[] = new Array(pairs.length);
    const live: number[] = [];
    pairs.forEach((pair, i) => {
      if (this.modeOf(pair.rule) !== 'off') live.push(i);
      else
        results[i] = this.outcome(pair.rule, pair.arn, 'ignored', {
          reason: 'rule is off in the configuration',
          region: pair.ctx.region,
          ...facts,
        });
    });
    if (live.length === 0) return results;
    // One start time for all: rules of a resource share reads, so a read may predate its rule's check.
    const readAt = Math.floor(Date.now() / 1000);
    await this.prefetch(live.map((i) => pairs[i] as EvaluationPair));
    const prechecked = await mapLimited(live, this.concurrency, (i) => {
      const pair = pairs[i] as EvaluationPair;
      return this.precheck(pair.rule, pair.arn, pair.ctx, facts, readAt);
    });
    // Asked only about pairs found compliant or gone, so a new drift stays at its three
    // registry calls (marker, claim, settlement). Unknown memory (the read failed): every
    // pair takes the claimed path, which reports the registry's failure.
    const finished = live
      .filter((_, n) => prechecked[n]?.final !== undefined)
      .map((i) => pairs[i] as EvaluationPair);
    const memory =
      finished.length === 0
        ? new Map<string, ClaimMemory>()
        : await this.ledger
            .recall(finished.map((pair) => ({ rule: pair.rule.id, resource: pair.arn })))
            .catch(() => undefined);
    const claimedByResource = new Map<string, { index: number; precheck: Precheck }[]>();
    live.forEach((i, n) => {
      const pair = pairs[i] as EvaluationPair;
      const precheck = prechecked[n] as Precheck;
      const { final } = precheck;
      if (final && memory && !mustSettleUnderClaim(memory.get(pairKey(pair.rule.id, pair.arn)))) {
        if (options.recordUnclaimed) settlement.record(final);
        results[i] = final;
        return;
      }
      const key = `${pair.ctx.region}\u0000${pair.arn}`;
      claimedByResource.set(key, [...(claimedByResource.get(key) ?? []), { index: i, precheck }]);
    });
    await mapLimited([...claimedByResource.values()], this.concurrency, async (claimed) => {
      let changed = false;
      for (const { index, precheck } of claimed) {
        const pair = pairs[index] as EvaluationPair;
        // After a fix by an earlier rule of this resource its first read is stale (the
        // fix emptied the shared reads, so the next check reads live state again).
        const outcome = await this.evaluateClaimed(pair.rule, pair.arn, pair.ctx, facts, settlement, {
          precheck,
          reusable: !changed,
        });
        if (outcome.status === 'remediated' || outcome.status === 'error') changed = true;
        results[index] = outcome;
      }
    });
    return results;
  }

  /** Lets each rule that can read many resources in one call do so, before the checks. */
  private async prefetch(pairs: readonly EvaluationPair[]): Promise<void> {
    const byRule = new Map<Rule, { ctx: RuleContext; arns: string[] }>();
    for (const { rule, arn, ctx } of pairs) {
      if (!rule.prefetch) continue;
      const group = byRule.get(rule) ?? { ctx, arns: [] };
      group.arns.push(arn);
      byRule.set(rule, group);
    }
    await Promise.all(
      [...byRule].map(([rule, { ctx, arns }]) =>
        // Best effort: each check reads on its own what this did not load.
        rule.prefetch?.(arns, ctx).catch(() => undefined),
      ),
    );
  }

  /**
   * Live state without the registry: the final outcome when compliant or gone, and
   * the check itself (with when its reads began, epoch seconds) for the claimed path.
   */
  private async precheck(
    rule: Rule,
    arn: string,
    ctx: RuleContext,
    facts: EventFacts,
    readAt: number,
  ): Promise<Precheck> {
    try {
      const result = await rule.check(arn, ctx);
      if (result.state === 'gone')
        return {
          readAt,
          result,
          final: this.outcome(rule, arn, 'gone', {
            reason: 'resource no longer exists',
            region: ctx.region,
            ...facts,
          }),
        };
      if (result.state === 'compliant')
        return {
          readAt,
          result,
          final: this.outcome(rule, arn, 'compliant', {
            before: result.summary,
            region: ctx.region,
            ...facts,
          }),
        };
      return { readAt, result };
    } catch {
      // Read again under the claim; an error there is reported with its reason.
      return { readAt };
    }
  }

  /**
   * Claims (rule, resource), evaluates, and leaves the release and the history
   * entry in `settlement`. A claim held by another live invocation is waited for
   * (it re-reads live state afterwards, so a drift that arrived meanwhile is not
   * lost); a holder that died loses the claim when its lock times out.
   *
   * `before` is the read made before the claim. It is acted on only when the claim
   * proves no other invocation can have touched the resource since: taken at the
   * first try, from no holder that died, and nothing settled since the read began.
   * Otherwise live state is read again under the claim.
   */
  private async evaluateClaimed(
    rule: Rule,
    arn: string,
    ctx: RuleContext,
    facts: EventFacts,
    settlement: Settlement,
    before: { precheck: Precheck; reusable: boolean },
  ): Promise<Outcome> {
    const { lockSeconds, fightThreshold, fightWindowSeconds } = this.config.ledger;
    const deadline = Date.now() + (lockSeconds + 1) * 1000;
    let claim: Awaited<ReturnType<Ledger['claim']>>;
    let waited = false;
    for (let wait = 100; ; wait = Math.min(wait * 2, 1000), waited = true) {
      try {
        claim = await this.ledger.claim(rule.id, arn, settlement.owner);
      } catch (error) {
        const outcome = this.outcome(rule, arn, 'error', {
          reason: `action registry unavailable: ${describeAwsError(error)}`,
          region: ctx.region,
          ...facts,
        });
        settlement.record(outcome);
        return outcome;
      }
      if (claim.acquired || Date.now() >= deadline) break;
      await sleep(Math.min(wait, Math.max(0, claim.heldUntil * 1000 - Date.now()) + 50));
    }
    if (!claim.acquired) {
      return this.outcome(rule, arn, 'duplicate', {
        reason: 'another invocation still holds the claim on this resource',
        region: ctx.region,
        ...facts,
      });
    }
    const fights = claim.recentRemediations.length;
    const fight =
      fights >= fightThreshold
        ? `remediated ${fights} times in the last ${Math.round(fightWindowSeconds / 60)} min: the drift keeps coming back (an IaC pipeline, a person or another tool is reverting it), so PHI Guard stops changing it`
        : undefined;
    const { precheck } = before;
    const disturbed =
      precheck.result === undefined || // the first read failed (and the failure is cached)
      waited ||
      claim.tookOver ||
      // Seconds on both sides, and hosts' clocks differ by a little: a second of margin.
      (claim.last !== undefined && claim.last.at >= precheck.readAt - 1);
    if (disturbed) ctx.reads.invalidate(arn);
    const reuse = !disturbed && before.reusable ? precheck.result : undefined;
    const outcome = await this.evaluate(rule, arn, ctx, facts, fight, reuse);
    if (outcome.status === 'compliant' && claim.ticketOpen) outcome.ticketOpen = true;
    const { last } = claim;
    if (
      last &&
      last.status === outcome.status &&
      UNCHANGED.has(outcome.status) &&
      Date.now() / 1000 - last.at < this.config.ledger.reminderSeconds
    ) {
      outcome.repeat = true;
    }
    settlement.releases.push({
      status: outcome.status,
      rule: rule.id,
      resource: arn,
      owner: settlement.owner,
      remediated: outcome.status === 'remediated',
      recentRemediations: claim.recentRemediations,
    });
    settlement.record(outcome);
    return outcome;
  }

  /**
   * Check → (exempt | compliant | plan) → dry-run report or apply → read back.
   * Never throws: every failure is an `error` outcome with a content-free reason.
   */
  async evaluate(
    rule: Rule,
    arn: string,
    ctx: RuleContext,
    facts: EventFacts = {},
    fight?: string,
    alreadyChecked?: CheckResult<unknown>,
  ): Promise<Outcome> {
    const base = { region: ctx.region, ...facts };
    const mode = this.modeOf(rule);
    if (mode === 'off')
      return this.outcome(rule, arn, 'ignored', { reason: 'rule is off in the configuration', ...base });

    let checked: CheckResult<unknown>;
    try {
      checked = alreadyChecked ?? (await rule.check(arn, ctx));
    } catch (error) {
      return this.outcome(rule, arn, 'error', {
        reason: `reading live state failed: ${describeAwsError(error)}`,
        ...base,
      });
    }
    if (checked.state === 'gone')
      return this.outcome(rule, arn, 'gone', { reason: 'resource no longer exists', ...base });

    const before = checked.summary;
    if (checked.state === 'compliant') return this.outcome(rule, arn, 'compliant', { before, ...base });

    const findings = checked.findings;
    let tags: Record<string, string>;
    try {
      tags = await checked.tags();
    } catch (error) {
      return this.outcome(rule, arn, 'error', {
        reason: `reading tags failed: ${describeAwsError(error)}`,
        findings,
        before,
        ...base,
      });
    }
    if (tags[this.config.exemptTag]?.trim()) {
      // The tag value is the owner's reason; it may be free text, so it is not reported.
      return this.outcome(rule, arn, 'exempt', {
        reason: `tagged ${this.config.exemptTag}`,
        findings,
        before,
        ...base,
      });
    }
    if (mode === 'notify') {
      return this.outcome(rule, arn, 'non-compliant', {
        reason: 'rule mode is notify',
        findings,
        before,
        ...base,
      });
    }

    let plan: ReturnType<Rule['plan']>;
    try {
      plan = rule.plan(arn, checked.observed, ctx);
    } catch (error) {
      return this.outcome(rule, arn, 'error', {
        reason: `planning failed: ${(error as Error).message}`,
        findings,
        before,
        ...base,
      });
    }
    if (plan.kind === 'ticket') {
      return this.outcome(rule, arn, 'ticket', { reason: plan.reason, findings, before, ...base });
    }
    const actions = reported(plan.actions);
    if (plan.actions.length === 0) {
      return this.outcome(rule, arn, 'error', {
        reason: 'rule found drift but planned no action',
        findings,
        before,
        ...base,
      });
    }
    if (mode === 'ticket') {
      return this.outcome(rule, arn, 'ticket', {
        reason: 'rule mode is ticket',
        findings,
        before,
        actions,
        ...base,
      });
    }
    if (this.config.dryRun) {
      return this.outcome(rule, arn, 'would-remediate', { findings, before, actions, ...base });
    }
    if (fight)
      return this.outcome(rule, arn, 'ticket', { reason: fight, findings, before, actions, ...base });

    // Whatever happens next, this resource's cached reads are stale now.
    ctx.reads.invalidate(arn);
    for (const action of plan.actions) {
      try {
        await action.run(ctx);
      } catch (error) {
        return this.outcome(rule, arn, 'error', {
          reason: `${action.api} failed: ${describeAwsError(error)}`,
          findings,
          before,
          actions,
          ...base,
        });
      }
    }

    let after: Awaited<ReturnType<Rule['check']>>;
    try {
      after = await rule.check(arn, ctx);
    } catch (error) {
      return this.outcome(rule, arn, 'error', {
        reason: `fix applied but read-back failed: ${describeAwsError(error)}`,
        findings,
        before,
        actions,
        ...base,
      });
    }
    if (after.state === 'compliant') {
      return this.outcome(rule, arn, 'remediated', {
        findings,
        before,
        after: after.summary,
        actions,
        ...base,
      });
    }
    const still = after.state === 'gone' ? ['resource disappeared during the fix'] : after.findings;
    return this.outcome(rule, arn, 'error', {
      reason: `fix applied but resource is still non-compliant: ${still.join('; ')}`,
      findings,
      before,
      after: after.state === 'gone' ? undefined : after.summary,
      actions,
      ...base,
    });
  }

  private outcome(
    rule: Rule,
    resource: string,
    status: Outcome['status'],
    extra: Partial<Omit<Outcome, 'rule' | 'resource' | 'status' | 'safeguards' | 'severity' | 'dryRun'>>,
  ): Outcome {
    const outcome: Outcome = {
      rule: rule.id,
      title: rule.title,
      resource,
      status,
      safeguards: rule.safeguards,
      severity: rule.severity,
      actions: [],
      dryRun: this.config.dryRun,
      time: new Date().toISOString(),
    };
    for (const [key, value] of Object.entries(extra)) {
      if (value !== undefined) (outcome as unknown as Record<string, unknown>)[key] = value;
    }
    if (resource !== '*' && outcome.region) {
      const url = rule.consoleUrl?.(resource, outcome.region);
      if (url) outcome.consoleUrl = url;
    }
    return outcome;
  }

  private logOutcome(outcome: Outcome): void {
    const fields = {
      rule: outcome.rule,
      resource: outcome.resource,
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
