import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventRoleName, ownEventRuleSources } from '../../infra/event-function-stack';
import {
  HEARTBEAT_STATEMENT,
  heartbeatRoleName,
  MEMBER_TEMPLATE_FILE,
  memberTemplate,
  memberTemplateText,
  sweepWorkerRoleName,
  trustedCentralRoleNames,
} from '../../infra/member-template';
import { eventPatterns, rulePolicyStatements } from '../../infra/stack-fragments';
import { rules } from '../../remediations';
import { eventFunctionGroups } from '../../src/event-functions';
import { expectedTarget } from '../../src/own-event-rules';
import { deployMemberTemplate } from '../support/member-account';
import { useMoto } from '../support/moto';

/**
 * The member-account template (StackSets, one per account and Region) forwards
 * exactly the events the central functions listen to and grants exactly the
 * rules' permissions, to the central PHI Guard roles only. Its equality with the
 * central stack's role names is proven in stack.test.ts against `osls package`.
 */
const CENTRAL = '111122223333';
const MEMBER = '444455556666';
const CENTRAL_REGION = 'us-east-1';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation is free-form JSON, asserted below
type Json = any;
const template: Json = memberTemplate();

/** Deploys the template in one account and Region; returns its EventBridge and IAM clients there. */
async function deploy(account: string, region: string, parameters: Record<string, string> = {}) {
  const config = await deployMemberTemplate(account, region, {
    CentralAccountId: CENTRAL,
    CentralRegion: CENTRAL_REGION,
    Stage: 'prod',
    ...parameters,
  });
  return { events: new EventBridgeClient(config), iam: new IAMClient(config) };
}

/**
 * An inline policy read back: URL-encoded JSON from IAM; moto's CloudFormation stores
 * one it created as a Python dict's repr (single quotes), which this also reads.
 */
function policyDocument(text: string | undefined): Json {
  const decoded = decodeURIComponent(text ?? '{}');
  return JSON.parse(decoded.startsWith("{'") ? decoded.replaceAll("'", '"') : decoded);
}

const phiGuardRuleNames = async (events: EventBridgeClient) =>
  ((await events.send(new ListRulesCommand({ NamePrefix: 'phiguard-prod-member-' }))).Rules ?? [])
    .map((r) => r.Name)
    .sort();

const phiGuardRoles = async (iam: IAMClient) =>
  ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName ?? '');

beforeAll(() => {
  useMoto();
});

describe('member-account template (infra/member-account.template.json)', () => {
  it('is the file `npm run docs` writes from the registry', () => {
    expect(readFileSync(MEMBER_TEMPLATE_FILE, 'utf8')).toBe(memberTemplateText());
  });

  it('passes cfn-lint', () => {
    const result = spawnSync('cfn-lint', [MEMBER_TEMPLATE_FILE], { encoding: 'utf8' });
    expect(result.error, 'cfn-lint must be installed (pip install cfn-lint)').toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('forwards exactly the central functions’ event patterns, one rule per event source, to the central bus', () => {
    const forwarding = Object.values(template.Resources as Record<string, Json>).filter(
      (r) => r.Type === 'AWS::Events::Rule',
    );
    expect(forwarding.map((r) => r.Properties.EventPattern)).toEqual(eventPatterns(rules));
    for (const rule of forwarding) {
      expect(rule.Condition).toBe('ForwardEvents');
      expect(rule.Properties.Targets).toEqual([
        {
          Id: 'phiguard-central-bus',
          Arn: {
            'Fn::Sub': `arn:\${AWS::Partition}:events:\${CentralRegion}:\${CentralAccountId}:event-bus/phiguard-\${Stage}`,
          },
          RoleArn: { 'Fn::GetAtt': ['ForwardEventsRole', 'Arn'] },
        },
      ]);
    }
    // The forwarding role can put events on that one bus and do nothing else.
    const forward = template.Resources.ForwardEventsRole.Properties;
    expect(forward.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    expect(forward.Policies).toHaveLength(1);
    expect(forward.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Sid: 'CentralBus',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: forwarding[0].Properties.Targets[0].Arn,
      },
    ]);
  });

  it("gives the member role exactly the rules' declared permissions, assumable only by the central PHI Guard roles", () => {
    const role = template.Resources.MemberRole.Properties;
    expect(role.Policies).toEqual([
      {
        PolicyName: 'rules',
        PolicyDocument: { Version: '2012-10-17', Statement: rulePolicyStatements(rules) },
      },
      // Beyond the rules: the heartbeat's one write, its own rule.
      {
        PolicyName: 'heartbeat',
        PolicyDocument: { Version: '2012-10-17', Statement: [HEARTBEAT_STATEMENT] },
      },
    ]);
    const declared = new Set(rules.flatMap((r) => [...r.permissions.read, ...r.permissions.write]));
    const granted = new Set(
      rulePolicyStatements(rules)
        .filter((s) => !s.Sid.startsWith('RulesPassRoleTo'))
        .flatMap((s) => s.Action),
    );
    expect(granted).toEqual(declared);
    expect(trustedCentralRoleNames(rules)).toEqual([
      ...eventFunctionGroups(rules).map(({ key }) => eventRoleName(key, `\${Stage}`, `\${CentralRegion}`)),
      sweepWorkerRoleName(`\${Stage}`, `\${CentralRegion}`),
      heartbeatRoleName(`\${Stage}`, `\${CentralRegion}`),
    ]);
  });

  it('deploys (moto CloudFormation): forwarding rules in every Region, the member role in one, nothing in the central Region of the central account', async () => {
    const wanted = eventPatterns(rules)
      .map((p) => `phiguard-prod-member-${p.source[0]?.replace(/^aws\./, '')}`)
      .sort();

    // A member account, in the Region that holds its role.
    const member = await deploy(MEMBER, 'us-east-2', { RoleRegion: 'us-east-2' });
    expect(await phiGuardRuleNames(member.events)).toEqual(wanted);
    const { Targets } = await member.events.send(
      new ListTargetsByRuleCommand({ Rule: 'phiguard-prod-member-s3' }),
    );
    // Exactly the target PHI Guard puts back when it is dropped (src/own-event-rules.ts).
    const spec = {
      stage: 'prod',
      account: CENTRAL,
      region: CENTRAL_REGION,
      sources: ownEventRuleSources(),
    };
    expect(Targets).toEqual([
      expectedTarget(spec, {
        name: 'phiguard-prod-member-s3',
        account: MEMBER,
        region: 'us-east-2',
        partition: 'aws',
      }),
    ]);
    const { Role } = await member.iam.send(new GetRoleCommand({ RoleName: 'phiguard-member' }));
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '{}'));
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${CENTRAL}:root` });
    expect(trust.Statement[0].Condition.ArnEquals['aws:PrincipalArn']).toEqual([
      ...eventFunctionGroups(rules).map(
        ({ key }) => `arn:aws:iam::${CENTRAL}:role/${eventRoleName(key, 'prod', CENTRAL_REGION)}`,
      ),
      `arn:aws:iam::${CENTRAL}:role/${sweepWorkerRoleName('prod', CENTRAL_REGION)}`,
      `arn:aws:iam::${CENTRAL}:role/${heartbeatRoleName('prod', CENTRAL_REGION)}`,
    ]);
    expect(trust.Statement[0].Condition.StringEquals).toBeUndefined();
    const policy = await member.iam.send(
      new GetRolePolicyCommand({ RoleName: 'phiguard-member', PolicyName: 'rules' }),
    );
    expect(policyDocument(policy.PolicyDocument).Statement).toEqual(rulePolicyStatements(rules));

    // Another Region of another member account: forwarding only (IAM is global), here with an external id.
    const other = await deploy('777788889999', 'eu-west-1', { ExternalId: 'guard-7f3a' });
    expect(await phiGuardRuleNames(other.events)).toEqual(wanted);
    expect(await phiGuardRoles(other.iam)).not.toContain('phiguard-member');

    // The central account: its central Region is fed by the central stack's own rules, and
    // PHI Guard acts there with its own role.
    const central = await deploy(CENTRAL, CENTRAL_REGION, { RoleRegion: CENTRAL_REGION });
    expect(await phiGuardRuleNames(central.events)).toEqual([]);
    expect(await phiGuardRoles(central.iam)).not.toContain('phiguard-member');
    const centralElsewhere = await deploy(CENTRAL, 'us-west-2');
    expect(await phiGuardRuleNames(centralElsewhere.events)).toEqual(wanted);
  }, 60_000);

  it('requires the external id in the trust policy when one is given', async () => {
    const member = await deploy('121212121212', 'us-east-1', { ExternalId: 'guard-7f3a' });
    const { Role } = await member.iam.send(new GetRoleCommand({ RoleName: 'phiguard-member' }));
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '{}'));
    expect(trust.Statement[0].Condition.StringEquals).toEqual({ 'sts:ExternalId': 'guard-7f3a' });
    expect(trust.Statement[0].Condition.ArnEquals['aws:PrincipalArn']).toHaveLength(
      eventFunctionGroups(rules).length + 2,
    );
  });
});
