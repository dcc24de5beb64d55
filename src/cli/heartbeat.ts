import { createClientPool } from '../aws-clients';
import { AccountResolver } from '../engine/accounts';
import { DEFAULT_HEARTBEAT_MINUTES } from '../heartbeat';
import { runHeartbeat } from '../heartbeat-run';
import { createLedger } from '../ledger/create-ledger';
import { type AccountSelection, sweepAccounts } from '../sweep/sweep-accounts';
import { callerAccount, regionsOrDefault } from './caller';
import { loadCliConfig } from './cli-engine';
import { renderTable } from './table';

export interface HeartbeatOptions {
  stage: string;
  regions: string[];
  accounts: AccountSelection;
  intervalMinutes?: number;
}

/**
 * `phiguard heartbeat`: writes the heartbeat now in each (account, Region), as the
 * scheduled function does, and says when each last arrived. Exit 0 when every place
 * is heard from, 2 when one has been silent for three intervals, 1 when a write failed.
 */
export async function runHeartbeatCommand(options: HeartbeatOptions): Promise<number> {
  const config = loadCliConfig();
  const regions = regionsOrDefault(options.regions);
  const own = await callerAccount(regions[0] as string);
  if (!config.ledgerTable) {
    process.stderr.write(
      'phiguard: PHIGUARD_LEDGER_TABLE is not set; arrivals are recorded in the deployment’s registry, so none can be shown\n',
    );
  }
  const ledger = createLedger(config);
  const clientsFor = createClientPool();
  const ids = await sweepAccounts(options.accounts, own, regions[0] as string);
  const places = ids.flatMap((account) => regions.map((region) => ({ account, region })));
  const run = await runHeartbeat(places, {
    ledger,
    clientsFor,
    accounts: new AccountResolver({ ...config, accountId: own }, clientsFor),
    stage: options.stage,
    intervalMinutes: options.intervalMinutes ?? DEFAULT_HEARTBEAT_MINUTES,
  });
  const records = new Map((await ledger.heartbeats()).map((r) => [`${r.account}/${r.region}`, r]));
  const rows = places.map((place) => {
    const key = `${place.account}/${place.region}`;
    const failed = run.failed.find((f) => `${f.account}/${f.region}` === key);
    const arrived = records.get(key)?.arrivedAt;
    const status = failed
      ? `not sent: ${failed.error}`
      : run.missing.some((m) => `${m.account}/${m.region}` === key)
        ? 'MISSING (silent for 3 intervals)'
        : arrived
          ? 'heard'
          : 'sent; not arrived yet';
    return [place.account, place.region, arrived ?? '-', status];
  });
  process.stdout.write(
    [
      `Sent ${run.sent.length} heartbeat(s) (rule phiguard-${options.stage}-heartbeat); each arrives within minutes through CloudTrail and EventBridge.`,
      renderTable(['ACCOUNT', 'REGION', 'LAST ARRIVAL', 'STATUS'], rows),
      '',
    ].join('\n'),
  );
  if (run.failed.length > 0) return 1;
  return run.missing.length > 0 ? 2 : 0;
}
