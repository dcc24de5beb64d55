import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command, Option } from 'commander';
import { rules } from '../../remediations';
import type { PhiGuardConfig } from '../config';
import { InvalidEventError, PhiGuardError } from '../errors';
import { createLedger } from '../ledger/create-ledger';
import { initLedgerTable } from '../ledger/init-table';
import { silentLogger } from '../logger';
import { buildChannels, createDeliveryRegistry } from '../notify/build';
import { Notifier } from '../notify/notifier';
import { configuredChannels } from '../notify/routing';
import { CHANNELS, type ChannelName, loadNotifierSettings, onlyChannel } from '../notify/settings';
import { testNotification } from '../notify/test-message';
import { PhiNames } from '../phi-names';
import { type AccountSelection, accountIds } from '../sweep/sweep-accounts';
import { PHIGUARD_VERSION } from '../version';
import { loadCliConfig } from './cli-engine';
import { runDlqList, runDlqRedrive } from './dlq';
import { formatHistory } from './format-history';
import { runHeartbeatCommand } from './heartbeat';
import { CliInputError, INVOKE_EXIT, runInvoke } from './invoke';
import { listRules } from './list-rules';
import { REPORT_FORMATS, type ReportFormat, ReportInputError, runReport } from './report';
import { runScan, SCAN_FORMATS, type ScanFormat, ScanInputError } from './scan';
import { runStatus } from './status';

/**
 * `--account ID…` (repeatable, or comma-separated) or `--org`, as the accounts a
 * command covers (default: this one). `invalid` makes the command's own input error.
 */
function accountSelectionOf(
  opts: { account: string[]; org: boolean },
  invalid: (message: string) => Error,
): AccountSelection {
  if (opts.org && opts.account.length > 0) {
    throw invalid('--org and --account cannot be combined: --org already covers every account');
  }
  if (opts.org) return { kind: 'organization' };
  if (opts.account.length === 0) return { kind: 'own' };
  try {
    return {
      kind: 'listed',
      accounts: accountIds(
        '--account',
        opts.account.flatMap((a) => a.split(',')),
      ),
    };
  } catch (error) {
    throw invalid((error as Error).message);
  }
}

function requireTable(config: PhiGuardConfig, explicit?: string): string {
  const table = explicit ?? config.ledgerTable;
  if (!table) throw new CliInputError('no table: set PHIGUARD_LEDGER_TABLE (or pass --table)');
  return table;
}

/**
 * One line on stderr and the exit code, without `process.exit()`: exiting at once
 * cuts whatever stdout has not drained to a pipe yet (a large JSON report was cut
 * at 64 KiB). The process ends on its own once its output is written.
 */
function fail(message: string, code: number): void {
  process.stderr.write(`phiguard: ${message.split('\n')[0]}\n`);
  process.exitCode = code;
}

/** The options of commands about a deployment (status, dlq): which stage, in which Region. */
const STAGE_OPTION = () =>
  new Option('--stage <stage>', 'the deployment stage (default: PHIGUARD_STAGE, else dev)');
const DEPLOYMENT_REGION_OPTION = () =>
  new Option('--region <region>', "the deployment's Region (default: AWS_REGION)");

export function buildProgram(): Command {
  const program = new Command()
    .name('phiguard')
    .description('HIPAA drift detection and remediation for AWS (same engine as the Lambda)')
    .version(PHIGUARD_VERSION)
    .showHelpAfterError();

  program
    .command('invoke')
    .description(
      'run one EventBridge event or CloudTrail record through the Lambda code path (dry-run unless --apply)',
    )
    .argument('<file>', 'JSON file with the event, or - for standard input')
    .option('--apply', 'make the changes (default: dry-run, nothing is written)', false)
    .option('--json', 'print a JSON array of outcomes', false)
    .option('--verbose', 'structured logs on stderr', false)
    .action(async (file: string, opts: { apply: boolean; json: boolean; verbose: boolean }) => {
      process.exitCode = await runInvoke(file, opts);
    });

  program
    .command('rules')
    .description('list the rules with their safeguards, triggers, modes and settings')
    .option('--json', 'print JSON', false)
    .action((opts: { json: boolean }) => {
      process.stdout.write(`${listRules(rules, loadCliConfig(), opts.json ? 'json' : 'table')}\n`);
    });

  const ledger = program.command('ledger').description('the action registry (DynamoDB table)');
  ledger
    .command('init')
    .description(
      'create the action registry table (keys, index, TTL, PITR, KMS) for an emulator or a fresh account',
    )
    .option('--table <name>', 'table name (default: PHIGUARD_LEDGER_TABLE)')
    .action(async (opts: { table?: string }) => {
      const table = requireTable(loadCliConfig(), opts.table);
      const result = await initLedgerTable(new DynamoDBClient({}), table);
      process.stdout.write(
        `${result === 'created' ? 'created' : 'already exists'}: ${table} (TTL on expiresAt, point-in-time recovery on)\n`,
      );
    });

  program
    .command('history')
    .description('what PHI Guard found and did, newest first (from the action registry)')
    .option('--resource <arn>', 'only this resource')
    .option('--rule <id>', 'only this rule')
    .option('--since <iso-time>', 'only entries at or after this time (default: 30 days ago)')
    .option('--limit <n>', 'at most this many entries', '100')
    .option('--json', 'print JSON', false)
    .action(
      async (opts: { resource?: string; rule?: string; since?: string; limit: string; json: boolean }) => {
        const config = loadCliConfig();
        requireTable(config);
        if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) {
          throw new CliInputError(`--since must be an ISO-8601 time, got "${opts.since}"`);
        }
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new CliInputError('--limit must be a positive whole number');
        if (opts.rule && !rules.some((r) => r.id === opts.rule))
          throw new CliInputError(`unknown rule "${opts.rule}"`);
        // The registry knows a resource whose name looks like PHI by its redacted ARN: the
        // operator asks by the real one, and reads the real one back on their terminal.
        const names = new PhiNames(config.phiNamePatterns, config.nameRedactionKey);
        const entries = await createLedger(config).history({
          resource: opts.resource && names.display(opts.resource),
          rule: opts.rule,
          since: opts.since ? new Date(opts.since).toISOString() : undefined,
          limit,
        });
        process.stdout.write(
          names.reveal(`${opts.json ? JSON.stringify(entries, null, 2) : formatHistory(entries)}\n`),
        );
      },
    );

  program
    .command('scan')
    .description(
      'sweep the account: every rule over every resource (dry-run unless --apply); exit 2 when findings remain',
    )
    .option('--apply', 'fix what can be fixed (default: dry-run, nothing is written)', false)
    .option(
      '--rule <id>',
      'only this rule (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--region <region>',
      'a region to sweep (repeatable; default: AWS_REGION)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--account <id>',
      'an account to sweep, through its member role unless it is this one (repeatable; default: this account)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--org',
      "every active account of the organisation (Organizations ListAccounts), this one's included",
      false,
    )
    .option(
      '--role-name <name>',
      'the member role to assume in other accounts (default: PHIGUARD_MEMBER_ROLE_NAME, else phiguard-member)',
    )
    .option('--concurrency <n>', 'resources checked at once per shard', '16')
    .option(
      '--format <format>',
      'table, json, markdown, ocsf (OCSF 1.1 Compliance Findings, one per line) or csv',
      'table',
    )
    .action(
      async (opts: {
        apply: boolean;
        rule: string[];
        region: string[];
        account: string[];
        org: boolean;
        roleName?: string;
        concurrency: string;
        format: string;
      }) => {
        // scan's exit codes are 0 clean, 2 findings remain, 1 anything else: bad options are errors too.
        const concurrency = Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
          throw new ScanInputError('--concurrency must be a whole number from 1 to 256');
        }
        if (!(SCAN_FORMATS as readonly string[]).includes(opts.format)) {
          throw new ScanInputError(`--format must be one of ${SCAN_FORMATS.join(', ')}`);
        }
        if (opts.roleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(opts.roleName)) {
          throw new ScanInputError('--role-name must be an IAM role name (up to 64 of A-Z a-z 0-9 +=,.@_-)');
        }
        const accounts = accountSelectionOf(opts, (message) => new ScanInputError(message));
        process.exitCode = await runScan({
          apply: opts.apply,
          rules: opts.rule,
          regions: opts.region,
          accounts,
          roleName: opts.roleName,
          concurrency,
          format: opts.format as ScanFormat,
        });
      },
    );

  program
    .command('notify')
    .description('notifications')
    .command('test')
    .description('send a clearly marked test message through the real delivery path of one channel')
    .requiredOption('--channel <name>', `one of ${CHANNELS.join(', ')}`)
    .action(async (opts: { channel: string }) => {
      if (!(CHANNELS as readonly string[]).includes(opts.channel)) {
        throw new CliInputError(`--channel must be one of ${CHANNELS.join(', ')}`);
      }
      const channel = opts.channel as ChannelName;
      const settings = loadNotifierSettings();
      if (!configuredChannels(settings).has(channel)) {
        throw new CliInputError(`channel ${channel} is not configured (see the README: Notifications)`);
      }
      // Only the chosen channel, with a route that sends the test message there.
      const only = onlyChannel(settings, channel);
      const config = loadCliConfig();
      const notifier = new Notifier({
        settings: only,
        ...(await buildChannels(only)),
        registry: createDeliveryRegistry(config),
        logger: silentLogger,
      });
      const message = testNotification();
      const result = await notifier.processBatch([
        { messageId: 'phiguard-notify-test', body: JSON.stringify(message) },
      ]);
      if (result.batchItemFailures.length > 0)
        throw new PhiGuardError(`test message to ${channel} was not delivered`);
      process.stdout.write(`sent a test message to ${channel} (notification ${message.id})\n`);
    });

  program
    .command('heartbeat')
    .description(
      'write the heartbeat now in each account and Region, and say when each last arrived (exit 2 when one is silent)',
    )
    .option(
      '--account <id>',
      'an account (repeatable; default: this account), through its member role unless it is this one',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--org', "every active account of the organisation, this one's included", false)
    .option(
      '--region <region>',
      'a region (repeatable; default: AWS_REGION)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--stage <stage>', 'the deployment stage (default: PHIGUARD_STAGE, else dev)')
    .action(async (opts: { account: string[]; org: boolean; region: string[]; stage?: string }) => {
      const stage = opts.stage ?? process.env.PHIGUARD_STAGE ?? 'dev';
      if (!/^[a-zA-Z0-9-]+$/.test(stage)) throw new CliInputError('--stage must be letters, digits and -');
      const accounts = accountSelectionOf(opts, (message) => new CliInputError(message));
      process.exitCode = await runHeartbeatCommand({ stage, regions: opts.region, accounts });
    });

  const dlq = program
    .command('dlq')
    .description("PHI Guard's dead-letter queues: what failed, and processing it again");
  const stageOf = (stage?: string) => {
    const chosen = stage ?? process.env.PHIGUARD_STAGE ?? 'dev';
    if (!/^[a-zA-Z0-9-]+$/.test(chosen)) throw new CliInputError('--stage must be letters, digits and -');
    return chosen;
  };
  dlq
    .command('list')
    .description(
      'the messages in the events, notifications and sweep dead-letter queues (ids, ARNs, errors; no payloads)',
    )
    .addOption(STAGE_OPTION())
    .addOption(DEPLOYMENT_REGION_OPTION())
    .option('--json', 'print JSON', false)
    .action(async (opts: { stage?: string; region?: string; json: boolean }) => {
      process.exitCode = await runDlqList({
        stage: stageOf(opts.stage),
        json: opts.json,
        ...(opts.region ? { region: opts.region } : {}),
      });
    });
  dlq
    .command('redrive')
    .description(
      'process each dead-lettered event again through the engine (mode: PHIGUARD_DRY_RUN), deleting each message once processed',
    )
    .addOption(STAGE_OPTION())
    .addOption(DEPLOYMENT_REGION_OPTION())
    .option('--dry-run', 'plan only: nothing is changed, no message deleted', false)
    .action(async (opts: { stage?: string; region?: string; dryRun: boolean }) => {
      process.exitCode = await runDlqRedrive({
        stage: stageOf(opts.stage),
        dryRun: opts.dryRun,
        ...(opts.region ? { region: opts.region } : {}),
      });
    });

  program
    .command('status')
    .description(
      'is the deployment healthy: mode, event rules, dead-letter queues, heartbeats, last sweep, open tickets (exit 0 healthy, 2 degraded, 1 unreachable)',
    )
    .addOption(STAGE_OPTION())
    .addOption(DEPLOYMENT_REGION_OPTION())
    .option('--json', 'print JSON', false)
    .action(async (opts: { stage?: string; region?: string; json: boolean }) => {
      const stage = opts.stage ?? process.env.PHIGUARD_STAGE ?? 'dev';
      // Exit 2 means degraded here: a bad option is an error (1), as for scan.
      if (!/^[a-zA-Z0-9-]+$/.test(stage)) throw new PhiGuardError('--stage must be letters, digits and -');
      process.exitCode = await runStatus({
        stage,
        json: opts.json,
        ...(opts.region ? { region: opts.region } : {}),
      });
    });

  program
    .command('report')
    .description(
      'the HIPAA evidence report from the action registry: per safeguard, what was checked, drifted, fixed and how fast, what is exempt and why',
    )
    .option('--since <period>', 'how far back: days or weeks (90d, 12w) or a date (2026-09-01)', '90d')
    .option('--format <format>', 'html (self-contained, prints to PDF) or markdown', 'html')
    .option('--out <file>', 'write the report to this file (default: standard output)')
    .option('--scan', "also scan this account now (dry-run, nothing is changed) for 'compliant now'", false)
    .option(
      '--region <region>',
      'a region to scan with --scan (repeatable; default: AWS_REGION)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .action(
      async (opts: { since: string; format: string; out?: string; scan: boolean; region: string[] }) => {
        if (!(REPORT_FORMATS as readonly string[]).includes(opts.format)) {
          throw new ReportInputError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
        }
        process.exitCode = await runReport({
          since: opts.since,
          format: opts.format as ReportFormat,
          ...(opts.out ? { out: opts.out } : {}),
          scan: opts.scan,
          regions: opts.region,
        });
      },
    );

  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof InvalidEventError || error instanceof CliInputError)
      fail(error.message, INVOKE_EXIT.badInput);
    else if (error instanceof PhiGuardError) fail(`${error.name}: ${error.message}`, INVOKE_EXIT.failed);
    else fail(`unexpected error: ${(error as Error)?.message ?? String(error)}`, INVOKE_EXIT.failed);
  }
}
