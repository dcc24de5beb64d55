import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventRuleEvent } from '../../local/fixtures';
import { createClientPool } from '../../src/aws-clients';
import { loadConfig } from '../../src/config';
import { AccountResolver } from '../../src/engine/accounts';
import { runHeartbeat } from '../../src/heartbeat-run';
import { DynamoDbLedger } from '../../src/ledger/dynamodb-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import { runPhiguard } from '../support/cli';
import { lambdaContext, loadEmulatorHandler } from '../support/handler';
import { accountClientConfig } from '../support/member-account';
import { ACCOUNT, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * The heartbeat against moto: written in PHI Guard's own account and, through its
 * member role, in a member account; its event recorded by the event function as an
 * arrival; a place silent for three intervals counted as missing, in the metric the
 * alarm reads.
 */
const MEMBER = '678901234567';
const stage = uniqueName('hb').replace(/[^a-z0-9-]/g, '');
const places = [
  { account: ACCOUNT, region: REGION },
  { account: MEMBER, region: REGION },
];
let table: string;
let ledger: DynamoDbLedger;
const pool = createClientPool();
const accounts = () =>
  new AccountResolver(loadConfig({ PHIGUARD_ACCOUNT_ID: ACCOUNT }, '/nonexistent'), pool);

beforeAll(async () => {
  useMoto();
  table = uniqueName('heartbeat-ledger');
  await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
  ledger = new DynamoDbLedger(table, new DynamoDBClient({ region: REGION }));
});

afterEach(() => {
  vi.restoreAllMocks();
});

const heartbeatRule = async (account: string) =>
  new EventBridgeClient(await accountClientConfig(account, REGION)).send(
    new DescribeRuleCommand({ Name: `phiguard-${stage}-heartbeat` }),
  );

describe('the heartbeat, against moto', () => {
  it('is written in each account (a member through its role), arrives as an event, and a silent place goes missing after 3 intervals', async () => {
    const t0 = new Date();
    const first = await runHeartbeat(places, {
      ledger,
      clientsFor: pool,
      accounts: accounts(),
      stage,
      now: t0,
    });
    expect(first).toEqual({ missing: [], sent: expect.arrayContaining(places), failed: [] });
    for (const account of [ACCOUNT, MEMBER]) {
      const rule = await heartbeatRule(account);
      expect(rule.State).toBe('DISABLED');
      expect(rule.Description).toBe(`PHI Guard heartbeat, sent ${t0.toISOString()}`);
    }

    // The member's heartbeat event reaches the event function: recorded, nothing judged.
    const handler = await loadEmulatorHandler(table);
    const event = eventRuleEvent(
      'events/PutRule.heartbeat',
      `arn:aws:events:${REGION}:${MEMBER}:rule/phiguard-${stage}-heartbeat`,
    );
    expect((await handler(event, lambdaContext)).outcomes).toEqual([]);
    const arrival = (await ledger.heartbeats()).find((r) => r.account === MEMBER);
    expect(arrival).toMatchObject({ firstSentAt: t0.toISOString(), arrivedAt: expect.any(String) });

    const later = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const at20 = await runHeartbeat(places, {
      ledger,
      clientsFor: pool,
      accounts: accounts(),
      stage,
      now: later(20),
    });
    expect(at20.missing).toEqual([]);
    // Thirty minutes on, nothing more arrived: PHI Guard's own account never answered, the
    // member last answered half an hour ago. Both are missing; the member's last arrival is named.
    const at31 = await runHeartbeat(places, {
      ledger,
      clientsFor: pool,
      accounts: accounts(),
      stage,
      now: later(31),
    });
    expect(at31.missing).toEqual([
      { account: ACCOUNT, region: REGION },
      { account: MEMBER, region: REGION, lastArrival: arrival?.arrivedAt },
    ]);
  });

  it('the function emits the count of silent places as the metric the alarm reads', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const silentStage = uniqueName('hbm').replace(/[^a-z0-9-]/g, '');
    // A place (a Region of its own here) written to 40 minutes ago whose heartbeat never arrived.
    const region = 'us-west-1';
    await ledger.recordHeartbeatSent(
      { account: ACCOUNT, region },
      new Date(Date.now() - 40 * 60_000).toISOString(),
    );
    vi.resetModules();
    Object.assign(process.env, {
      ...useMoto(),
      PHIGUARD_LEDGER_TABLE: table,
      PHIGUARD_STAGE: silentStage,
      PHIGUARD_SWEEP_REGIONS: region,
      PHIGUARD_SWEEP_ACCOUNTS: '',
      PHIGUARD_HEARTBEAT_MINUTES: '10',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const { onSchedule } = await import('../../handlers/heartbeat');
    const result = await onSchedule({}, {
      ...lambdaContext,
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:phiguard-${silentStage}-heartbeat`,
    } as Context);
    expect(result).toEqual({ sent: 1, failed: 0, missing: 1 });
    const emf = lines
      .map((l) => l.trim())
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      HeartbeatsMissing: 1,
      service: 'phiguard',
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: `PhiGuard/${silentStage}`,
            Dimensions: [['service']],
            Metrics: [{ Name: 'HeartbeatsMissing', Unit: 'Count' }],
          },
        ],
      },
    });
  });

  it('`phiguard heartbeat` writes it now and says when each place was last heard from', async () => {
    const cliStage = uniqueName('hbc').replace(/[^a-z0-9-]/g, '');
    const env = { ...useMoto(), PHIGUARD_LEDGER_TABLE: table, POWERTOOLS_LOG_LEVEL: 'SILENT' };
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-heartbeat-'));
    const args = ['heartbeat', '--region', 'ca-west-1', '--account', MEMBER, '--stage', cliStage];
    const first = await runPhiguard(args, { env, cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Sent 1 heartbeat(s) (rule phiguard-${cliStage}-heartbeat)`);
    expect(first.stdout).toMatch(new RegExp(`${MEMBER}\\s+ca-west-1\\s+-\\s+sent; not arrived yet`));
    const rule = await new EventBridgeClient(await accountClientConfig(MEMBER, 'ca-west-1')).send(
      new DescribeRuleCommand({ Name: `phiguard-${cliStage}-heartbeat` }),
    );
    expect(rule.State).toBe('DISABLED');
    const bad = await runPhiguard(['heartbeat', '--account', 'prod'], { env, cwd: dir });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--account: "prod" is not a 12-digit AWS account id');
  }, 60_000);
});
