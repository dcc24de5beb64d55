import { EnableRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventRuleEvent, loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/phiguard-event-rule';
import { processEvent } from '../../../src/process-event';
import { events } from '../../../src/resources/events/rule';
import type { Rule } from '../../../src/rule';
import { ACCOUNT, ARN, fakeEventRule, ownEventRules, S3_TARGET } from '../../scenarios/phiguard-event-rule';
import { testEngine } from '../../support/engine';
import { MockAws } from '../../support/scenario';

const engine = (env: Record<string, string> = { PHIGUARD_OWN_EVENT_RULES: ownEventRules() }) =>
  testEngine({ rules: [rule as Rule], env });
const outcomeOf = async (event: unknown, e = engine()) => (await processEvent(e, event)).outcomes;

let mocks = new MockAws();
const calls = (command: typeof EnableRuleCommand | typeof PutTargetsCommand) =>
  mocks
    .client(events)
    .commandCalls(command as never)
    .map((c) => (c.args[0] as { input: unknown }).input);

beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('phiguard-event-rule (client mocks)', () => {
  it('names only PHI Guard’s rules: by `name` or `rule`, on the default bus or its own', () => {
    expect(rule.resourceIds(eventRuleEvent('events/DisableRule', ARN).detail as never)).toEqual([ARN]);
    expect(rule.resourceIds(eventRuleEvent('events/RemoveTargets', ARN).detail as never)).toEqual([ARN]);
    const orgRule = `arn:aws:events:us-east-1:${ACCOUNT}:rule/phiguard-prod/phiguard-prod-org-s3`;
    expect(rule.resourceIds(loadFixture('events/DisableRule.org-bus').detail as never)).toEqual([orgRule]);
    // Someone else's rule: no resource, so nothing is read or written.
    expect(rule.resourceIds(loadFixture('events/DisableRule.other-rule').detail as never)).toEqual([]);
  });

  it('a rule that is not PHI Guard’s is never read nor touched', async () => {
    fakeEventRule(mocks, { state: 'DISABLED' });
    const outcomes = await outcomeOf(loadFixture('events/DisableRule.other-rule'));
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([['ignored', expect.any(String)]]);
    expect(mocks.client(events).calls()).toHaveLength(0);
  });

  it('DisableRule of PHI Guard’s rule: EnableRule, read back', async () => {
    const fake = fakeEventRule(mocks, { state: 'DISABLED', targets: [S3_TARGET] });
    expect(await outcomeOf(eventRuleEvent('events/DisableRule', ARN))).toEqual([
      expect.objectContaining({ rule: 'phiguard-event-rule', resource: ARN, status: 'remediated' }),
    ]);
    expect(calls(EnableRuleCommand)).toEqual([{ Name: 'phiguard-prod-s3' }]);
    expect(calls(PutTargetsCommand)).toEqual([]);
    expect(fake.rule.state).toBe('ENABLED');
  });

  it('a target removed or replaced: the deployment’s target is put back, other targets kept', async () => {
    const other = { Id: 'audit-copy', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:audit` };
    const fake = fakeEventRule(mocks, {
      targets: [other, { Id: S3_TARGET.Id, Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:elsewhere` }],
    });
    expect(await outcomeOf(eventRuleEvent('events/PutTargets.replaced', ARN))).toEqual([
      expect.objectContaining({ status: 'remediated' }),
    ]);
    expect(calls(PutTargetsCommand)).toEqual([{ Rule: 'phiguard-prod-s3', Targets: [S3_TARGET] }]);
    expect(calls(EnableRuleCommand)).toEqual([]);
    expect(fake.targets).toEqual([other, S3_TARGET]);
  });

  it('a member account’s forwarding rule gets the central bus back, through its forwarding role', async () => {
    const member = 'arn:aws:events:eu-west-1:210987654321:rule/phiguard-prod-member-elasticloadbalancing';
    fakeEventRule(mocks, { targets: [] });
    // The member role (assumed through STS, mocked here) acts in the member account.
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAMEMBER',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    await outcomeOf(eventRuleEvent('events/RemoveTargets', member));
    sts.restore();
    expect(calls(PutTargetsCommand)).toEqual([
      {
        Rule: 'phiguard-prod-member-elasticloadbalancing',
        Targets: [
          {
            Id: 'phiguard-central-bus',
            Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/phiguard-prod`,
            RoleArn: 'arn:aws:iam::210987654321:role/phiguard-prod-forward-eu-west-1',
          },
        ],
      },
    ]);
  });

  it('DeleteRule of PHI Guard’s rule is a ticket: re-creating it is the deployment’s job', async () => {
    fakeEventRule(mocks, { deleted: true });
    const [outcome] = await outcomeOf(eventRuleEvent('events/DeleteRule', ARN));
    expect(outcome).toMatchObject({ status: 'ticket', resource: ARN });
    expect(outcome?.reason).toContain('redeploy the stack (osls deploy) or the member StackSet');
    expect(calls(EnableRuleCommand)).toEqual([]);
    expect(calls(PutTargetsCommand)).toEqual([]);
  });

  it('the heartbeat’s rule stays disabled: it is never enabled', async () => {
    const heartbeat = `arn:aws:events:us-east-1:${ACCOUNT}:rule/phiguard-prod-heartbeat`;
    fakeEventRule(mocks, { state: 'DISABLED' });
    // Its own PutRule is a heartbeat's arrival (test/unit/heartbeat.test.ts); any other event about it is judged.
    const [outcome] = await outcomeOf(eventRuleEvent('events/DisableRule', heartbeat));
    expect(outcome?.status).toBe('compliant');
    expect(calls(EnableRuleCommand)).toEqual([]);
  });

  it('without the deployment’s description, a disabled rule is enabled and targets are left alone', async () => {
    fakeEventRule(mocks, { state: 'DISABLED', targets: [] });
    await outcomeOf(eventRuleEvent('events/PutRule.disabled', ARN), engine({}));
    expect(calls(EnableRuleCommand)).toEqual([{ Name: 'phiguard-prod-s3' }]);
    expect(calls(PutTargetsCommand)).toEqual([]);
  });

  it('refuses a deployment description that is not the stack’s JSON', () => {
    expect(() => engine({ PHIGUARD_OWN_EVENT_RULES: '{"stage":"prod"}' })).toThrow(
      /PHIGUARD_OWN_EVENT_RULES.*must be the JSON the stack generates/,
    );
  });
});
