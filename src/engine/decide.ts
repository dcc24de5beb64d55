import { setTimeout as sleep } from 'node:timers/promises';
import { describeAwsError, isTransientAwsError } from '../aws-errors';
import { ResourceGoneError, WriteOutcomeUnknownError } from '../errors';
import { TAGS_READ } from '../read-cache';
import { inRetryRounds } from '../retry-rounds';
import type { CheckResult, Plan, Rule, RuleContext, RuleMode, Settle } from '../rule';
import { type Decision, reportedActions } from './outcome-builder';

/** What a decision depends on beyond the rule and the resource. */
export interface DecisionInputs {
  mode: RuleMode;
  dryRun: boolean;
  exemptTag: string;
  /** Set when the registry saw this drift fixed too often: the reason to stop and ask a person. */
  fight?: string;
  /** A check already made (before the claim) that still stands. */
  checked?: CheckResult<unknown>;
}

/** A check whose vanished resource reads as `gone`, whichever way the rule said so. */
export async function checkLive(rule: Rule, arn: string, ctx: RuleContext): Promise<CheckResult<unknown>> {
  try {
    return await rule.check(arn, ctx);
  } catch (error) {
    if (error instanceof ResourceGoneError) return { state: 'gone' };
    throw error;
  }
}

const GONE: Decision = { status: 'gone', reason: 'resource no longer exists' };

/**
 * Rounds of a read-back on top of the SDK's retries (whose token bucket a burst of
 * faults drains). A fix already written and not yet seen is an `error`, and the retry
 * then finds the resource compliant: the registry would never record that PHI Guard
 * fixed it (the reliability benchmark found 1 of 20 fixes so at 30 % S3 faults).
 * Reads are safe to repeat.
 */
export const READ_BACK_ROUNDS = 4;

/**
 * check → exempt → mode → plan → dry-run report, or apply → verify. No registry
 * here: the caller has claimed the resource (or needs no claim). Never throws:
 * every failure is an `error` decision with a content-free reason.
 */
export async function decide(
  rule: Rule,
  arn: string,
  ctx: RuleContext,
  inputs: DecisionInputs,
): Promise<Decision> {
  let checked: CheckResult<unknown>;
  try {
    checked = inputs.checked ?? (await checkLive(rule, arn, ctx));
  } catch (error) {
    return { status: 'error', reason: `reading live state failed: ${describeAwsError(error)}` };
  }
  if (checked.state === 'gone') return GONE;
  const before = checked.summary;
  if (checked.state === 'compliant') return { status: 'compliant', before };

  const { findings } = checked;
  const found = { findings, before };
  let tags: Record<string, string>;
  try {
    tags = await rule.resource.tags(arn, ctx);
  } catch (error) {
    if (error instanceof ResourceGoneError) return GONE;
    return { status: 'error', reason: `reading tags failed: ${describeAwsError(error)}`, ...found };
  }
  if (tags[inputs.exemptTag]?.trim()) {
    // The tag value is the owner's reason; it may be free text, so it is not reported.
    return { status: 'exempt', reason: `tagged ${inputs.exemptTag}`, ...found };
  }
  if (inputs.mode === 'notify') return { status: 'non-compliant', reason: 'rule mode is notify', ...found };

  let plan: Plan;
  try {
    plan = rule.plan(arn, checked.observed, ctx);
  } catch (error) {
    return { status: 'error', reason: `planning failed: ${(error as Error).message}`, ...found };
  }
  if (plan.kind === 'ticket' || (plan.kind === 'defer' && inputs.mode === 'ticket')) {
    return { status: 'ticket', reason: plan.reason, ...found };
  }
  // Nothing is written, in dry-run or not: the resource cannot take the fix yet.
  if (plan.kind === 'defer') return { status: 'pending', reason: plan.reason, ...found, actions: [] };
  if (plan.actions.length === 0) {
    return { status: 'error', reason: 'rule found drift but planned no action', ...found };
  }
  const undeclared = plan.actions.flatMap((action) => [
    ...action.iamActions.filter((iam) => !rule.permissions.write.includes(iam)),
    ...(action.passesRoleTo && !rule.permissions.passRole.includes(action.passesRoleTo)
      ? [`iam:PassRole to ${action.passesRoleTo}`]
      : []),
  ]);
  if (undeclared.length > 0) {
    // The deployed role holds only what rules declare: the call would be denied anyway.
    return {
      status: 'error',
      reason: `rule planned ${undeclared.join(', ')}, which it does not declare in permissions.write`,
      ...found,
    };
  }
  const actions = reportedActions(plan.actions);
  const planned = { ...found, actions };
  if (inputs.mode === 'ticket') return { status: 'ticket', reason: 'rule mode is ticket', ...planned };
  if (inputs.dryRun) return { status: 'would-remediate', ...planned };
  if (inputs.fight) return { status: 'ticket', reason: inputs.fight, fight: true, ...planned };

  const refresh = staleReadsRefresh(rule, arn, ctx, plan.actions);
  refresh();
  for (const action of plan.actions) {
    try {
      await action.run(ctx);
    } catch (error) {
      if (error instanceof WriteOutcomeUnknownError) {
        // It may have landed: what the resource shows decides (never a blind second write).
        refresh();
        return verify(rule, arn, ctx, plan.settle, planned, refresh, `${action.api}'s answer was lost`);
      }
      return { status: 'error', reason: `${action.api} failed: ${describeAwsError(error)}`, ...planned };
    }
  }
  return verify(rule, arn, ctx, plan.settle, planned, refresh);
}

/**
 * What a fix makes stale in the shared reads, as a function run before the writes and
 * again before each read-back. Where the resource type names the reads each write
 * changes, only those; otherwise all of the resource's reads but its tags, when no
 * call of the fix writes tags (the later rules of the resource would otherwise each
 * read them again to decide exemption).
 */
function staleReadsRefresh(
  rule: Rule,
  arn: string,
  ctx: RuleContext,
  actions: readonly { api: string; iamActions: readonly string[] }[],
): () => void {
  const declared = rule.resource.staleReads;
  const named = actions.map((action) => declared?.[action.api]);
  if (named.every((keys) => keys !== undefined)) {
    const keys = [...new Set(named.flat() as string[])];
    return () => ctx.reads.drop(arn, keys);
  }
  const writesTags = actions.some((a) => a.iamActions.some((iam) => /tag/i.test(iam.split(':')[1] ?? '')));
  const keep = writesTags ? [] : [TAGS_READ];
  return () => ctx.reads.invalidate(arn, keep);
}

/**
 * Reads the resource back after a fix. A fix whose plan says it takes time is
 * given that time; still not visible then, it is `pending` (accepted, confirmed by
 * the next read), never `error` (which would retry a fix that is under way).
 */
async function verify(
  rule: Rule,
  arn: string,
  ctx: RuleContext,
  settle: Settle | undefined,
  planned: Pick<Decision, 'findings' | 'before' | 'actions'>,
  /** Makes the fix's stale reads live again before each read-back. */
  refresh: () => void,
  /** Set when a write's answer was lost: only a compliant read makes it a fix. */
  lost?: string,
): Promise<Decision> {
  const deadline = Date.now() + (settle?.timeoutSeconds ?? 0) * 1000;
  if (settle?.waitFor) {
    try {
      await settle.waitFor(ctx, settle.timeoutSeconds);
    } catch {
      // A waiter that timed out or failed decides nothing: the read below does.
    }
  }
  for (;;) {
    let after: CheckResult<unknown>;
    try {
      after = await inRetryRounds(() => checkLive(rule, arn, ctx), {
        rounds: READ_BACK_ROUNDS,
        retryable: isTransientAwsError,
      });
    } catch (error) {
      return {
        status: 'error',
        reason: `fix applied but read-back failed: ${describeAwsError(error)}`,
        ...planned,
      };
    }
    if (after.state === 'compliant') return { status: 'remediated', after: after.summary, ...planned };
    if (lost) {
      // Not visible: not applied, or not yet. Either way not a fix; the retry re-reads and decides.
      return {
        status: 'error',
        reason: `${lost} and the read-back does not show the fix${after.state === 'non-compliant' ? `: ${after.findings.join('; ')}` : ''}`,
        ...(after.state === 'non-compliant' ? { after: after.summary } : {}),
        ...planned,
      };
    }
    if (after.state === 'gone') {
      return {
        status: 'error',
        reason: 'fix applied but resource is still non-compliant: resource disappeared during the fix',
        ...planned,
      };
    }
    const interval = (settle?.intervalSeconds ?? 0) * 1000;
    if (settle && !settle.waitFor && interval > 0 && Date.now() + interval < deadline) {
      await sleep(interval);
      refresh();
      continue;
    }
    if (settle) {
      return {
        status: 'pending',
        reason: `fix accepted; not visible after ${settle.timeoutSeconds} s (${after.findings.join('; ')}); the next event or sweep confirms it`,
        after: after.summary,
        ...planned,
      };
    }
    return {
      status: 'error',
      reason: `fix applied but resource is still non-compliant: ${after.findings.join('; ')}`,
      after: after.summary,
      ...planned,
    };
  }
}
