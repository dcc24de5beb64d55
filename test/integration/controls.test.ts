import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorEnv } from '../../local/moto-server';
import { type RecordingProxy, startRecordingProxy } from '../../local/recording-proxy';
import { rules } from '../../remediations';
import { createAwsClients } from '../../src/aws-clients';
import { initLedgerTable } from '../../src/ledger/init-table';
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
