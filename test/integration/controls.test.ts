import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inRegion, loadFixture } from '../../local/fixtures';
import { emulatorEnv } from '../../local/moto-server';
import { type RecordingProxy, startRecordingProxy } from '../../local/recording-proxy';
import { rules } from '../../remediations';
import { createAwsClients } from '../../src/aws-clients';
import { initLedgerTable } from '../../src/ledger/init-table';
import { ec2 } from '../../src/resources/ec2/vpc';
import type { Rule } from '../../src/rule';
import { type HandlerResult, lambdaContext, loadHandler } from '../support/handler';
import { iamActionsOf } from '../support/iam-actions';
import { motoEndpoint, uniqueName, useMoto } from '../support/moto';
import { type EmulatorSeed, type RuleScenarios, scenariosOf } from '../support/scenario';

/**
 * Every control against the emulator, through the deployed event handler: a
 * drifted resource made in moto (each rule's scenario seed), its CloudTrail event
 * from events/, a dry-run that writes nothing, an --apply whose result is read back
 * through the SDK (not through the rule), and a second delivery that finds it fixed.
 * Rules moto cannot hold, or that no single event names, are proven with client
 * mocks (test/unit/rules, test/contract/permissions) and the sweep.
 */
const REGION = 'ap-south-1';
const INFRA_REGION = 'eu-west-2';
const TABLE = uniqueName('controls-ledger');
const WRITES = new Set(rules.flatMap((rule) => rule.permissions.write));
let proxy: RecordingProxy;

/** The guarded writes on the wire (the registry's own items aside): what a dry-run must never make. */
const guardedWrites = () => proxy.calls.flatMap(iamActionsOf).filter((action) => WRITES.has(action));

const withEvents: [string, Rule, EmulatorSeed & { event: NonNullable<EmulatorSeed['event']> }][] = [];
for (const rule of rules) {
  const { emulator } = (await scenariosOf(rule.id)) as RuleScenarios;
  if ('unsupported' in emulator || !emulator.event) continue;
  withEvents.push([rule.id, rule, emulator as never]);
}

beforeAll(async () => {
  useMoto();
  proxy = await startRecordingProxy(motoEndpoint(), { serializeDynamoDb: true });
  await initLedgerTable(new DynamoDBClient({ region: INFRA_REGION, endpoint: motoEndpoint() }), TABLE);
});
afterAll(() => proxy?.close());

async function handlerFor(seed: EmulatorSeed, dryRun: boolean) {
  return loadHandler({
    ...emulatorEnv(proxy.endpoint, INFRA_REGION),
    PHIGUARD_LEDGER_TABLE: TABLE,
    PHIGUARD_DRY_RUN: String(dryRun),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...seed.env,
  });
}

const statusOf = (result: HandlerResult, rule: Rule, arn: string) =>
  result.outcomes.find((o) => o.rule === rule.id && o.resource === arn)?.status;

describe.each(withEvents)('%s against moto', (_id, rule, seed) => {
  it('dry-run writes nothing; --apply ends as the scenario says, read back through the SDK; a redelivery finds it done', async () => {
    const clients = createAwsClients({ region: REGION, overrides: { endpoint: motoEndpoint() } });
    const arn = await seed.seed(clients, REGION);

    proxy.reset();
    const dry = await (await handlerFor(seed, true))(seed.event(arn, REGION), lambdaContext);
    expect(statusOf(dry, rule, arn)).toBe(seed.expect === 'remediated' ? 'would-remediate' : 'ticket');
    expect(guardedWrites()).toEqual([]);

    const apply = await handlerFor(seed, false);
    expect(statusOf(await apply(seed.event(arn, REGION), lambdaContext), rule, arn)).toBe(seed.expect);
    if (seed.expect === 'remediated') await seed.fixed?.(clients, arn);

    proxy.reset();
    const again = await apply(seed.event(arn, REGION), lambdaContext);
    expect(statusOf(again, rule, arn)).toBe(seed.expect === 'remediated' ? 'compliant' : 'ticket');
    expect(guardedWrites()).toEqual([]);
  });
});

describe('ebs-volume-encrypted against moto: RunInstances', () => {
  it('finds the new instance’s volumes by their attachment and tickets the unencrypted one', async () => {
    const clients = createAwsClients({ region: REGION, overrides: { endpoint: motoEndpoint() } });
    const run = await clients
      .get(ec2)
      .send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances?.[0]?.InstanceId as string;
    const event = inRegion(loadFixture('ec2/RunInstances.basic'), REGION);
    (
      event.detail.responseElements as { instancesSet: { items: { instanceId: string }[] } }
    ).instancesSet.items = [{ instanceId }];
    const result = await (await handlerFor({ expect: 'ticket' } as EmulatorSeed, false))(
      event,
      lambdaContext,
    );
    const volumes = result.outcomes.filter((o) => o.rule === 'ebs-volume-encrypted');
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({ status: 'ticket', resource: expect.stringMatching(/:volume\/vol-/) });
  });
});
