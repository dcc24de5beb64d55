import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { rules } from '../../remediations';
import { describeAwsError } from '../aws-errors';
import type { Engine } from '../engine/engine';
import { PhiGuardError, ResourceGoneError } from '../errors';
import { pairKey } from '../ledger/ledger';
import type { Outcome } from '../outcome';
import { ReadCache } from '../read-cache';
import { buildEvidence, type Evidence, type Exemption } from '../report/evidence';
import { renderEvidenceHtml } from '../report/render-html';
import { renderEvidenceMarkdown } from '../report/render-markdown';
import { ticketsOpenInTicketSystems } from '../report/tickets-in-ticket-systems';
import { planShards } from '../sweep/shard';
import { type ShardFailure, sweepShards } from '../sweep/sweep-shards';
import { Sweeper } from '../sweep/sweeper';
import { callerAccount, regionsOrDefault } from './caller';
import { createCliEngine, loadCliConfig } from './cli-engine';

export const REPORT_FORMATS = ['html', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  /** `90d`, `12w` or an ISO date. */
  since: string;
  format: ReportFormat;
  /** A file to write; stdout without. */
  out?: string;
  /** Also run a live dry-run scan of these Regions (own account) for "compliant now". */
  scan: boolean;
  regions: string[];
  now?: Date;
}

export class ReportInputError extends PhiGuardError {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

/** The audit trail is read whole for the period; far above any real period's entries. */
const HISTORY_LIMIT = 1_000_000;

export function sinceDate(since: string, now: Date): Date {
  const relative = /^(\d{1,4})([dw])$/.exec(since);
  if (relative) {
    const days = Number(relative[1]) * (relative[2] === 'w' ? 7 : 1);
    if (days < 1) throw new ReportInputError('--since must be at least 1d');
    return new Date(now.getTime() - days * 86_400_000);
  }
  const ms = /^\d{4}-\d{2}-\d{2}/.test(since) ? Date.parse(since) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ReportInputError('--since must be a number of days or weeks (90d, 12w) or a date (2026-09-01)');
  }
  if (ms > now.getTime()) throw new ReportInputError('--since is in the future');
  return new Date(ms);
}

/**
 * The owner's written reason: the `phiguard:exempt` tag's value, read now with the
 * operator's credentials (through the member role in another account). PHI Guard
 * never stores it: it is free text, so it appears only in the report the operator makes.
 */
async function readExemptReason(
  engine: Engine,
  exemption: Exemption,
  ownAccount: string,
): Promise<Pick<Exemption, 'reason' | 'reasonUnavailable'>> {
  const rule = rules.find((r) => r.id === exemption.rule);
  if (!rule) return { reasonUnavailable: 'the control is no longer in the catalogue' };
  if (exemption.resource.includes('[redacted:')) {
    return {
      reasonUnavailable: 'the name looks like PHI and is shown redacted; read the tag in the console',
    };
  }
  if (!exemption.region) return { reasonUnavailable: 'no Region recorded' };
  try {
    const account = exemption.account ?? ownAccount;
    const member =
      account === ownAccount ? undefined : await engine.memberAccessFor(exemption.region, account);
    const ctx = engine.ruleContext(
      rule,
      engine.resourceContext(exemption.region, account, new ReadCache(), member),
    );
    const value = (await rule.resource.tags(exemption.resource, ctx))[engine.config.exemptTag]?.trim();
    return value ? { reason: value.slice(0, 256) } : { reasonUnavailable: 'the tag has been removed since' };
  } catch (error) {
    if (error instanceof ResourceGoneError) return { reasonUnavailable: 'the resource no longer exists' };
    const why = error instanceof PhiGuardError ? error.message : describeAwsError(error);
    return { reasonUnavailable: `the tag could not be read: ${why}` };
  }
}

/**
 * The evidence of the registry's history since `since` (and of a live dry-run scan
 * when asked), exemption reasons read from their tags. Shared by `phiguard report`
 * and the demo.
 */
export async function gatherEvidence(
  engine: Engine,
  options: { since: Date; now: Date; scan?: readonly Outcome[]; ownAccount: string },
): Promise<Evidence> {
  const entries = await engine.ledger.history({ since: options.since.toISOString(), limit: HISTORY_LIMIT });
  const evidence = buildEvidence({
    rules,
    entries,
    since: options.since,
    now: options.now,
    openTickets: await ticketsOpenInTicketSystems(engine.ledger, entries),
    ...(options.scan ? { scan: options.scan } : {}),
  });
  const reasons = new Map<string, Promise<Pick<Exemption, 'reason' | 'reasonUnavailable'>>>();
  for (const s of evidence.safeguards) {
    s.exemptions = await Promise.all(
      s.exemptions.map(async (e) => {
        const key = `${e.account ?? ''} ${pairKey(e.rule, e.resource)}`;
        if (!reasons.has(key)) reasons.set(key, readExemptReason(engine, e, options.ownAccount));
        const { reasonUnavailable: _unread, ...rest } = e;
        return { ...rest, ...(await reasons.get(key)) };
      }),
    );
  }
  return evidence;
}

export function renderEvidence(evidence: Evidence, format: ReportFormat): string {
  return format === 'html' ? renderEvidenceHtml(evidence) : renderEvidenceMarkdown(evidence);
}

/** `phiguard report`: exit 0 written; 1 the registry could not be read, or the scan was incomplete. */
export async function runReport(options: ReportOptions): Promise<number> {
  const now = options.now ?? new Date();
  const since = sinceDate(options.since, now);
  const config = loadCliConfig(false);
  if (!config.ledgerTable) {
    throw new ReportInputError(
      'the report is made from the action registry: set PHIGUARD_LEDGER_TABLE to its table (the stack names it phiguard-<stage>-ledger)',
    );
  }
  const regions = regionsOrDefault(options.regions);
  const ownAccount = await callerAccount(regions[0] as string);
  const engine = createCliEngine({ ...config, accountId: ownAccount });

  let scan: Outcome[] | undefined;
  let failures: ShardFailure[] = [];
  if (options.scan) {
    const shards = planShards(rules, { runId: randomUUID(), accounts: [ownAccount], regions, ruleIds: [] });
    ({ outcomes: scan, failures } = await sweepShards(new Sweeper(engine, { concurrency: 16 }), shards));
  }
  const evidence = await gatherEvidence(engine, { since, now, ownAccount, ...(scan ? { scan } : {}) });
  const text = renderEvidence(evidence, options.format);
  if (options.out) {
    const path = resolve(options.out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    process.stderr.write(`phiguard: evidence report written to ${path}\n`);
  } else {
    process.stdout.write(text);
  }
  for (const f of failures) {
    process.stderr.write(`phiguard: not scanned: ${f.account} ${f.region} ${f.resourceType}: ${f.error}\n`);
  }
  return failures.length > 0 ? 1 : 0;
}
