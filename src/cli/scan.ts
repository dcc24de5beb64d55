import { randomUUID } from 'node:crypto';
import { rules } from '../../remediations';
import { PhiGuardError } from '../errors';
import { formatOcsfLines } from '../ocsf-compliance-finding';
import { type Outcome, type OutcomeStatus, REMAINING_STATUSES } from '../outcome';
import { planShards } from '../sweep/shard';
import { type AccountSelection, sweepAccounts } from '../sweep/sweep-accounts';
import { type ShardFailure, sweepShards } from '../sweep/sweep-shards';
import { Sweeper } from '../sweep/sweeper';
import { callerAccount, regionsOrDefault } from './caller';
import { createCliEngine, loadCliConfig, sayIfMemoryLedger } from './cli-engine';
import { formatCsv } from './format-csv';
import { renderTable } from './table';

export const SCAN_FORMATS = ['table', 'json', 'markdown', 'ocsf', 'csv'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export interface ScanOptions {
  apply: boolean;
  rules: string[];
  regions: string[];
  /** Which accounts: own (default), `--account` ids, or `--org`. */
  accounts: AccountSelection;
  /** `--role-name`: the member role to assume in other accounts (else PHIGUARD_MEMBER_ROLE_NAME). */
  roleName?: string;
  concurrency: number;
  format: ScanFormat;
}

const QUIET: ReadonlySet<OutcomeStatus> = new Set(['compliant', 'ignored', 'gone', 'duplicate']);

export class ScanInputError extends PhiGuardError {
  constructor(message: string) {
    super(message);
    this.name = 'ScanInputError';
  }
}

function summarize(outcomes: readonly Outcome[]): Map<string, Map<OutcomeStatus, number>> {
  const byRule = new Map<string, Map<OutcomeStatus, number>>();
  for (const o of outcomes) {
    const counts = byRule.get(o.rule) ?? new Map<OutcomeStatus, number>();
    counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
    byRule.set(o.rule, counts);
  }
  return byRule;
}

function summaryTable(outcomes: readonly Outcome[]): string {
  const summary = summarize(outcomes);
  const statuses = [...new Set(outcomes.map((o) => o.status))].sort();
  return renderTable(
    ['RULE', ...statuses.map((s) => s.toUpperCase())],
    [...summary].map(([rule, counts]) => [rule, ...statuses.map((s) => String(counts.get(s) ?? 0))]),
  );
}

function failureRows(failures: readonly ShardFailure[]): string[][] {
  return failures.map((f) => [f.account, f.region, f.resourceType, f.error]);
}

export function formatScanTable(
  outcomes: readonly Outcome[],
  header: string,
  failures: readonly ShardFailure[] = [],
): string {
  const findings = outcomes.filter((o) => !QUIET.has(o.status));
  const rows = findings.map((o) => [
    o.status,
    o.rule,
    o.resource,
    o.safeguards.join(' '),
    o.reason ?? o.actions.map((a) => a.api).join(', ') ?? '',
  ]);
  const parts = [header];
  if (rows.length > 0) parts.push(renderTable(['STATUS', 'RULE', 'RESOURCE', 'SAFEGUARDS', 'DETAIL'], rows));
  parts.push('', summaryTable(outcomes));
  if (failures.length > 0) {
    parts.push(
      '',
      `NOT SWEPT (${failures.length}): these resources were not checked`,
      renderTable(['ACCOUNT', 'REGION', 'RESOURCE TYPE', 'ERROR'], failureRows(failures)),
    );
  }
  return parts.join('\n');
}

/** A review document a person can attach to a change request. */
export function formatScanMarkdown(
  outcomes: readonly Outcome[],
  meta: { account: string; regions: string[]; apply: boolean; failures?: readonly ShardFailure[] },
): string {
  const findings = outcomes.filter((o) => !QUIET.has(o.status));
  const lines = [
    `# PHI Guard scan — ${/^\d{12}$/.test(meta.account) ? `account ${meta.account}` : meta.account}`,
    '',
    `- Regions: ${meta.regions.join(', ')}`,
    `- Date: ${new Date().toISOString()}`,
    `- Mode: ${meta.apply ? 'apply (changes were made)' : 'dry-run (nothing was changed)'}`,
    `- Checked: ${outcomes.length} (rule, resource) pairs; findings: ${findings.length}`,
    '',
    '## Summary',
    '',
  ];
  const statuses = [...new Set(outcomes.map((o) => o.status))].sort();
  lines.push(`| rule | ${statuses.join(' | ')} |`, `|---|${statuses.map(() => '---').join('|')}|`);
  for (const [rule, counts] of summarize(outcomes)) {
    lines.push(`| \`${rule}\` | ${statuses.map((s) => counts.get(s) ?? 0).join(' | ')} |`);
  }
  const failures = meta.failures ?? [];
  if (failures.length > 0) {
    lines.push('', '## Not swept', '', 'These resources were not checked:', '');
    lines.push('| account | region | resource type | error |', '|---|---|---|---|');
    for (const row of failureRows(failures))
      lines.push(`| ${row.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  lines.push('', '## Findings', '');
  if (findings.length === 0) lines.push('None: every checked resource meets its safeguard.');
  for (const o of findings) {
    lines.push(`### ${o.status}: \`${o.rule}\` on \`${o.resource}\``, '');
    lines.push(`- HIPAA safeguard: ${o.safeguards.map((s) => `§${s}`).join(', ')} (${o.title})`);
    if (o.findings?.length) lines.push(`- Found: ${o.findings.join('; ')}`);
    if (o.reason) lines.push(`- Reason: ${o.reason}`);
    if (o.actions.length > 0) {
      lines.push(
        `- ${o.status === 'remediated' ? 'Calls made' : 'Calls `--apply` would make'}:`,
        '',
        '```json',
      );
      for (const action of o.actions)
        lines.push(JSON.stringify({ [`${action.service}:${action.api}`]: action.params }));
      lines.push('```');
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** `phiguard scan`: the sweep from a laptop or CI. Returns the exit code (0 clean, 2 findings remain, 1 errors). */
export async function runScan(options: ScanOptions): Promise<number> {
  const unknown = options.rules.filter((id) => !rules.some((r) => r.id === id));
  if (unknown.length > 0) throw new ScanInputError(`unknown rule(s): ${unknown.join(', ')}`);
  const loaded = loadCliConfig(options.apply);
  const regions = regionsOrDefault(options.regions);
  const account = await callerAccount(regions[0] as string);
  // The caller's own account is acted on with its own credentials, every other through its member role.
  const config = {
    ...loaded,
    accountId: account,
    member: { ...loaded.member, ...(options.roleName ? { roleName: options.roleName } : {}) },
  };
  const accounts = await sweepAccounts(options.accounts, account, regions[0] as string);
  sayIfMemoryLedger(config);
  const engine = createCliEngine(config);
  const shards = planShards(rules, { runId: randomUUID(), accounts, regions, ruleIds: options.rules });
  const sweeper = new Sweeper(engine, { concurrency: options.concurrency });

  const progress = process.stderr.isTTY && options.format === 'table';
  let checked = 0;
  let findings = 0;
  let shardsDone = 0;
  const draw = () => {
    if (!progress) return;
    const width = 24;
    const filled = Math.round((shardsDone / shards.length) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${shardsDone}/${shards.length} shards, ${checked} resources checked, ${findings} findings `,
    );
  };
  draw();
  const { outcomes, failures } = await sweepShards(sweeper, shards, {
    onPage: (page) => {
      checked += page.checked;
      findings += page.outcomes.filter((o) => !QUIET.has(o.status)).length;
      draw();
    },
    onShardDone: () => {
      shardsDone++;
      draw();
    },
  });
  if (progress) process.stderr.write('\n');

  const scope = accounts.length === 1 ? accounts[0] : `${accounts.length} accounts`;
  const header = `PHI Guard scan of ${scope} in ${regions.join(', ')} (${options.apply ? 'apply' : 'dry-run; --apply to fix'})`;
  if (options.format === 'json') {
    const summary = Object.fromEntries(
      [...summarize(outcomes)].map(([rule, counts]) => [rule, Object.fromEntries(counts)]),
    );
    // The operator's own terminal: names redacted everywhere else are shown as they are.
    process.stdout.write(
      engine.names.reveal(
        `${JSON.stringify({ account, accounts, regions, dryRun: !options.apply, summary, outcomes, failures }, null, 2)}\n`,
      ),
    );
  } else if (options.format === 'markdown') {
    // Written to be posted (a pull request, a wiki): names that look like PHI stay redacted.
    process.stdout.write(
      `${formatScanMarkdown(outcomes, { account: scope ?? account, regions, apply: options.apply, failures })}\n`,
    );
  } else if (options.format === 'ocsf' || options.format === 'csv') {
    // Bound for a SIEM or a spreadsheet: names that look like PHI stay redacted. A shard
    // that was not swept has no outcomes to write: stderr says so, and the exit code is 1.
    const text = options.format === 'ocsf' ? formatOcsfLines(outcomes) : formatCsv(outcomes);
    if (text) process.stdout.write(`${text}${options.format === 'csv' ? '\r\n' : '\n'}`);
    for (const f of failures) {
      process.stderr.write(`phiguard: not swept: ${f.account} ${f.region} ${f.resourceType}: ${f.error}\n`);
    }
  } else {
    process.stdout.write(engine.names.reveal(`${formatScanTable(outcomes, header, failures)}\n`));
  }
  if (failures.length > 0 || outcomes.some((o) => o.status === 'error')) return 1;
  return outcomes.some((o) => REMAINING_STATUSES.has(o.status)) ? 2 : 0;
}
