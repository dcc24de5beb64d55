import { describe, expect, it } from 'vitest';
import { rules } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { Engine } from '../../src/engine/engine';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import type { Rule } from '../../src/rule';
import { testConfig } from '../support/config';
import { MockAws, type RuleScenarios, scenariosOf } from '../support/scenario';

/**
 * Least privilege, proven per rule with client mocks (no emulator), as Cloud
 * Custodian's permission test does for its actions: each rule's drifted scenarios
 * are checked, planned and applied, and
 * - every IAM action a planned call needs is in the rule's `permissions.write`,
 *   and every role it hands over goes to a service in `permissions.passRole`;
 * - every call that reached a client is an action the rule declares (read or write);
 * - every write and role hand-over the rule declares is planned by some scenario
 *   (a declaration nothing uses is privilege the deployed role should not hold).
 */
async function permissionProblems(rule: Rule, scenarios: RuleScenarios): Promise<string[]> {
  const problems: string[] = [];
  const planned = new Set<string>();
  const passed = new Set<string>();
  const declared = new Set([...rule.permissions.read, ...rule.permissions.write]);
  for (const scenario of scenarios.drifted) {
    const mocks = new MockAws();
    try {
      scenario.aws(mocks);
      const engine = new Engine({
        rules: [rule],
        config: testConfig(scenario.env ?? {}, [rule]),
        ledger: new MemoryLedger(),
        clientsFor: createClientPool({
          overrides: { credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } },
        }),
      });
      const ctx = engine.ruleContext(rule, engine.resourceContext('us-east-1', '123456789012'));
      const checked = await rule.check(scenario.arn, ctx);
      if (checked.state !== 'non-compliant') {
        problems.push(`${scenario.name}: check found it ${checked.state}, not drifted`);
        continue;
      }
      const plan = rule.plan(scenario.arn, checked.observed, ctx);
      for (const action of plan.kind === 'fix' ? plan.actions : []) {
        for (const iam of action.iamActions) {
          planned.add(iam);
          if (!rule.permissions.write.includes(iam))
            problems.push(`${scenario.name}: ${action.api} needs ${iam}, not in permissions.write`);
        }
        if (action.passesRoleTo) {
          passed.add(action.passesRoleTo);
          if (!rule.permissions.passRole.includes(action.passesRoleTo))
            problems.push(
              `${scenario.name}: ${action.api} passes a role to ${action.passesRoleTo}, not in permissions.passRole`,
            );
        }
        await action.run(ctx);
      }
      for (const call of mocks.sent()) {
        if (!declared.has(call.iamAction))
          problems.push(
            `${scenario.name}: sent ${call.operation}, which needs ${call.iamAction}, not declared`,
          );
      }
    } finally {
      mocks.restore();
    }
  }
  for (const action of rule.permissions.write) {
    if (!planned.has(action)) problems.push(`declares ${action}, which no drifted scenario plans`);
  }
  for (const service of rule.permissions.passRole) {
    if (!passed.has(service)) problems.push(`declares passing a role to ${service}, which no scenario plans`);
  }
  return problems;
}

describe('permissions: what each rule plans and calls is what it declares', () => {
  it.each(rules.map((rule) => [rule.id, rule] as const))('%s', async (_id, rule) => {
    const scenarios = await scenariosOf(rule.id);
    expect(scenarios.drifted.length, 'at least one drifted resource').toBeGreaterThan(0);
    expect(await permissionProblems(rule, scenarios)).toEqual([]);
  });

  it('fails for a rule that lies about its permissions, in either direction', async () => {
    const rule = rules.find((r) => r.id === 's3-bucket-public-access') as Rule;
    const scenarios = await scenariosOf(rule.id);
    const lying = (permissions: Partial<Rule['permissions']>): Rule => ({
      ...rule,
      permissions: { ...rule.permissions, ...permissions },
    });
    expect(
      await permissionProblems(lying({ write: ['s3:PutBucketPublicAccessBlock'] }), scenarios),
    ).toContain(
      'an ACL granting AllUsers READ, Block Public Access off: PutBucketAcl needs s3:PutBucketAcl, not in permissions.write',
    );
    expect(
      await permissionProblems(
        lying({ read: ['s3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy'] }),
        scenarios,
      ),
    ).toContain(
      'an ACL granting AllUsers READ, Block Public Access off: sent GetBucketAcl, which needs s3:GetBucketAcl, not declared',
    );
    expect(
      await permissionProblems(
        lying({ write: [...rule.permissions.write, 's3:DeleteBucketPolicy'] }),
        scenarios,
      ),
    ).toEqual(['declares s3:DeleteBucketPolicy, which no drifted scenario plans']);

    const flowLogs = rules.find((r) => r.id === 'vpc-flow-logs') as Rule;
    const withoutPassRole: Rule = { ...flowLogs, permissions: { ...flowLogs.permissions, passRole: [] } };
    expect(await permissionProblems(withoutPassRole, await scenariosOf(flowLogs.id))).toEqual([
      'no flow log, a CloudWatch Logs destination (the delivery role is passed): CreateFlowLogs passes a role to vpc-flow-logs.amazonaws.com, not in permissions.passRole',
    ]);
  });
});
