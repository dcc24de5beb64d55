import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownEventRuleSources } from '../../infra/event-function-stack';
import { eventRuleEvent } from '../../local/fixtures';
import { initLedgerTable } from '../../src/ledger/init-table';
import { expectedTarget } from '../../src/own-event-rules';
import { lambdaContext, loadEmulatorHandler } from '../support/handler';
import { accountClientConfig } from '../support/member-account';
import { ACCOUNT, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * PHI Guard guarding its own EventBridge rules, against moto, in a member account
 * (acted on through its member role): a forwarding rule that lost its target or
 * was disabled is put right; someone else's rule is never touched.
 */
const MEMBER = '567890123456';
const stage = uniqueName('own').replace(/[^a-z0-9-]/g, '');
const spec = { stage, account: ACCOUNT, region: REGION, sources: ownEventRuleSources() };
const forwarding = `phiguard-${stage}-member-s3`;
const arn = `arn:aws:events:${REGION}:${MEMBER}:rule/${forwarding}`;
const target = expectedTarget(spec, { name: forwarding, account: MEMBER, region: REGION, partition: 'aws' });
let member: EventBridgeClient;
let table: string;

const handler = () => loadEmulatorHandler(table, { PHIGUARD_OWN_EVENT_RULES: JSON.stringify(spec) });

beforeAll(async () => {
  useMoto();
  member = new EventBridgeClient(await accountClientConfig(MEMBER, REGION));
  await member.send(
    new PutRuleCommand({ Name: forwarding, EventPattern: JSON.stringify({ source: ['aws.s3'] }) }),
  );
  await member.send(new PutTargetsCommand({ Rule: forwarding, Targets: [target as never] }));
  table = uniqueName('own-rules-ledger');
  await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
});

describe('PHI Guard’s own EventBridge rules, against moto', () => {
  it('a forwarding rule whose target was removed gets it back, exactly as the member template made it', async () => {
    await member.send(new RemoveTargetsCommand({ Rule: forwarding, Ids: [target?.Id as string] }));
    const result = await (await handler())(eventRuleEvent('events/RemoveTargets', arn), lambdaContext);
    expect(result.outcomes).toEqual([
      expect.objectContaining({ rule: 'phiguard-event-rule', resource: arn, status: 'remediated' }),
    ]);
    const { Targets } = await member.send(new ListTargetsByRuleCommand({ Rule: forwarding }));
    expect(Targets).toEqual([target]);
  });

  it('DisableRule of PHI Guard’s rule is undone; of someone else’s rule, ignored and left disabled', async () => {
    const other = uniqueName('nightly-etl');
    await member.send(
      new PutRuleCommand({ Name: other, ScheduleExpression: 'rate(1 day)', State: 'DISABLED' }),
    );
    await member.send(new DisableRuleCommand({ Name: forwarding }));
    const run = await handler();

    const ours = await run(eventRuleEvent('events/DisableRule', arn), lambdaContext);
    expect(ours.outcomes.map((o) => o.status)).toEqual(['remediated']);
    expect((await member.send(new DescribeRuleCommand({ Name: forwarding }))).State).toBe('ENABLED');

    const theirs = await run(
      eventRuleEvent('events/DisableRule', `arn:aws:events:${REGION}:${MEMBER}:rule/${other}`),
      lambdaContext,
    );
    expect(theirs.outcomes.map((o) => o.status)).toEqual(['ignored']);
    expect((await member.send(new DescribeRuleCommand({ Name: other }))).State).toBe('DISABLED');
  });
});
