import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { rules } from '../../remediations';
import { describeAwsError, hasErrorCode } from '../aws-errors';
import { ledgerTableName } from '../deployment-names';
import { PhiGuardError } from '../errors';
import { createTableLedger } from '../ledger/create-ledger';
import { type DeploymentStatus, deploymentStatus } from '../status/deployment-status';
import { callerAccount, regionsOrDefault } from './caller';
import { loadCliConfig } from './cli-engine';
import { renderTable } from './table';

export interface StatusOptions {
  stage: string;
  region?: string;
  json: boolean;
  now?: Date;
}

/** Exit codes: healthy, degraded (something needs a person), unreachable (no AWS, or no deployment there). */
export const STATUS_EXIT = { healthy: 0, unreachable: 1, degraded: 2 } as const;

export function formatStatus(status: DeploymentStatus): string {
  const rows = status.checks.map((c) => [
    c.state === 'ok' ? 'OK' : c.state === 'info' ? '-' : 'DEGRADED',
    c.check,
    c.detail,
  ]);
  const degraded = status.checks.filter((c) => c.state === 'degraded').length;
  return [
    `PHI Guard status: stage ${status.stage}, account ${status.account}, ${status.region}, ${status.time}`,
    renderTable(['STATE', 'CHECK', 'DETAIL'], rows),
    '',
    status.healthy
      ? 'Healthy.'
      : `Degraded: ${degraded} check(s) need attention (README: When things go wrong).`,
  ].join('\n');
}

/** `phiguard status`: one look at whether the deployment of `stage` is healthy. */
export async function runStatus(options: StatusOptions): Promise<number> {
  const [region] = regionsOrDefault(options.region ? [options.region] : []) as [string];
  const config = loadCliConfig();
  const table = process.env.PHIGUARD_LEDGER_TABLE || ledgerTableName(options.stage);
  let account: string;
  try {
    account = await callerAccount(region);
    await new DynamoDBClient({ region }).send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    const why = hasErrorCode(error, 'ResourceNotFoundException')
      ? `no PHI Guard deployment of stage ${options.stage} in ${region}: its registry table ${table} does not exist (deploy it, or pass --stage / --region)`
      : error instanceof PhiGuardError
        ? error.message
        : `the registry table ${table} cannot be read: ${describeAwsError(error)}`;
    process.stderr.write(`phiguard: unreachable: ${why}\n`);
    return STATUS_EXIT.unreachable;
  }
  const status = await deploymentStatus({
    stage: options.stage,
    account,
    region,
    rules,
    lambda: new LambdaClient({ region }),
    events: new EventBridgeClient({ region }),
    sqs: new SQSClient({ region }),
    ledger: createTableLedger(table, config, new DynamoDBClient({ region })),
    now: options.now ?? new Date(),
  });
  process.stdout.write(`${options.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`);
  return status.healthy ? STATUS_EXIT.healthy : STATUS_EXIT.degraded;
}
