import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTrailCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { trailEvent } from '../../local/fixtures';
import { emulatorEnv } from '../../local/moto-server';
import { createTrail } from '../../local/seed-cloudtrail';
import { createAwsClients } from '../../src/aws-clients';
import type { Outcome } from '../../src/outcome';
import { cloudtrail } from '../../src/resources/cloudtrail/trail';
import { runPhiguard } from '../support/cli';
import { motoEndpoint, uniqueName } from '../support/moto';

/**
 * cloudtrail-region-recorded against moto, in an account of its own: the suite's
 * account keeps a multi-Region trail (test/support/moto-global-setup.ts), so none of
 * its Regions goes unrecorded. moto gives any AssumeRole the role's account.
 */
const ACCOUNT = '210987654321';
const REGION = 'eu-west-2';
const COVERAGE = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:account-setting/trail-coverage`;
const dir = mkdtempSync(join(tmpdir(), 'phiguard-coverage-'));
let env: Record<string, string>;

beforeAll(async () => {
  const base = emulatorEnv(motoEndpoint(), REGION);
  const sts = new STSClient({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/phiguard-member`,
      RoleSessionName: 'coverage',
    }),
  );
  env = {
    ...base,
    AWS_ACCESS_KEY_ID: Credentials?.AccessKeyId as string,
    AWS_SECRET_ACCESS_KEY: Credentials?.SecretAccessKey as string,
    AWS_SESSION_TOKEN: Credentials?.SessionToken as string,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
});

const clients = () =>
  createAwsClients({
    region: REGION,
    overrides: {
      endpoint: motoEndpoint(),
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
      },
    },
  });
const scan = async () => {
  const run = await runPhiguard(
    ['scan', '--region', REGION, '--rule', 'cloudtrail-region-recorded', '--format', 'json'],
    { env, cwd: dir },
  );
  const report = JSON.parse(run.stdout) as { account: string; outcomes: Outcome[] };
  return { code: run.code, account: report.account, outcomes: report.outcomes };
};

describe('cloudtrail-region-recorded against moto, in an account without trails', () => {
  it('the sweep tickets an unrecorded Region, is satisfied by a logging trail, and an event tickets it again when that trail stops', async () => {
    const first = await scan();
    expect(first.account).toBe(ACCOUNT);
    expect(first.outcomes.map((o) => [o.resource, o.status, o.reason])).toEqual([
      [COVERAGE, 'ticket', expect.stringContaining('nothing records this Region')],
    ]);

    const arn = await createTrail(clients(), uniqueName('member-audit'));
    expect((await scan()).outcomes.map((o) => [o.status, o.before])).toEqual([
      ['compliant', { recordedBy: arn }],
    ]);

    // The trail stops: the StopLogging event, replayed through the CLI, tickets the Region.
    await clients()
      .get(cloudtrail)
      .send(new StopLoggingCommand({ Name: arn.split('/').at(-1) }));
    const event = trailEvent('cloudtrail/StopLogging.basic', arn);
    event.account = ACCOUNT;
    event.detail.recipientAccountId = ACCOUNT;
    const file = join(dir, 'stop-logging.json');
    writeFileSync(file, JSON.stringify(event));
    const invoked = await runPhiguard(['invoke', file, '--json'], { env, cwd: dir });
    const outcomes = JSON.parse(invoked.stdout) as Outcome[];
    expect(outcomes.find((o) => o.rule === 'cloudtrail-region-recorded')).toMatchObject({
      resource: COVERAGE,
      status: 'ticket',
    });

    // Deleted altogether: still a ticket, never an error.
    await clients()
      .get(cloudtrail)
      .send(new DeleteTrailCommand({ Name: arn.split('/').at(-1) }));
    expect((await scan()).outcomes.map((o) => o.status)).toEqual(['ticket']);
  });
});
