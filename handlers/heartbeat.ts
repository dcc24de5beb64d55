import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createClientPool } from '../src/aws-clients';
import { loadConfig } from '../src/config';
import { AccountResolver } from '../src/engine/accounts';
import { ConfigError } from '../src/errors';
import { runHeartbeat } from '../src/heartbeat-run';
import { loadHeartbeatSettings } from '../src/heartbeat-settings';
import { createTableLedger } from '../src/ledger/create-ledger';
import { createLambdaLogger } from '../src/logger';
import { sweepAccounts } from '../src/sweep/sweep-accounts';

/**
 * The schedule (every PHIGUARD_HEARTBEAT_MINUTES) → judge which guarded (account,
 * Region) has been silent for three intervals, emit that count (the stack's
 * HeartbeatMissingAlarm fires on it, and on its absence), then write the next
 * heartbeat everywhere (src/heartbeat.ts).
 */
const logger = createLambdaLogger();
const settings = loadHeartbeatSettings();
const config = loadConfig(process.env, process.cwd(), []);
if (!config.ledgerTable)
  throw new ConfigError('PHIGUARD_LEDGER_TABLE is not set: the heartbeat needs the registry');
const ledger = createTableLedger(config.ledgerTable, config);
const clientsFor = createClientPool();
const accounts = new AccountResolver(config, clientsFor);
const metrics = new Metrics({ namespace: `PhiGuard/${settings.stage}`, serviceName: 'phiguard' });

export async function onSchedule(_event: unknown, context: Context) {
  // arn:aws:lambda:<region>:<account>:function:<name>
  const own = context.invokedFunctionArn.split(':')[4] as string;
  const ids = await sweepAccounts(settings.accounts, own, settings.regions[0] as string);
  const places = ids.flatMap((account) => settings.regions.map((region) => ({ account, region })));
  const run = await runHeartbeat(places, {
    ledger,
    clientsFor,
    accounts,
    stage: settings.stage,
    intervalMinutes: settings.intervalMinutes,
  });
  for (const place of run.missing) logger.warn('heartbeat missing', { ...place });
  for (const place of run.failed) logger.error('heartbeat not sent', { ...place });
  metrics.addMetric('HeartbeatsMissing', MetricUnit.Count, run.missing.length);
  metrics.publishStoredMetrics();
  logger.info('heartbeats sent', {
    sent: run.sent.length,
    failed: run.failed.length,
    missing: run.missing.length,
  });
  return { sent: run.sent.length, failed: run.failed.length, missing: run.missing.length };
}

export const handler = middy(onSchedule).use(injectLambdaContext(logger));
