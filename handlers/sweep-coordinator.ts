import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createLambdaLogger } from '../src/logger';
import { parseCatalogue } from '../src/sweep/catalogue';
import { loadSweepSettings } from '../src/sweep/settings';
import { planShards } from '../src/sweep/shard';
import { enqueueShards } from '../src/sweep/shard-queue';
import { sweepAccounts } from '../src/sweep/sweep-accounts';

/**
 * The schedule → one shard per (account, region, resource type) on the sweep
 * queue; the accounts are PHIGUARD_SWEEP_ACCOUNTS (own, listed, or the
 * organisation's active accounts).
 * Workers take them in parallel, so the sweep scales out, not up.
 */
const logger = createLambdaLogger();
const settings = loadSweepSettings();
// The rules' ids and types, generated from the registry into the environment (not the rules themselves).
const rules = parseCatalogue('PHIGUARD_SWEEP_RULES', process.env.PHIGUARD_SWEEP_RULES);
const sqs = new SQSClient({ maxAttempts: 5 });

export async function onSchedule(event: Partial<ScheduledEvent>, context: Context) {
  // arn:aws:lambda:<region>:<account>:function:<name>
  const account = context.invokedFunctionArn.split(':')[4] as string;
  const runId = event.id ?? context.awsRequestId;
  const accounts = await sweepAccounts(settings.accounts, account, settings.regions[0] as string);
  const startedAt = event.time ?? new Date().toISOString();
  const shards = planShards(rules, { runId, accounts, regions: settings.regions, startedAt });
  await enqueueShards(sqs, settings.queueUrl, shards);
  logger.info('sweep started', {
    runId,
    shards: shards.length,
    accounts: accounts.length,
    regions: settings.regions,
  });
  return { runId, shards: shards.length, accounts: accounts.length };
}

export const handler = middy(onSchedule).use(injectLambdaContext(logger));
