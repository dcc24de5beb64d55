import type { HistoryEntry } from '../ledger/ledger';
import { pairKey } from '../ledger/ledger';
import type { Outcome, OutcomeStatus } from '../outcome';
import type { Rule } from '../rule';

/**
 * The HIPAA evidence an auditor asks for, per safeguard, computed from the
 * registry's audit trail (and, when given, a live dry-run scan): what enforces
 * it, what was evaluated, what drifted, how much was fixed automatically and how
 * fast, what needed a person, what is exempt and why, and where PHI Guard fought
 * someone. Plain data; `render-html.ts` and `render-markdown.ts` present it.
 */

/** The safeguards the report is organised by; a rule's citation belongs to the one it falls under. */
export const REPORTED_SAFEGUARDS = [
  { id: '164.308(a)(7)', title: 'Contingency plan: data backup and recovery' },
  { id: '164.312(a)(1)', title: 'Access control' },
  { id: '164.312(a)(2)(iv)', title: 'Encryption and decryption (at rest)' },
  { id: '164.312(b)', title: 'Audit controls' },
  { id: '164.312(c)(1)', title: 'Integrity' },
  { id: '164.312(e)(1)', title: 'Transmission security' },
] as const;

/** `164.308(a)(7)(ii)(A)` is evidence for `164.308(a)(7)`; a citation outside the six stands for itself. */
export function reportedSafeguardOf(citation: string): string {
  return (
    REPORTED_SAFEGUARDS.find((s) => citation === s.id || citation.startsWith(`${s.id}(`))?.id ?? citation
  );
}

/** A drift found: the statuses that say the resource did not meet the safeguard when read. */
const DRIFT: ReadonlySet<OutcomeStatus> = new Set([
  'remediated',
  'pending',
  'would-remediate',
  'ticket',
  'non-compliant',
  'exempt',
]);
/** Still needing a person when it is a pair's latest word. */
const UNRESOLVED: ReadonlySet<OutcomeStatus> = new Set(['ticket', 'non-compliant', 'error']);
/** Not a judgement of the resource. */
const NOT_EVALUATED: ReadonlySet<OutcomeStatus> = new Set(['ignored', 'duplicate', 'gone']);

/** A `remediated` entry with no calls confirms an earlier `pending` fix; it is not a new drift. */
function isConfirmation(entry: HistoryEntry): boolean {
  return entry.status === 'remediated' && entry.actions.length === 0;
}

function isDrift(entry: HistoryEntry): boolean {
  return DRIFT.has(entry.status) && !isConfirmation(entry);
}

function isFix(entry: HistoryEntry): boolean {
  return entry.status === 'remediated' && !entry.dryRun;
}

/** Entries written before fights were marked say so in their reason. */
function isFight(entry: HistoryEntry): boolean {
  return entry.fight === true || (entry.status === 'ticket' && /keeps coming back/.test(entry.reason ?? ''));
}

/**
 * The (rule, resource) pairs that needed a person and still do: the pair's latest
 * outcome still needs one, or a ticket system's ticket for it is open (`inTicketSystem`,
 * by `pairKey`, from the registry's claims).
 */
export function openTicketPairs(
  entries: readonly HistoryEntry[],
  inTicketSystem: ReadonlySet<string>,
  /** Each pair's latest entry, when the caller has it already. */
  latest: ReadonlyMap<string, HistoryEntry> = latestByPair(entries),
): Set<string> {
  const ticketed = new Set(
    entries.filter((e) => e.status === 'ticket').map((e) => pairKey(e.rule, e.resource)),
  );
  return new Set(
    [...ticketed].filter(
      (key) => inTicketSystem.has(key) || UNRESOLVED.has(latest.get(key)?.status ?? 'compliant'),
    ),
  );
}

export interface Exemption {
  rule: string;
  resource: string;
  account?: string;
  region?: string;
  /** The `phiguard:exempt` tag's value, read live when the report is made: the owner's own written reason. */
  reason?: string;
  /** Why the reason could not be read (the resource is gone, the name is redacted, the read failed). */
  reasonUnavailable?: string;
}

export interface TimeToFix {
  /** Fixes measured: those whose drift came with an event time. */
  count: number;
  medianSeconds?: number;
  p95Seconds?: number;
  /** Fixes of drift a sweep found (no event to count from). */
  unmeasured: number;
}

export interface SafeguardEvidence {
  id: string;
  title: string;
  controls: { id: string; title: string }[];
  resourcesEvaluated: number;
  /** Share (0–1) of evaluated resources meeting every control of the safeguard now; undefined when none was evaluated. */
  compliantShare?: number;
  /** Where "now" comes from: a live scan, or each resource's latest recorded outcome. */
  basis: 'scan' | 'history';
  driftsDetected: number;
  fixedAutomatically: number;
  timeToFix: TimeToFix;
  ticketsOpened: number;
  ticketsStillOpen: number;
  exemptions: Exemption[];
  fights: number;
}

export interface Evidence {
  since: string;
  until: string;
  generatedAt: string;
  /** The accounts whose history or scan the report covers. */
  accounts: string[];
  regions: string[];
  historyEntries: number;
  scanned: boolean;
  safeguards: SafeguardEvidence[];
  /** Monday (UTC) of each week in the period, oldest first, and the drifts detected per safeguard that week. */
  weeks: { start: string; drifts: Record<string, number> }[];
  /** Every measured time to fix, in seconds, ascending. */
  timeToFixSeconds: number[];
}

export interface EvidenceInput {
  rules: readonly Pick<Rule, 'id' | 'title' | 'safeguards'>[];
  /** The audit trail from `since` to `now`, any order. */
  entries: readonly HistoryEntry[];
  since: Date;
  now: Date;
  /** Pairs (`pairKey`) with a ticket open in a ticket system, per the registry. */
  openTickets: ReadonlySet<string>;
  /** A live dry-run scan's outcomes: "compliant now" from them instead of the history. */
  scan?: readonly Outcome[];
  /** Reasons read from the exempt resources' tags, by `pairKey`. */
  exemptReasons?: ReadonlyMap<string, Pick<Exemption, 'reason' | 'reasonUnavailable'>>;
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function mondayOf(time: string | Date): string {
  const d = new Date(time);
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

function weeksBetween(since: Date, now: Date): string[] {
  const weeks: string[] = [];
  for (let week = mondayOf(since); week <= mondayOf(now); ) {
    weeks.push(week);
    week = new Date(Date.parse(week) + 7 * 86_400_000).toISOString().slice(0, 10);
  }
  return weeks;
}

/**
 * Seconds from the drift's API call to the verified fix, for each fix whose drift
 * came with an event. A `remediated` entry without calls confirms the pair's last
 * `pending` fix: it is measured from that fix's event.
 */
function timesToFix(entries: readonly HistoryEntry[]): Map<HistoryEntry, number | undefined> {
  const byPair = new Map<string, HistoryEntry[]>();
  for (const e of entries) {
    const key = pairKey(e.rule, e.resource);
    byPair.set(key, [...(byPair.get(key) ?? []), e]);
  }
  const found = new Map<HistoryEntry, number | undefined>();
  for (const pairEntries of byPair.values()) {
    const ordered = [...pairEntries].sort((a, b) => a.time.localeCompare(b.time));
    let pending: HistoryEntry | undefined;
    for (const e of ordered) {
      if (e.status === 'pending' && !e.dryRun) pending = e;
      if (!isFix(e)) continue;
      const from = isConfirmation(e) ? pending?.eventTime : e.eventTime;
      const seconds = from ? (Date.parse(e.time) - Date.parse(from)) / 1000 : Number.NaN;
      found.set(e, Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined);
      pending = undefined;
    }
  }
  return found;
}

function latestByPair(entries: readonly HistoryEntry[]): Map<string, HistoryEntry> {
  const latest = new Map<string, HistoryEntry>();
  for (const e of entries) {
    if (NOT_EVALUATED.has(e.status)) continue;
    const key = pairKey(e.rule, e.resource);
    const seen = latest.get(key);
    if (!seen || seen.time < e.time) latest.set(key, e);
  }
  return latest;
}

/** Per resource: meets the safeguard when every control's latest word on it is compliant or a verified fix. */
function compliance(results: readonly { resource: string; account?: string; compliant: boolean }[]): {
  evaluated: number;
  share?: number;
} {
  const byResource = new Map<string, boolean>();
  for (const r of results) {
    const key = `${r.account ?? ''} ${r.resource}`;
    byResource.set(key, (byResource.get(key) ?? true) && r.compliant);
  }
  const evaluated = byResource.size;
  const compliant = [...byResource.values()].filter(Boolean).length;
  return { evaluated, ...(evaluated > 0 ? { share: compliant / evaluated } : {}) };
}

export function buildEvidence(input: EvidenceInput): Evidence {
  const sinceIso = input.since.toISOString();
  const entries = input.entries.filter((e) => e.time >= sinceIso);
  const fixTimes = timesToFix(entries);
  const latest = latestByPair(entries);
  const weeks = weeksBetween(input.since, input.now);
  const weekly = new Map(weeks.map((w) => [w, {} as Record<string, number>]));

  const groups = new Map<string, { title: string; ruleIds: Set<string> }>();
  for (const s of REPORTED_SAFEGUARDS) groups.set(s.id, { title: s.title, ruleIds: new Set() });
  for (const rule of input.rules) {
    for (const citation of rule.safeguards) {
      const id = reportedSafeguardOf(citation);
      const group = groups.get(id) ?? { title: `45 CFR §${id}`, ruleIds: new Set<string>() };
      group.ruleIds.add(rule.id);
      groups.set(id, group);
    }
  }
  const safeguardsOfEntry = (e: HistoryEntry) => new Set(e.safeguards.map(reportedSafeguardOf));

  for (const e of entries) {
    if (!isDrift(e)) continue;
    const counts = weekly.get(mondayOf(e.time));
    if (!counts) continue;
    for (const id of safeguardsOfEntry(e)) counts[id] = (counts[id] ?? 0) + 1;
  }

  const safeguards: SafeguardEvidence[] = [...groups].map(([id, group]) => {
    const mine = entries.filter((e) => safeguardsOfEntry(e).has(id));
    const fixes = mine.filter(isFix);
    const measured = fixes
      .map((e) => fixTimes.get(e))
      .filter((s): s is number => s !== undefined)
      .sort((a, b) => a - b);
    const ticketPairs = new Set(
      mine.filter((e) => e.status === 'ticket').map((e) => pairKey(e.rule, e.resource)),
    );
    const stillOpen = [...openTicketPairs(mine, input.openTickets, latest)];
    const exemptPairs = new Map<string, HistoryEntry>();
    for (const e of mine) {
      const key = pairKey(e.rule, e.resource);
      if (latest.get(key)?.status === 'exempt') exemptPairs.set(key, latest.get(key) as HistoryEntry);
    }
    const now = input.scan
      ? compliance(
          input.scan
            .filter((o) => group.ruleIds.has(o.rule) && !NOT_EVALUATED.has(o.status))
            .map((o) => ({ resource: o.resource, account: o.account, compliant: o.status === 'compliant' })),
        )
      : compliance(
          [...latest.values()]
            .filter((e) => safeguardsOfEntry(e).has(id))
            .map((e) => ({
              resource: e.resource,
              account: e.account,
              compliant: e.status === 'compliant' || isFix(e),
            })),
        );
    return {
      id,
      title: group.title,
      controls: input.rules.filter((r) => group.ruleIds.has(r.id)).map((r) => ({ id: r.id, title: r.title })),
      resourcesEvaluated: now.evaluated,
      ...(now.share !== undefined ? { compliantShare: now.share } : {}),
      basis: input.scan ? 'scan' : 'history',
      driftsDetected: mine.filter(isDrift).length,
      fixedAutomatically: fixes.length,
      timeToFix: {
        count: measured.length,
        medianSeconds: percentile(measured, 50),
        p95Seconds: percentile(measured, 95),
        unmeasured: fixes.length - measured.length,
      },
      ticketsOpened: ticketPairs.size,
      ticketsStillOpen: stillOpen.length,
      exemptions: [...exemptPairs].map(([key, e]) => ({
        rule: e.rule,
        resource: e.resource,
        account: e.account,
        region: e.region,
        ...(input.exemptReasons?.get(key) ?? { reasonUnavailable: 'not read' }),
      })),
      fights: new Set(mine.filter(isFight).map((e) => pairKey(e.rule, e.resource))).size,
    };
  });

  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const e of [...entries, ...(input.scan ?? [])]) {
    if (e.account) accounts.add(e.account);
    if (e.region) regions.add(e.region);
  }
  return {
    since: sinceIso,
    until: input.now.toISOString(),
    generatedAt: input.now.toISOString(),
    accounts: [...accounts].sort(),
    regions: [...regions].sort(),
    historyEntries: entries.length,
    scanned: input.scan !== undefined,
    safeguards,
    weeks: weeks.map((start) => ({ start, drifts: weekly.get(start) ?? {} })),
    timeToFixSeconds: [...fixTimes.values()]
      .filter((s): s is number => s !== undefined)
      .sort((a, b) => a - b),
  };
}
