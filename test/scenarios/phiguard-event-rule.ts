import {
  DescribeRuleCommand,
  EnableRuleCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { expect } from 'vitest';
import { eventRuleEvent } from '../../local/fixtures';
import { eventRuleOf, events } from '../../src/resources/events/rule';
import { uniqueName } from '../support/moto';
import type { MockAws, RuleScenarios } from '../support/scenario';

export const ACCOUNT = '123456789012';
export const ARN = `arn:aws:events:us-east-1:${ACCOUNT}:rule/phiguard-prod-s3`;

/** PHI Guard deployed as stage `prod` in the test account's us-east-1, as the stack would describe it. */
export const ownEventRules = (stage = 'prod', region = 'us-east-1') =>
  JSON.stringify({ stage, account: ACCOUNT, region, sources: { s3: 's3', elasticloadbalancing: 'elb' } });

/** The target the stack gives `phiguard-prod-s3`. */
export const S3_TARGET = {
  Id: 'phiguard-prod-s3-target',
  Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:phiguard-prod-on-s3`,
  RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
  DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:phiguard-prod-events-dlq` },
};

/** One rule behind the mocked client: its state and targets; EnableRule and PutTargets change them as AWS would. */
export function fakeEventRule(
  mocks: MockAws,
  rule: { state?: 'ENABLED' | 'DISABLED'; targets?: Target[]; deleted?: boolean },
) {
  const stub = mocks.client(events);
  const targets = rule.targets ?? [];
  const gone = () => Object.assign(new Error('Rule does not exist'), { name: 'ResourceNotFoundException' });
  stub.on(DescribeRuleCommand).callsFake((input: { Name: string }) => {
    if (rule.deleted) throw gone();
    return { Name: input.Name, State: rule.state ?? 'ENABLED' };
  });
  stub.on(ListTargetsByRuleCommand).callsFake(() => ({ Targets: targets.map((t) => ({ ...t })) }));
  stub.on(EnableRuleCommand).callsFake(() => {
    rule.state = 'ENABLED';
    return {};
  });
  stub.on(PutTargetsCommand).callsFake((input: { Targets: Target[] }) => {
    for (const target of input.Targets) {
      const at = targets.findIndex((t) => t.Id === target.Id);
      if (at >= 0) targets[at] = target;
      else targets.push(target);
    }
    return { FailedEntryCount: 0, FailedEntries: [] };
  });
  stub.on(ListTagsForResourceCommand).resolves({ Tags: [] });
  return { stub, rule, targets };
}

export default {
  drifted: [
    {
      name: 'PHI Guard’s rule disabled',
      arn: ARN,
      env: { PHIGUARD_OWN_EVENT_RULES: ownEventRules() },
      aws: (mocks) => fakeEventRule(mocks, { state: 'DISABLED', targets: [S3_TARGET] }),
    },
    {
      name: 'PHI Guard’s rule without its target',
      arn: ARN,
      env: { PHIGUARD_OWN_EVENT_RULES: ownEventRules() },
      aws: (mocks) => fakeEventRule(mocks, { targets: [] }),
    },
    {
      // The member template in another Region of the central account: its target goes
      // through the forwarding role, which PutTargets passes to EventBridge.
      name: 'a forwarding rule without its target',
      arn: `arn:aws:events:us-west-2:${ACCOUNT}:rule/phiguard-prod-member-s3`,
      env: { PHIGUARD_OWN_EVENT_RULES: ownEventRules() },
      aws: (mocks) => fakeEventRule(mocks, { targets: [] }),
    },
  ],
  // ../shared/cloudtrail-samples holds no EventBridge record.
  samples: {},
  emulator: {
    env: { PHIGUARD_OWN_EVENT_RULES: ownEventRules('emu') },
    async seed(clients, region) {
      // A disabled rule of a stage `emu` deployment (a name whose target PHI Guard does not derive).
      const name = `phiguard-emu-${uniqueName('s3').replace('-', '')}`;
      await clients.get(events).send(
        new PutRuleCommand({
          Name: name,
          State: 'DISABLED',
          EventPattern: JSON.stringify({ source: ['aws.s3'] }),
        }),
      );
      return `arn:aws:events:${region}:${ACCOUNT}:rule/${name}`;
    },
    expect: 'remediated',
    event: (arn) => eventRuleEvent('events/DisableRule', arn),
    async fixed(clients, arn) {
      const { name } = eventRuleOf(arn);
      const rule = await clients.get(events).send(new DescribeRuleCommand({ Name: name }));
      expect(rule.State).toBe('ENABLED');
    },
  },
} satisfies RuleScenarios;
