import { describeAwsError } from '../aws-errors';
import { mapLimited } from '../concurrency';
import type { PhiGuardConfig } from '../config';
import { type ClaimMemory, type Ledger, pairKey } from '../ledger/ledger';
import type { Outcome } from '../outcome';
import type { PhiNames } from '../phi-names';
import type { ResourceType } from '../resources/resource-type';
import type { CheckResult, Rule, RuleContext } from '../rule';
import type { Settlement } from '../settlement';
import {
  DEFERRED,
  fightOf,
  isRepeat,
  isUndisturbed,
  lastWasFinding,
  mustSettleUnderClaim,
  takeClaim,
} from './claim';
import { checkLive, decide } from './decide';
import { buildOutcome, type Decision, type EventFacts } from './outcome-builder';
import { RULE_IS_OFF, type RuleIndex } from './rule-index';

/** One rule to evaluate on one resource, in the rule's context (region, clients, shared reads, settings). */
export interface EvaluationPair {
  rule: Rule;
  arn: string;
  ctx: RuleContext;
}

/** What batch evaluation needs of the engine. */
export interface EvaluationDeps {
  index: RuleIndex;
  config: PhiGuardConfig;
  ledger: Ledger;
  /** Resources evaluated at once. */
  concurrency: number;
  /** How resources are named outside the operator's terminal: the registry's keys too. */
  names: PhiNames;
}

/** A read made before the claim: when it began (epoch seconds), and what it found (undefined when it failed). */
interface Precheck {
  readAt: number;
  result?: CheckResult<unknown>;
}

const isFinal = (result: CheckResult<unknown> | undefined) =>
  result?.state === 'compliant' || result?.state === 'gone';

function finalDecision(result: CheckResult<unknown>): Decision {
  return result.state === 'compliant'
    ? { status: 'compliant', before: result.summary }
    : { status: 'gone', reason: 'resource no longer exists' };
}

/** The pair's live state, read without the registry; a failed read is read again under the claim. */
async function readBeforeClaim(pair: EvaluationPair, readAt: number): Promise<Precheck> {
  try {
    return { readAt, result: await checkLive(pair.rule, pair.arn, pair.ctx) };
  } catch {
    // Read again under the claim; an error there is reported with its reason.
    return { readAt };
  }
}

/**
 * Evaluates (rule, resource) pairs, for an event or a sweep page. Live state is
 * read first, without the registry: a compliant (or vanished) resource costs its
 * reads, and the registry is only asked, in one batch read afterwards, whether it
 * remembers something open for the pair (a ticket, a finding, a pending fix), which
 * must then be settled under the claim. Everything else goes through the claim,
 * and is read again under it when the claim shows another invocation may have
 * touched it since the first read. Rules of one resource run in registry order
 * (they may write to it); resources run in parallel.
 *
 * `recordUnclaimed`: whether compliant and gone outcomes enter the history. An
 * event's do (one record per evaluated outcome); a sweep's don't (every resource,
 * every hour, would drown the audit trail in "still fine").
 *
 * `claimHeld`: what a pair whose claim another live invocation still holds after the
 * wait becomes. For an event, an `error`, so the invocation fails and Lambda retries
 * it once the holder is done (as `duplicate` the event was marked done and its drift,
 * if the holder read before it, waited for the next sweep). For a sweep, `duplicate`:
 * the next sweep looks again.
 */
export async function evaluatePairs(
  deps: EvaluationDeps,
  pairs: readonly EvaluationPair[],
  facts: EventFacts,
  settlement: Settlement,
  options: { recordUnclaimed: boolean; claimHeld: 'retry' | 'leave' },
): Promise<Outcome[]> {
  const { index, config, ledger, names } = deps;
  const outcomeOf = (pair: EvaluationPair, decision: Decision, recorded = false) =>
    buildOutcome(
      pair.rule,
      pair.arn,
      decision,
      { region: pair.ctx.region, facts, dryRun: config.dryRun, names },
      { recorded },
    );
  const results: Outcome[] = new Array(pairs.length);
  const live: number[] = [];
  pairs.forEach((pair, i) => {
    if (index.isOff(pair.rule)) results[i] = outcomeOf(pair, { status: 'ignored', reason: RULE_IS_OFF });
    else live.push(i);
  });
  if (live.length === 0) return results;
  // One start time for all: rules of a resource share reads, so a read may predate its rule's check.
  const readAt = Math.floor(Date.now() / 1000);
  await prefetch(live.map((i) => pairs[i] as EvaluationPair));
  const prechecked = await mapLimited(live, deps.concurrency, (i) =>
    readBeforeClaim(pairs[i] as EvaluationPair, readAt),
  );
  // Asked only about pairs found compliant or gone, so a new drift stays at its three
  // registry calls (marker, claim, settlement). Unknown memory (the read failed): every
  // pair takes the claimed path, which reports the registry's failure.
  const finished = live
    .filter((_, n) => isFinal(prechecked[n]?.result))
    .map((i) => pairs[i] as EvaluationPair);
  const memory =
    finished.length === 0
      ? new Map<string, ClaimMemory>()
      : await ledger
          .recall(finished.map((pair) => ({ rule: pair.rule.id, resource: names.display(pair.arn) })))
          .catch(() => undefined);
  // Per resource, its rules in registry order: a pair found compliant (or gone) with
  // nothing open in the registry is final unless an earlier rule of the resource
  // changes it first.
  const byResource = new Map<string, { index: number; precheck: Precheck; final: boolean }[]>();
  live.forEach((i, n) => {
    const pair = pairs[i] as EvaluationPair;
    const precheck = prechecked[n] as Precheck;
    const { result } = precheck;
    const final = Boolean(
      result &&
        isFinal(result) &&
        memory &&
        !mustSettleUnderClaim(memory.get(pairKey(pair.rule.id, names.display(pair.arn)))),
    );
    const key = `${pair.ctx.region}\u0000${pair.arn}`;
    byResource.set(key, [...(byResource.get(key) ?? []), { index: i, precheck, final }]);
  });
  const finish = (i: number, result: CheckResult<unknown>) => {
    const outcome = outcomeOf(pairs[i] as EvaluationPair, finalDecision(result), options.recordUnclaimed);
    settlement.record(outcome);
    results[i] = outcome;
  };
  await mapLimited([...byResource.values()], deps.concurrency, async (entries) => {
    let changed = false;
    for (const { index: i, precheck, final } of entries) {
      const pair = pairs[i] as EvaluationPair;
      let read = precheck;
      if (final && !changed) {
        finish(i, precheck.result as CheckResult<unknown>);
        continue;
      }
      if (final) {
        // An earlier rule's fix may have changed what this rule judges (cancelling a
        // key's deletion leaves it disabled): its first read is stale, read again.
        read = await readBeforeClaim(pair, Math.floor(Date.now() / 1000));
        if (read.result && isFinal(read.result)) {
          finish(i, read.result);
          continue;
        }
      }
      // After a fix by an earlier rule of this resource its first read is stale (the
      // fix emptied the shared reads, so the next check reads live state again).
      const outcome = await evaluateClaimed(deps, pair, facts, settlement, read, !changed, options.claimHeld);
      if (outcome.status === 'remediated' || outcome.status === 'pending' || outcome.status === 'error')
        changed = true;
      results[i] = outcome;
    }
  });
  return results;
}

/**
 * Lets each resource type and rule that can read many resources in one call do so,
 * before the checks. Best effort: each check reads on its own what this did not load.
 */
async function prefetch(pairs: readonly EvaluationPair[]): Promise<void> {
  const byResource = new Map<ResourceType, { ctx: RuleContext; arns: Set<string> }>();
  const byRule = new Map<Rule, { ctx: RuleContext; arns: string[] }>();
  for (const { rule, arn, ctx } of pairs) {
    if (rule.resource.prefetch) {
      const group = byResource.get(rule.resource) ?? { ctx, arns: new Set<string>() };
      group.arns.add(arn);
      byResource.set(rule.resource, group);
    }
    if (rule.prefetch) {
      const group = byRule.get(rule) ?? { ctx, arns: [] };
      group.arns.push(arn);
      byRule.set(rule, group);
    }
  }
  await Promise.all([
    ...[...byResource].map(([resource, { ctx, arns }]) =>
      resource.prefetch?.([...arns], ctx).catch(() => undefined),
    ),
    ...[...byRule].map(([rule, { ctx, arns }]) => rule.prefetch?.(arns, ctx).catch(() => undefined)),
  ]);
}

/**
 * Claims (rule, resource), decides, and leaves the release and the history entry
 * in `settlement`. The read made before the claim is acted on only when the claim
 * proves nobody touched the resource since; otherwise live state is read again
 * (the shared reads are emptied first, as the read may be stale).
 */
async function evaluateClaimed(
  deps: EvaluationDeps,
  pair: EvaluationPair,
  facts: EventFacts,
  settlement: Settlement,
  precheck: Precheck,
  /** False after an earlier rule of this resource changed it: its first read is stale. */
  reusable: boolean,
  claimHeld: 'retry' | 'leave',
): Promise<Outcome> {
  const { rule, arn, ctx } = pair;
  const { config, ledger, index, names } = deps;
  const where = { region: ctx.region, facts, dryRun: config.dryRun, names };
  // The registry knows a resource by the name everything outside the operator's terminal shows.
  const key = names.display(arn);
  let claim: Awaited<ReturnType<typeof takeClaim>>;
  try {
    claim = await takeClaim(ledger, rule.id, key, settlement.owner, config.ledger.lockSeconds);
  } catch (error) {
    const outcome = buildOutcome(
      rule,
      arn,
      { status: 'error', reason: `action registry unavailable: ${describeAwsError(error)}` },
      where,
      { recorded: true },
    );
    settlement.record(outcome);
    return outcome;
  }
  if (!claim) {
    const reason = 'another invocation still holds the claim on this resource';
    return buildOutcome(
      rule,
      arn,
      claimHeld === 'retry'
        ? { status: 'error', reason: `${reason}; the event is retried once it is done` }
        : { status: 'duplicate', reason },
      where,
    );
  }
  const undisturbed = precheck.result !== undefined && isUndisturbed(claim, precheck.readAt);
  if (!undisturbed) ctx.reads.invalidate(arn);
  let decision = await decide(rule, arn, ctx, {
    mode: index.modeOf(rule),
    dryRun: config.dryRun,
    exemptTag: config.exemptTag,
    fight: fightOf(claim, config.ledger),
    checked: undisturbed && reusable ? precheck.result : undefined,
  });
  if (decision.status === 'compliant' && claim.last?.status === 'pending') {
    // The fix reported pending earlier is visible now: that is when it is remediated.
    decision = {
      status: 'remediated',
      reason: 'confirmed: the fix applied earlier is now in effect',
      after: decision.before,
    };
  }
  const outcome = buildOutcome(rule, arn, decision, where, {
    ticketOpen: decision.status === 'compliant' && claim.ticketOpen ? true : undefined,
    findingClosed: decision.status === 'compliant' && lastWasFinding(claim.last) ? true : undefined,
    repeat: isRepeat(claim, decision.status, config.ledger.reminderSeconds) ? true : undefined,
    recorded: true,
  });
  const deferred = outcome.status === 'pending' && outcome.actions.length === 0;
  settlement.releases.push({
    // A deferral is remembered apart from a fix under way: a later compliant read
    // after it is someone else's doing, not PHI Guard's fix confirmed.
    status: deferred ? DEFERRED : outcome.status,
    rule: rule.id,
    resource: key,
    owner: settlement.owner,
    // A write counts towards fights once: when made (remediated or pending), not when confirmed
    // (nor when deferred: pending without actions).
    remediated:
      (outcome.status === 'pending' || outcome.status === 'remediated') && outcome.actions.length > 0,
    recentRemediations: claim.recentRemediations,
  });
  settlement.record(outcome);
  return outcome;
}
