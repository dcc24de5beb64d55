import { DisableRuleCommand, EventBridgeClient, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv } from '../../local/moto-server';
import { type StandInDeployment, seedStandInDeployment } from '../../local/seed-deployment';
import { createTableLedger } from '../../src/ledger/create-ledger';
import { runPhiguard } from '../support/cli';
import { testConfig } from '../support/config';
import { ACCOUNT, motoEndpoint, REGION, useMoto } from '../support/moto';

/**
 * `phiguard status` against a stand-in of the stack in moto (named as the stack
 * names it): healthy only when every rule is enabled with a target, every
 * dead-letter queue is empty, heartbeats arrive and the last sweep is recent.
 */
const STAGE = `st${Math.random().toString(36).slice(2, 8)}`;
let deployment: StandInDeployment;
let env: Record<string, string>;

function status(args: string[] = []) {
  return runPhiguard(['status', '--stage', STAGE, ...args], { env, cwd: process.cwd() });
}

/** Each check's state and detail, by name, from `status --json`. */
async function checks(): Promise<{
  code: number | null;
  byName: Record<string, { state: string; detail: string }>;
}> {
  const run = await status(['--json']);
  const parsed = JSON.parse(run.stdout) as { checks: { check: string; state: string; detail: string }[] };
  return { code: run.code, byName: Object.fromEntries(parsed.checks.map((c) => [c.check, c])) };
}

beforeAll(async () => {
  useMoto();
  env = emulatorEnv(motoEndpoint(), REGION);
  deployment = await seedStandInDeployment({
    stage: STAGE,
    region: REGION,
    account: ACCOUNT,
    env: { PHIGUARD_DRY_RUN: 'true', PHIGUARD_RULE_MODES: 's3-bucket-tls-only=ticket' },
  });
}, 120_000);

describe('phiguard status', () => {
  it('a fresh deployment: mode shown, rules and queues fine, degraded until a heartbeat arrives and a sweep runs', async () => {
    const run = await status();
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`PHI Guard status: stage ${STAGE}, account ${ACCOUNT}, ${REGION}`);
    expect(run.stdout).toMatch(
      /-\s+mode\s+dry-run: drift is reported, nothing is changed; rule modes: s3-bucket-tls-only=ticket/,
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `OK\\s+event rules\\s+${deployment.eventRules.length} of ${deployment.eventRules.length} enabled with a target`,
      ),
    );
    expect(run.stdout).toMatch(new RegExp(`OK\\s+phiguard-${STAGE}-events-dlq\\s+empty`));
    expect(run.stdout).toMatch(/DEGRADED\s+heartbeat\s+no heartbeat recorded yet/);
    expect(run.stdout).toMatch(/DEGRADED\s+last sweep\s+no scheduled sweep recorded/);
    expect(run.stdout).toContain('Degraded: 2 check(s) need attention');

    // What the heartbeat and the sweep workers write, as they write it.
    const ledger = createTableLedger(deployment.table, testConfig());
    const now = new Date().toISOString();
    await ledger.recordHeartbeatSent({ account: ACCOUNT, region: REGION }, now);
    await ledger.recordHeartbeatArrival({ account: ACCOUNT, region: REGION, sentAt: now }, now);
    await ledger.recordSweepShard({
      runId: 'run-1',
      startedAt: now,
      shardsPlanned: 1,
      at: now,
      ended: 'done',
      checked: 12,
      findings: 3,
      errors: 0,
    });
    const healthy = await status();
    expect(healthy.stdout).toContain('Healthy.');
    expect(healthy.stdout).toMatch(
      /OK\s+last sweep\s+\S+: 1 of 1 shards, 12 checked, 3 finding\(s\), 0 error\(s\)/,
    );
    expect(healthy.code).toBe(0);
  }, 60_000);

  it('names each problem: a disabled rule, a rule without target, a dead-lettered event, a silent heartbeat', async () => {
    const events = new EventBridgeClient({ region: REGION });
    await events.send(new DisableRuleCommand({ Name: `phiguard-${STAGE}-s3` }));
    await events.send(
      new RemoveTargetsCommand({ Rule: `phiguard-${STAGE}-kms`, Ids: [`phiguard-${STAGE}-kms-target`] }),
    );
    await new SQSClient({ region: REGION }).send(
      new SendMessageCommand({ QueueUrl: deployment.deadLetterQueues['events-dlq'], MessageBody: '{}' }),
    );
    const ledger = createTableLedger(deployment.table, testConfig());
    const longAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    await ledger.recordHeartbeatSent({ account: '210987654321', region: REGION }, longAgo);

    const { code, byName } = await checks();
    expect(code).toBe(2);
    expect(byName['event rules']).toEqual({
      check: 'event rules',
      state: 'degraded',
      detail: `2 of ${deployment.eventRules.length}: phiguard-${STAGE}-kms has no target; phiguard-${STAGE}-s3 disabled`,
    });
    expect(byName[`phiguard-${STAGE}-events-dlq`]).toMatchObject({
      state: 'degraded',
      detail: expect.stringMatching(/^1 message\(s\): events that failed every retry/),
    });
    expect(byName[`phiguard-${STAGE}-notify-dlq`]).toMatchObject({ state: 'ok' });
    expect(byName.heartbeat).toMatchObject({
      state: 'degraded',
      detail: `silent for 30 min or more: 210987654321/${REGION} (never arrived)`,
    });
  }, 60_000);

  it('unreachable: no deployment of that stage, or no AWS at all (exit 1, one line)', async () => {
    const missing = await runPhiguard(['status', '--stage', 'nosuchstage'], { env, cwd: process.cwd() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `phiguard: unreachable: no PHI Guard deployment of stage nosuchstage in ${REGION}: its registry table phiguard-nosuchstage-ledger does not exist (deploy it, or pass --stage / --region)\n`,
    );
    const offline = await runPhiguard(['status', '--stage', STAGE], {
      env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
      cwd: process.cwd(),
    });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/^phiguard: unreachable: cannot tell which account this is/);
  }, 60_000);
});
