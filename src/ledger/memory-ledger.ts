import type { HeartbeatPlace, HeartbeatRecord } from '../heartbeat';
import {
  type ClaimMemory,
  type ClaimResult,
  DEFAULT_LEDGER_SETTINGS,
  type EventBegin,
  type HistoryEntry,
  type HistoryQuery,
  type Ledger,
  type LedgerSettings,
  pairKey,
  type SweepRun,
  type SweepShardReport,
} from './ledger';

/**
 * The registry for one CLI process when no table is configured: the same
 * semantics as the DynamoDB ledger, forgotten when the process exits.
 */
export class MemoryLedger implements Ledger {
  readonly description = 'in-memory (this process only)';
  private readonly events = new Map<
    string,
    { status: 'IN_PROGRESS' | 'COMPLETED'; owner: string; lockUntil: number }
  >();
  private readonly claims = new Map<
    string,
    { owner?: string; lockUntil: number; remediatedAt: number[]; last?: { status: string; at: number } }
  >();
  private readonly entries: HistoryEntry[] = [];
  private readonly settings: LedgerSettings;
  private readonly now: () => number;

  constructor(settings: Partial<LedgerSettings> = {}, now: () => number = () => Date.now() / 1000) {
    this.settings = { ...DEFAULT_LEDGER_SETTINGS, ...settings };
    this.now = now;
  }

  async beginEvent(eventId: string, owner: string): Promise<EventBegin> {
    const now = this.now();
    const marker = this.events.get(eventId);
    if (marker?.status === 'COMPLETED') return { state: 'duplicate', of: 'completed' };
    // Its own owner may begin again (the DynamoDB ledger grants a re-sent put the same way).
    if (marker && marker.lockUntil > now && marker.owner !== owner)
      return { state: 'duplicate', of: 'in-progress' };
    this.events.set(eventId, { status: 'IN_PROGRESS', owner, lockUntil: now + this.settings.lockSeconds });
    return { state: 'new' };
  }

  async recall(pairs: readonly { rule: string; resource: string }[]): Promise<Map<string, ClaimMemory>> {
    const found = new Map<string, ClaimMemory>();
    for (const { rule, resource } of pairs) {
      const claim = this.claims.get(pairKey(rule, resource));
      if (claim) found.set(pairKey(rule, resource), { ticketOpen: false, last: claim.last });
    }
    return found;
  }

  async claim(rule: string, resource: string, owner: string): Promise<ClaimResult> {
    const now = this.now();
    const key = pairKey(rule, resource);
    const claim = this.claims.get(key) ?? { lockUntil: 0, remediatedAt: [] };
    if (claim.owner && claim.owner !== owner && claim.lockUntil > now) {
      return { acquired: false, heldUntil: claim.lockUntil };
    }
    const tookOver = claim.owner !== undefined && claim.owner !== owner;
    claim.owner = owner;
    claim.lockUntil = now + this.settings.lockSeconds;
    this.claims.set(key, claim);
    return {
      acquired: true,
      recentRemediations: claim.remediatedAt.filter((t) => t > now - this.settings.fightWindowSeconds),
      ticketOpen: false,
      last: claim.last,
      tookOver,
    };
  }

  async complete(settlement: Parameters<Ledger['complete']>[0]): Promise<void> {
    const now = this.now();
    this.entries.push(...settlement.entries.map((entry) => structuredClone(entry)));
    for (const release of settlement.releases) {
      const claim = this.claims.get(pairKey(release.rule, release.resource));
      if (!claim || claim.owner !== release.owner) continue;
      claim.owner = undefined;
      claim.lockUntil = 0;
      claim.remediatedAt = [...release.recentRemediations, ...(release.remediated ? [now] : [])];
      claim.last = { status: release.status, at: now };
    }
    if (settlement.eventId) {
      const marker = this.events.get(settlement.eventId);
      if (marker?.owner === settlement.owner) {
        if (settlement.failed) this.events.delete(settlement.eventId);
        else marker.status = 'COMPLETED';
      }
    }
  }

  async forgetEvent(eventId: string, owner: string): Promise<void> {
    const marker = this.events.get(eventId);
    if (marker?.owner === owner && marker.status !== 'COMPLETED') this.events.delete(eventId);
  }

  private readonly heartbeatRecords = new Map<string, HeartbeatRecord>();

  private heartbeatOf(place: HeartbeatPlace): HeartbeatRecord {
    const key = `${place.account}/${place.region}`;
    const record = this.heartbeatRecords.get(key) ?? { account: place.account, region: place.region };
    this.heartbeatRecords.set(key, record);
    return record;
  }

  async recordHeartbeatSent(place: HeartbeatPlace, at: string): Promise<void> {
    const record = this.heartbeatOf(place);
    record.firstSentAt ??= at;
    record.lastSentAt = at;
  }

  async recordHeartbeatArrival(arrival: HeartbeatPlace & { sentAt?: string }, at: string): Promise<void> {
    const record = this.heartbeatOf(arrival);
    if (record.arrivedAt && record.arrivedAt >= at) return;
    record.arrivedAt = at;
    if (arrival.sentAt) record.arrivedSentAt = arrival.sentAt;
    else delete record.arrivedSentAt;
  }

  async heartbeats(): Promise<HeartbeatRecord[]> {
    return [...this.heartbeatRecords.values()].map((r) => ({ ...r }));
  }

  private readonly runs = new Map<string, SweepRun>();

  async recordSweepShard(report: SweepShardReport): Promise<void> {
    const run = this.runs.get(report.runId) ?? {
      runId: report.runId,
      startedAt: report.startedAt ?? report.at,
      shardsPlanned: report.shardsPlanned ?? 0,
      shardsDone: 0,
      checked: 0,
      findings: 0,
      errors: 0,
      failedAttempts: 0,
      lastShardAt: report.at,
    };
    run.lastShardAt = report.at;
    run.checked += report.checked;
    run.findings += report.findings;
    run.errors += report.errors;
    if (report.ended === 'done') run.shardsDone++;
    if (report.ended === 'failed') run.failedAttempts++;
    this.runs.set(report.runId, run);
  }

  async sweepRuns(): Promise<SweepRun[]> {
    return [...this.runs.values()]
      .map((r) => ({ ...r }))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    return this.entries
      .filter((e) => !query.resource || e.resource === query.resource)
      .filter((e) => !query.rule || e.rule === query.rule)
      .filter((e) => !query.since || e.time >= query.since)
      .sort((a, b) => b.time.localeCompare(a.time))
      .slice(0, query.limit ?? 100);
  }
}
