import { setTimeout as sleep } from 'node:timers/promises';
import type { ClaimMemory, ClaimResult, Ledger, LedgerSettings } from '../ledger/ledger';
import type { OutcomeStatus } from '../outcome';

/** Statuses that mean "still the same finding": announced once per reminder window. */
const UNCHANGED: ReadonlySet<string> = new Set<OutcomeStatus>([
  'ticket',
  'non-compliant',
  'would-remediate',
  'error',
]);

/**
 * What the registry remembers of a `pending` outcome without actions: the rule
 * deferred its fix (the resource could not take it yet). Kept apart from `pending`
 * (a fix under way), whose next compliant read is that fix confirmed.
 */
export const DEFERRED = 'deferred';

/**
 * The registry's last word on a pair was a finding people were told of and that is
 * still open (a deferral was never announced: nothing to resolve).
 */
export function lastWasFinding(last: { status: string } | undefined): boolean {
  return last !== undefined && UNCHANGED.has(last.status);
}

/**
 * A compliant resource must still pass through its claim when the registry holds
 * something open for it: a ticket (to resolve), a finding (to close), a fix still
 * `pending` (to confirm), or a deferred one (to close).
 */
export function mustSettleUnderClaim(memory: ClaimMemory | undefined): boolean {
  if (!memory) return false;
  const last = memory.last?.status;
  return (
    memory.ticketOpen ||
    (last !== undefined && (UNCHANGED.has(last) || last === 'pending' || last === DEFERRED))
  );
}

export type Claimed = Extract<ClaimResult, { acquired: true }> & {
  /** The claim was waited for: another invocation held it. */
  waited: boolean;
};

/**
 * Takes the (rule, resource) claim for `owner`. A claim held by another live
 * invocation is waited for (the caller re-reads live state afterwards, so a drift
 * that arrived meanwhile is not lost); a holder that died loses the claim when its
 * lock times out. `undefined` when another invocation still holds it past that.
 * Registry errors are thrown.
 */
export async function takeClaim(
  ledger: Ledger,
  rule: string,
  resource: string,
  owner: string,
  lockSeconds: number,
): Promise<Claimed | undefined> {
  const deadline = Date.now() + (lockSeconds + 1) * 1000;
  let waited = false;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000), waited = true) {
    const claim = await ledger.claim(rule, resource, owner);
    if (claim.acquired) return { ...claim, waited };
    if (Date.now() >= deadline) return undefined;
    await sleep(Math.min(wait, Math.max(0, claim.heldUntil * 1000 - Date.now()) + 50));
  }
}

/** The reason to stop changing a resource when its drift keeps coming back, or undefined. */
export function fightOf(
  claim: Claimed,
  settings: Pick<LedgerSettings, 'fightThreshold' | 'fightWindowSeconds'>,
) {
  const fights = claim.recentRemediations.length;
  return fights >= settings.fightThreshold
    ? `remediated ${fights} times in the last ${Math.round(settings.fightWindowSeconds / 60)} min: the drift keeps coming back (an IaC pipeline, a person or another tool is reverting it), so PHI Guard stops changing it`
    : undefined;
}

/**
 * Whether the read made before the claim may still be acted on: only when the
 * claim proves no other invocation can have touched the resource since — taken at
 * the first try, from no holder that died, nothing settled since the read began.
 */
export function isUndisturbed(claim: Claimed, readAt: number): boolean {
  // Seconds on both sides, and hosts' clocks differ by a little: a second of margin.
  return !claim.waited && !claim.tookOver && !(claim.last !== undefined && claim.last.at >= readAt - 1);
}

/** The same finding (same status) as the last one, within the reminder window: recorded, not announced again. */
export function isRepeat(claim: Claimed, status: OutcomeStatus, reminderSeconds: number): boolean {
  const { last } = claim;
  return (
    last !== undefined &&
    last.status === status &&
    UNCHANGED.has(status) &&
    Date.now() / 1000 - last.at < reminderSeconds
  );
}
