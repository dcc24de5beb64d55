import { randomUUID } from 'node:crypto';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rules } from '../../remediations';
import { describeAwsError } from '../aws-errors';
import { mapLimited } from '../concurrency';
import { PhiGuardError } from '../errors';
import type { Outcome, OutcomeStatus } from '../outcome';
import { planShards } from '../sweep/shard';
import { Sweeper } from '../sweep/sweeper';
import { createCliEngine, loadCliConfig } from './cli-engine';
import { renderTable } from './table';

export type ScanFormat = 'table' | 'json' | 'markdown';

export interface ScanOptions {
  apply: boolean;
  rules: string[];
  regions: string[];
  concurrency: number;
  format: ScanFormat;
}

/**
 * Statuses that mean something is still wrong after the scan (exempt is an accepted
 * risk; a `pending` fix is not confirmed yet, so it still counts).
 */
const REMAINING: ReadonlySet<OutcomeStatus> = new Set([
  'pending',
  'would-remediate',
  'ticket',
  'non-compliant',
  'error',
]);
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

export function formatScanTable(outcomes: readonly Outcome[], header: string): string {
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
  return parts.join('\n');
}

/** A review document a person can attach to a change request. */
export function formatScanMarkdown(
  outcomes: readonly Outcome[],
  meta: { account: string; regions: string[]; apply: boolean },
): string {
  const findings = outcomes.filter((o) => !QUIET.has(o.status));
  const lines = [
    `# PHI Guard scan — account ${meta.account}`,
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
  const config = loadCliConfig(options.apply);
  const regions = options.regions.length
    ? options.regions
    : [process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1'];
  let account: string;
  try {
    const identity = await new STSClient({ region: regions[0] }).send(new GetCallerIdentityCommand({}));
    account = identity.Account as string;
  } catch (error) {
    throw new PhiGuardError(
      `cannot tell which account this is (sts:GetCallerIdentity): ${describeAwsError(error)}`,
    );
  }
  const engine = createCliEngine(config);
  const shards = planShards(rules, { runId: randomUUID(), account, regions, ruleIds: options.rules });
  const sweeper = new Sweeper(engine, { concurrency: options.concurrency });

  const progress = process.stderr.isTTY && options.format !== 'json';
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
  const results = await mapLimited(shards, 4, async (shard) => {
    const result = await sweeper.runShard(shard, {
      onPage: (page) => {
        checked += page.checked;
        findings += page.outcomes.filter((o) => !QUIET.has(o.status)).length;
        draw();
      },
    });
    shardsDone++;
    draw();
    return result;
  });
  if (progress) process.stderr.write('\n');

  const outcomes = results.flatMap((r) => r.outcomes);
  const header = `PHI Guard scan of ${account} in ${regions.join(', ')} (${options.apply ? 'apply' : 'dry-run; --apply to fix'})`;
  if (options.format === 'json') {
    const summary = Object.fromEntries(
      [...summarize(outcomes)].map(([rule, counts]) => [rule, Object.fromEntries(counts)]),
    );
    // The operator's own terminal: names redacted everywhere else are shown as they are.
    process.stdout.write(
      engine.names.reveal(
        `${JSON.stringify({ account, regions, dryRun: !options.apply, summary, outcomes }, null, 2)}\n`,
      ),
    );
  } else if (options.format === 'markdown') {
    // Written to be posted (a pull request, a wiki): names that look like PHI stay redacted.
    process.stdout.write(`${formatScanMarkdown(outcomes, { account, regions, apply: options.apply })}\n`);
  } else {
    process.stdout.write(engine.names.reveal(`${formatScanTable(outcomes, header)}\n`));
  }
  if (outcomes.some((o) => o.status === 'error')) return 1;
  return outcomes.some((o) => REMAINING.has(o.status)) ? 2 : 0;
}
