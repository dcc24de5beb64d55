import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeFlowLogsCommand } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralBusAdmission, centralEventBusResources } from '../../infra/central-event-bus';
import {
  EVENT_FUNCTION_CONCURRENCY,
  eventFunctionName,
  eventLogGroupLogicalId,
  eventRoleLogicalId,
  ownEventRuleSources,
  ownEventRulesEnvironment,
} from '../../infra/event-function-stack';
import { trustedCentralRoleNames } from '../../infra/member-template';
import {
  eventPatterns,
  LEDGER_ITEM_ACTIONS,
  notifierChannelStatements,
  rulePolicyStatements,
  ruleSettingsEnvironment,
} from '../../infra/stack-fragments';
import { localClients } from '../../local/clients';
import { bucketEvent, inRegion, listenerEvent, loadFixture } from '../../local/fixtures';
import * as seed from '../../local/seed';
import { rules } from '../../remediations';
import { NOTIFICATIONS_NOT_ENQUEUED } from '../../src/engine/settle';
import { eventFunctionGroups } from '../../src/event-functions';
import { heartbeatInterval } from '../../src/heartbeat-settings';
import { initLedgerTable } from '../../src/ledger/init-table';
import { LEDGER_TABLE_SCHEMA, TTL_ATTRIBUTE } from '../../src/ledger/table-schema';
import { expectedTarget } from '../../src/own-event-rules';
import { declaredSettings } from '../../src/rule-settings';
import { parseCatalogue } from '../../src/sweep/catalogue';
import { planShards } from '../../src/sweep/shard';
import { ACCOUNT, motoClients, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * `osls package` must work offline without AWS credentials, its CloudFormation
 * must pass cfn-lint, and what it deploys must be exactly what the registry
 * declares: the EventBridge patterns and the rules' IAM actions.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const OUT = join(ROOT, '.serverless');
const GROUPS = eventFunctionGroups(rules);
/** The framework's logical id of a function: `onS3Event` → `OnS3EventLambdaFunction`. */
const lambdaId = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
const EVENT_FUNCTION_IDS = GROUPS.map(({ key }) => lambdaId(eventFunctionName(key)));

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
let template: Template;

function resourcesOfType(type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON, asserted below
type Json = any;

/** The properties of a resource by logical id. */
function props(logicalId: string): Json {
  const found = template.Resources[logicalId];
  expect(found, logicalId).toBeDefined();
  return found?.Properties;
}

/** The properties of the one resource of this type in the template. */
function only(type: string): Json {
  const found = resourcesOfType(type);
  expect(found, type).toHaveLength(1);
  return found[0]?.[1].Properties;
}

/** Unpacks a function's artifact outside the repository (no node_modules to fall back on). */
function unpackBundle(zip: string, handlerFile: string): { dir: string; file: string; source: string } {
  const dir = mkdtempSync(join(tmpdir(), 'phiguard-bundle-'));
  execFileSync('python3', ['-m', 'zipfile', '-e', join(OUT, zip), dir]);
  const file = join(dir, 'handlers', handlerFile);
  return { dir, file, source: readFileSync(file, 'utf8') };
}

/**
 * Runs an unpacked handler in a fresh Node process, as Lambda would: each input in
 * INPUTS is handed to `handler` in turn; prints the results as JSON.
 */
function runBundle(bundle: { dir: string; file: string }, inputs: unknown[], env: Record<string, string>) {
  const script = [
    `const { handler } = await import(${JSON.stringify(bundle.file)});`,
    'const context = { functionName: "bundle", awsRequestId: "r", getRemainingTimeInMillis: () => 60000,',
    '  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bundle" };',
    'const results = [];',
    'for (const input of JSON.parse(process.env.INPUTS)) results.push(await handler(input, context));',
    'process.stdout.write(JSON.stringify(results));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: bundle.dir,
    encoding: 'utf8',
    env: {
      ...useMoto(),
      PATH: process.env.PATH ?? '',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
      INPUTS: JSON.stringify(inputs),
    },
  });
  // The results are the last line: a function may print before them (Powertools Metrics' EMF lines).
  return JSON.parse(out.trim().split('\n').at(-1) as string) as unknown[];
}

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    // No credentials, no profile: packaging must not need an AWS account.
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
  execFileSync(join(ROOT, 'node_modules', '.bin', 'osls'), ['package', '--stage', 'contract'], {
    cwd: ROOT,
    env,
    stdio: 'pipe',
  });
  template = JSON.parse(readFileSync(join(OUT, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 120_000);

describe('packaged stack (osls package)', () => {
  it('passes cfn-lint', () => {
    const result = spawnSync('cfn-lint', [join(OUT, 'cloudformation-template-update-stack.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.error, 'cfn-lint must be installed (pip install cfn-lint)').toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('subscribes exactly the events the rules declare, one EventBridge rule per event source on the default bus and on the organisation bus', () => {
    const patternRules = resourcesOfType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern);
    const onDefaultBus = patternRules.filter(([, r]) => r.Properties.EventBusName === undefined);
    const onOrgBus = patternRules.filter(([, r]) => r.Properties.EventBusName !== undefined);
    expect(onDefaultBus.map(([, r]) => r.Properties.EventPattern)).toEqual(eventPatterns());
    expect(onOrgBus.map(([, r]) => r.Properties.EventPattern)).toEqual(eventPatterns());
    for (const [, r] of onOrgBus) expect(r.Properties.EventBusName).toEqual({ Ref: 'CentralEventBus' });
    expect(props('CentralEventBus').Name).toBe('phiguard-contract');
    const deployedPairs = new Set(
      eventPatterns().flatMap((p) => p.detail.eventName.map((name) => `${p.detail.eventSource[0]}:${name}`)),
    );
    const declaredPairs = new Set(
      rules.flatMap((r) => r.triggers.flatMap((t) => t.events.map((e) => `${t.source}:${e}`))),
    );
    expect(deployedPairs).toEqual(declaredPairs);
    for (const [, rule] of patternRules) {
      const [target] = rule.Properties.Targets as {
        Arn: Json;
        DeadLetterConfig?: unknown;
        RetryPolicy?: unknown;
      }[];
      expect(target?.DeadLetterConfig).toBeDefined();
      expect(target?.RetryPolicy).toBeDefined();
      // Each source's events go to the one function bundled with that source's rules.
      const source = (rule.Properties.EventPattern as Json).detail.eventSource[0];
      const group = GROUPS.find((g) => g.eventSource === source);
      expect(target?.Arn, source).toEqual({
        'Fn::GetAtt': [lambdaId(eventFunctionName(group?.key ?? 'none')), 'Arn'],
      });
    }
    // Both buses' rules may dead-letter (a rule on a custom bus is rule/<bus>/<name>).
    const dlqPolicy = props('EventsDeadLetterQueuePolicy').PolicyDocument.Statement.find(
      (s: Json) => s.Sid === 'EventBridgeRulesDeadLetter',
    );
    expect(JSON.stringify(dlqPolicy.Condition.ArnLike['aws:SourceArn'])).toContain(
      'rule/phiguard-contract/phiguard-contract-*',
    );
  });

  it('gives every PHI Guard rule the target its guard would put back, and tells the functions how to derive it', () => {
    const spec = { stage: 'contract', account: ACCOUNT, region: REGION, sources: ownEventRuleSources() };
    const resolve = (arn: Json): string => {
      // A function's or the events DLQ's ARN, by the name the template gives it.
      const [id] = arn['Fn::GetAtt'];
      const resource = template.Resources[id];
      if (resource?.Type === 'AWS::Lambda::Function')
        return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${resource.Properties.FunctionName}`;
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:${resource?.Properties.QueueName}`;
    };
    const patternRules = resourcesOfType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern);
    expect(patternRules).toHaveLength(GROUPS.length * 2);
    for (const [, r] of patternRules) {
      const [target] = r.Properties.Targets as Json[];
      const location = {
        name: r.Properties.Name as string,
        ...(r.Properties.EventBusName ? { bus: 'phiguard-contract' } : {}),
        account: ACCOUNT,
        region: REGION,
        partition: 'aws',
      };
      expect(
        {
          ...target,
          Arn: resolve(target.Arn),
          DeadLetterConfig: { Arn: resolve(target.DeadLetterConfig.Arn) },
        },
        location.name,
      ).toEqual(expectedTarget(spec, location));
    }
    for (const id of EVENT_FUNCTION_IDS) {
      expect(props(id).Environment.Variables.PHIGUARD_OWN_EVENT_RULES, id).toEqual(
        ownEventRulesEnvironment('contract'),
      );
    }
  });

  it('admits no other account to the organisation bus unless the deploy names the organisation or the accounts', () => {
    expect(resourcesOfType('AWS::Events::EventBusPolicy')).toEqual([]);
    expect(centralEventBusResources('contract', centralBusAdmission({}))).toEqual({
      CentralEventBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'phiguard-contract' } },
    });
    const admitted = centralEventBusResources(
      'contract',
      centralBusAdmission({
        PHIGUARD_ORGANIZATION_ID: 'o-a1b2c3d4e5',
        PHIGUARD_MEMBER_ACCOUNTS: '210987654321, 345678901234',
      }),
    ) as Json;
    expect(admitted.CentralEventBusOrganizationPolicy.Properties.Statement.Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
    });
    expect(admitted.CentralEventBusAccountsPolicy.Properties.Statement.Principal.AWS).toEqual([
      { 'Fn::Sub': `arn:\${AWS::Partition}:iam::210987654321:root` },
      { 'Fn::Sub': `arn:\${AWS::Partition}:iam::345678901234:root` },
    ]);
    expect(() => centralBusAdmission({ PHIGUARD_ORGANIZATION_ID: 'r-abcd' })).toThrow(
      /PHIGUARD_ORGANIZATION_ID must be an AWS Organizations id/,
    );
    expect(() => centralBusAdmission({ PHIGUARD_MEMBER_ACCOUNTS: '2109876543' })).toThrow(
      /PHIGUARD_MEMBER_ACCOUNTS must be a comma-separated list of 12-digit account ids/,
    );
  });

  it('is the stack whose function roles the member template trusts, by name', () => {
    const central = [
      ...GROUPS.map(({ key }) => props(eventRoleLogicalId(key)).RoleName),
      props('SweepWorkerRole').RoleName,
      props('HeartbeatRole').RoleName,
    ].map((name: Json) =>
      (typeof name === 'string' ? name : name['Fn::Sub']).replace(`\${AWS::Region}`, REGION),
    );
    expect(central).toEqual(
      trustedCentralRoleNames().map((name) =>
        name.replace(`\${Stage}`, 'contract').replace(`\${CentralRegion}`, REGION),
      ),
    );
  });

  it('splits the event path into one function per event source, each holding every rule its events can reach', () => {
    expect(
      resourcesOfType('AWS::Lambda::Function')
        .map(([id]) => id)
        .sort(),
    ).toEqual(
      [
        ...EVENT_FUNCTION_IDS,
        'HeartbeatLambdaFunction',
        'NotifierLambdaFunction',
        'SweepCoordinatorLambdaFunction',
        'SweepWorkerLambdaFunction',
      ].sort(),
    );
    // Every rule with triggers is in the function of each source it listens to, and with it
    // every rule of the same resource type (an event evaluates every rule of its resource).
    for (const rule of rules) {
      for (const trigger of rule.triggers) {
        const group = GROUPS.find((g) => g.eventSource === trigger.source);
        expect(group?.rules.map((r) => r.id)).toEqual(
          rules.filter((r) => group?.rules.some((g) => g.resourceType === r.resourceType)).map((r) => r.id),
        );
        expect(group?.rules, `${rule.id} in ${trigger.source}`).toContain(rule);
      }
    }
    for (const { key, eventSource } of GROUPS) {
      const fn = props(lambdaId(eventFunctionName(key)));
      expect(fn.Handler).toBe(`handlers/events/${key}.handler`);
      expect(fn.Role).toEqual({ 'Fn::GetAtt': [eventRoleLogicalId(key), 'Arn'] });
      expect(fn.Description).toContain(eventSource);
      // IAM's 64-character limit, with a long stage and the longest Region name.
      expect(`phiguard-production-eu-ap-southeast-2-on-${key}`.length).toBeLessThanOrEqual(64);
    }
  });

  it("grants each event function's role its own rules' declared actions and nothing else beyond its own logs, DLQ and key", () => {
    type Policy = { PolicyName: string; PolicyDocument: { Statement: { Action: string | string[] }[] } };
    for (const { key, rules: own } of GROUPS) {
      const role = props(eventRoleLogicalId(key)) as { Policies: Policy[] };
      const rulesPolicy = role.Policies.find((p) => p.PolicyName === 'rules');
      expect(rulesPolicy?.PolicyDocument.Statement).toEqual(rulePolicyStatements(own));
      const declared = new Set(
        own.flatMap((r) => [
          ...r.permissions.read,
          ...r.permissions.write,
          ...(r.permissions.passRole.length > 0 ? ['iam:PassRole'] : []),
        ]),
      );
      const granted = new Set(rulesPolicy?.PolicyDocument.Statement.flatMap((s) => s.Action));
      expect(granted, key).toEqual(declared);
      // A role may only be handed to the services its rules name, one condition each.
      const passRole = (rulesPolicy?.PolicyDocument.Statement ?? []).filter((s) =>
        [s.Action].flat().includes('iam:PassRole'),
      ) as unknown as { Condition: { StringEquals: { 'iam:PassedToService': string } } }[];
      expect(passRole.map((s) => s.Condition.StringEquals['iam:PassedToService']).sort()).toEqual(
        [...new Set(own.flatMap((r) => r.permissions.passRole))].sort(),
      );
      const runtime = role.Policies.find((p) => p.PolicyName === 'runtime');
      expect(runtime?.PolicyDocument.Statement.flatMap((s) => s.Action).sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:GenerateDataKey',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
        'sqs:SendMessage',
        'sts:AssumeRole',
      ]);
      // Another account's events act through its member role: that role name only.
      expect(runtime?.PolicyDocument.Statement.find((s) => s.Action === 'sts:AssumeRole')).toMatchObject({
        Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/phiguard-member` },
      });
      // The registry actions are item-level and on the table only (not its index, not every table).
      expect(runtime?.PolicyDocument.Statement.find((s) => String(s.Action).startsWith('dynamodb:'))).toEqual(
        {
          Sid: 'ActionRegistryItems',
          Effect: 'Allow',
          Action: LEDGER_ITEM_ACTIONS,
          Resource: { 'Fn::GetAtt': ['LedgerTable', 'Arn'] },
        },
      );
      expect(JSON.stringify(runtime)).toContain(`log-group:/aws/lambda/phiguard-contract-on-${key}:*`);
    }
    // Least privilege is real: the S3 function cannot touch a KMS key, nor the KMS function a bucket.
    const actions = (key: string) =>
      JSON.stringify((props(eventRoleLogicalId(key)) as { Policies: Policy[] }).Policies[0]);
    expect(actions('s3')).not.toContain('kms:CancelKeyDeletion');
    expect(actions('kms')).not.toContain('s3:PutBucketPolicy');
  });

  it('queues a burst instead of dropping it: each event function capped at its reserved concurrency, throttled events kept 6 h by Lambda, EventBridge retrying for an hour, all ending in the dead-letter queue', () => {
    for (const id of EVENT_FUNCTION_IDS) {
      expect(props(id).ReservedConcurrentExecutions, id).toBe(EVENT_FUNCTION_CONCURRENCY);
    }
    // Within the account's default 1,000, with room for its other functions.
    expect(EVENT_FUNCTION_CONCURRENCY * GROUPS.length).toBeLessThanOrEqual(200);
    for (const [, config] of resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      expect(config.Properties).toMatchObject({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 2 });
    }
    for (const [, rule] of resourcesOfType('AWS::Events::Rule').filter(
      ([, r]) => r.Properties.EventPattern,
    )) {
      const [target] = rule.Properties.Targets as { RetryPolicy: Json; DeadLetterConfig: Json }[];
      expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 });
      expect(target?.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } });
    }
  });

  it('runs on nodejs22.x, dry-run by default, with its own role as self principal and a DLQ on failure', () => {
    for (const id of EVENT_FUNCTION_IDS) {
      const fn = props(id);
      expect(fn.Runtime).toBe('nodejs22.x');
      const variables = fn.Environment.Variables;
      expect(variables.PHIGUARD_DRY_RUN).toBe('true');
      expect(JSON.stringify(variables.PHIGUARD_SELF_PRINCIPALS)).toContain(
        id.replace(/LambdaFunction$/, 'Role'),
      );
    }
    const invokeConfigs = resourcesOfType('AWS::Lambda::EventInvokeConfig');
    expect(invokeConfigs).toHaveLength(GROUPS.length);
    for (const [, config] of invokeConfigs) {
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] } },
        },
      });
    }
  });

  it('passes every setting a rule declares to the functions, from the deploying shell, and refuses a bad one at package time', () => {
    const declared = declaredSettings(rules).map(({ setting }) => setting.env);
    expect(declared.length).toBeGreaterThan(0);
    for (const fn of [...EVENT_FUNCTION_IDS, 'SweepWorkerLambdaFunction']) {
      const variables = props(fn).Environment.Variables;
      for (const name of declared) {
        // The one setting the stack writes itself: its own rules' targets.
        if (name === 'PHIGUARD_OWN_EVENT_RULES') continue;
        expect(variables[name], `${fn} ${name}`).toBe('');
      }
    }
    expect(ruleSettingsEnvironment({ PHIGUARD_S3_KMS_KEY_ID: 'alias/phi' })).toMatchObject({
      PHIGUARD_S3_KMS_KEY_ID: 'alias/phi',
    });
    expect(() => ruleSettingsEnvironment({ PHIGUARD_FLOW_LOGS_DESTINATION: 'my-bucket' })).toThrow(
      /PHIGUARD_FLOW_LOGS_DESTINATION: must be an S3 bucket ARN/,
    );
    // A function holding part of the registry cannot tell a typo from another function's
    // rule, so a mode for a rule no function has fails the package.
    expect(() => ruleSettingsEnvironment({ PHIGUARD_RULE_MODES: 'kms-key-rotaton=off' })).toThrow(
      /rule mode set for unknown rule "kms-key-rotaton"/,
    );
    expect(() => ruleSettingsEnvironment({ PHIGUARD_RULE_MODES: 'kms-key-rotation=off' })).not.toThrow();
  });

  it('creates the action registry table as `phiguard ledger init` does: on-demand, KMS, PITR, TTL, protected', () => {
    const table = only('AWS::DynamoDB::Table');
    expect(table).toMatchObject({
      AttributeDefinitions: LEDGER_TABLE_SCHEMA.AttributeDefinitions,
      KeySchema: LEDGER_TABLE_SCHEMA.KeySchema,
      GlobalSecondaryIndexes: LEDGER_TABLE_SCHEMA.GlobalSecondaryIndexes,
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: 'PhiGuardKey' } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    const [[, resource]] = resourcesOfType('AWS::DynamoDB::Table') as [[string, Json]];
    expect(resource.DeletionPolicy).toBe('Retain');
    for (const id of EVENT_FUNCTION_IDS) {
      expect(props(id).Environment.Variables.PHIGUARD_LEDGER_TABLE).toEqual({ Ref: 'LedgerTable' });
    }
  });

  it('encrypts every store it creates with KMS, enforces TLS on the queue and keeps logs for a set period', () => {
    for (const [, queue] of resourcesOfType('AWS::SQS::Queue'))
      expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    for (const [, group] of resourcesOfType('AWS::Logs::LogGroup')) {
      expect(group.Properties.KmsKeyId).toBeDefined();
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
    for (const [, policy] of resourcesOfType('AWS::SQS::QueuePolicy')) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
    expect(only('AWS::KMS::Key').EnableKeyRotation).toBe(true);
    for (const [, secret] of resourcesOfType('AWS::SecretsManager::Secret'))
      expect(secret.Properties.KmsKeyId).toEqual({ Ref: 'PhiGuardKey' });
  });

  it('gives every remediating function the one generated key that redacts names looking like PHI, and refuses a bad pattern at package time', () => {
    // Generated by Secrets Manager, never typed by a person; resolved into the encrypted environment at deploy.
    expect(props('NameRedactionKey')).toMatchObject({
      KmsKeyId: { Ref: 'PhiGuardKey' },
      GenerateSecretString: { PasswordLength: 64 },
    });
    const resolved = {
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'NameRedactionKey' }, ':SecretString}}']],
    };
    for (const id of [...EVENT_FUNCTION_IDS, 'SweepWorkerLambdaFunction']) {
      expect(props(id).Environment.Variables.PHIGUARD_NAME_REDACTION_KEY, id).toEqual(resolved);
    }
    for (const id of ['NotifierLambdaFunction', 'SweepCoordinatorLambdaFunction']) {
      expect(props(id).Environment.Variables.PHIGUARD_NAME_REDACTION_KEY, id).toBeUndefined();
    }
    expect(props('OnS3EventLambdaFunction').Environment.Variables.PHIGUARD_PHI_NAME_PATTERNS).toBe('');
    // Which account is PHI Guard's own: the stack's; any other acts through its member role.
    expect(props('OnS3EventLambdaFunction').Environment.Variables).toMatchObject({
      PHIGUARD_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
      PHIGUARD_MEMBER_ROLE_NAME: 'phiguard-member',
      PHIGUARD_MEMBER_EXTERNAL_ID: '',
    });
    expect(() => ruleSettingsEnvironment({ PHIGUARD_PHI_NAME_PATTERNS: '["(unclosed"]' })).toThrow(
      /PHIGUARD_PHI_NAME_PATTERNS: pattern 1 is not a valid regular expression/,
    );
  });

  it("bundles each event function with the SDK and only its own rules' clients, and fixes drift over every AWS protocol on its own", async () => {
    for (const { key } of GROUPS) {
      const listing = execFileSync(
        'python3',
        ['-m', 'zipfile', '-l', join(OUT, `${eventFunctionName(key)}.zip`)],
        {
          encoding: 'utf8',
        },
      );
      expect(listing).toContain(`handlers/events/${key}.mjs`);
      expect(listing).not.toContain('node_modules');
    }

    // The bundles are built with plugins that rewrite the SDK's schema modules and swap its
    // credential chain (infra/esbuild-plugins.cjs): prove every client still speaks its
    // protocol (S3 REST-XML, ELB query, EC2 query, DynamoDB and SQS JSON) by fixing
    // real drift through the unpacked artifacts, outside the repository (no node_modules
    // to fall back on), and reading the result back.
    const s3Bundle = unpackBundle(`${eventFunctionName('s3')}.zip`, 'events/s3.mjs');
    const elbBundle = unpackBundle(`${eventFunctionName('elb')}.zip`, 'events/elb.mjs');
    const ec2Bundle = unpackBundle(`${eventFunctionName('ec2')}.zip`, 'events/ec2.mjs');
    // Only the API shapes PHI Guard calls are in (no TerminateInstances among EC2's 13,000),
    // no credential source Lambda never uses (SSO, shared config files), no S3 event-stream
    // codec, no DynamoDB endpoint cache, no client manifest beyond its name and version.
    expect(ec2Bundle.source).toContain('DescribeFlowLogs');
    expect(ec2Bundle.source.includes('TerminateInstances')).toBe(false);
    for (const { source } of [s3Bundle, elbBundle, ec2Bundle]) {
      expect(/fromSSO|fromIni|fromProcess|fromTokenFile/.test(source)).toBe(false);
      expect(/:message-type|mnemonist|devDependencies/.test(source)).toBe(false);
    }
    // And only its own source's clients: no EC2 or KMS in the S3 function.
    expect(/DescribeFlowLogs|EnableKeyRotation/.test(s3Bundle.source)).toBe(false);
    expect(s3Bundle.source).toContain('PutPublicAccessBlock');
    const clients = motoClients();
    const bucket = uniqueName('bundle-check');
    await seed.createPublicBucket(clients.s3(), bucket);
    const flowLogBucket = uniqueName('bundle-flow-logs');
    await seed.createCompliantBucket(clients.s3(), flowLogBucket);
    const accessLogBucket = uniqueName('bundle-access-logs');
    await seed.createLogBucket(clients.s3(), accessLogBucket);
    const vpc = await seed.createVpc(clients.ec2(), REGION, 2);
    const alb = await seed.createAlb(
      clients.elbv2(),
      seed.createAcmClient(REGION),
      vpc,
      uniqueName('bundle-alb'),
      { https: true },
    );
    // Its own region, so "every VPC" of the DeleteFlowLogs event is this one.
    const flowRegion = 'ap-northeast-1';
    const ec2 = localClients(flowRegion).ec2();
    const drifted = await seed.createVpc(ec2, flowRegion);
    const table = uniqueName('bundle-ledger');
    await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
    const sqs = new SQSClient({ region: REGION });
    const { QueueUrl: notifyQueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('bundle-notify') }),
    );
    const env = {
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_LEDGER_TABLE: table,
      PHIGUARD_NOTIFY_QUEUE_URL: notifyQueueUrl as string,
      PHIGUARD_FLOW_LOGS_DESTINATION: `arn:aws:s3:::${flowLogBucket}`,
      PHIGUARD_ACCESS_LOGS_BUCKET: accessLogBucket,
    };
    const results = [
      ...runBundle(s3Bundle, [bucketEvent('s3/PutBucketAcl.public-read', bucket)], env),
      ...runBundle(
        elbBundle,
        [listenerEvent('elasticloadbalancing/CreateListener.http', alb.loadBalancerArn, alb.httpListenerArn)],
        env,
      ),
      ...runBundle(ec2Bundle, [inRegion(loadFixture('ec2/DeleteFlowLogs.single'), flowRegion)], env),
    ] as { outcomes: { status: string; resource: string }[] }[];
    const [s3Outcomes, albOutcomes, vpcOutcomes] = results.map((r) =>
      r.outcomes.map((o) => [o.status, o.resource]),
    );
    // The public, unencrypted, unversioned, unlogged bucket: every S3 rule that fixes fixed it
    // through the bundle (a rule that only tickets, the PHI-looking name, finds its name fine).
    expect(s3Outcomes).toEqual(
      rules
        .filter((r) => r.resourceType === 'AWS::S3::Bucket')
        .map((r) => [r.permissions.write.length > 0 ? 'remediated' : 'compliant', `arn:aws:s3:::${bucket}`]),
    );
    // The plaintext, unlogged ALB: every ALB rule fixed it through the bundle.
    expect(albOutcomes).toEqual(
      rules
        .filter((r) => r.resourceType === 'AWS::ElasticLoadBalancingV2::LoadBalancer')
        .map(() => ['remediated', alb.loadBalancerArn]),
    );
    // moto's default VPC of the region has no flow log either.
    expect(vpcOutcomes).toContainEqual(['remediated', expect.stringContaining(drifted.vpcId)]);
    expect(vpcOutcomes?.map(([status]) => status)).toEqual(vpcOutcomes?.map(() => 'remediated'));

    const blocked = await clients.s3().send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(blocked.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const listeners = await clients
      .elbv2()
      .send(new DescribeListenersCommand({ LoadBalancerArn: alb.loadBalancerArn }));
    const http = listeners.Listeners?.find((l) => l.Protocol === 'HTTP');
    expect(http?.DefaultActions?.[0]).toMatchObject({ Type: 'redirect' });
    const albAttributes = await clients
      .elbv2()
      .send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: alb.loadBalancerArn }));
    expect(albAttributes.Attributes).toEqual(
      expect.arrayContaining([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: accessLogBucket },
      ]),
    );
    const flowLogs = await ec2.send(
      new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [drifted.vpcId] }] }),
    );
    expect(flowLogs.FlowLogs).toMatchObject([
      { TrafficType: 'ALL', LogDestination: `arn:aws:s3:::${flowLogBucket}` },
    ]);
    const history = await new DynamoDBClient({ region: REGION }).send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :hist)',
        ExpressionAttributeValues: { ':hist': { S: 'HIST#' } },
      }),
    );
    expect(history.Items?.map((item) => item.status?.S)).toHaveLength(
      (s3Outcomes?.length ?? 0) + (albOutcomes?.length ?? 0) + (vpcOutcomes?.length ?? 0),
    );
    expect(new Set(history.Items?.map((item) => item.status?.S))).toEqual(
      new Set(['remediated', 'compliant']),
    );
    // SQS JSON: one notification per fix reached the notifier's queue (a compliant outcome tells nobody).
    const fixes = (history.Items ?? []).filter((item) => item.status?.S === 'remediated');
    expect(fixes).toHaveLength((history.Items?.length ?? 0) - 1);
    const notified: string[] = [];
    for (let i = 0; i < 10 && notified.length < fixes.length; i++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: notifyQueueUrl, MaxNumberOfMessages: 10 }),
      );
      notified.push(...Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { kind?: string }).kind ?? ''));
    }
    expect(notified).toEqual(fixes.map(() => 'remediated'));
  });

  it('bundles the Snowball function with its pre-schema client (3.523), which reaches the endpoint it is given', async () => {
    const bundle = unpackBundle(`${eventFunctionName('snowball')}.zip`, 'events/snowball.mjs');
    expect(/fromSSO|fromIni|fromProcess|fromTokenFile/.test(bundle.source)).toBe(false);
    const table = uniqueName('bundle-snowball-ledger');
    await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
    // The emulator's Snowball front knows no job: the bundled client asked it, and read its answer.
    const [result] = runBundle(bundle, [loadFixture('snowball/CreateJob.import-default-key')], {
      PHIGUARD_LEDGER_TABLE: table,
    }) as { outcomes: { rule: string; status: string }[] }[];
    expect(result?.outcomes).toEqual([
      expect.objectContaining({ rule: 'snowball-import-job-kms', status: 'gone' }),
    ]);
  });

  it('bundles a sweep worker that sweeps a shard on its own and continues it through its queue', async () => {
    const bundle = unpackBundle('sweepWorker.zip', 'sweep-worker.mjs');
    expect(/:message-type|mnemonist|devDependencies|TerminateInstances/.test(bundle.source)).toBe(false);
    // A region no other test uses (the test files share one emulator), so the shard holds only
    // these balancers: 7 plaintext ones, in pages of 5.
    const region = 'eu-west-3';
    const elb = localClients(region).elb();
    const names = Array.from({ length: 7 }, () => uniqueName('bundle-clb'));
    for (const name of names) await seed.createPlaintextClassicLb(elb, region, name);
    const table = uniqueName('bundle-sweep-ledger');
    await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
    const sqs = new SQSClient({ region: REGION });
    const { QueueUrl: queueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('bundle-shards') }),
    );
    const [shard] = planShards(rules, {
      runId: 'bundle-run',
      accounts: ['123456789012'],
      regions: [region],
      ruleIds: ['classic-elb-listener-plaintext'],
    });
    const env = {
      PHIGUARD_LEDGER_TABLE: table,
      PHIGUARD_SWEEP_QUEUE_URL: queueUrl as string,
      PHIGUARD_SWEEP_REGIONS: region,
      PHIGUARD_SWEEP_PAGE_SIZE: '5',
      // More than the invocation has left: the shard continues after its first page.
      PHIGUARD_SWEEP_RESERVE_SECONDS: '600',
    };
    const first = runBundle(bundle, [{ Records: [{ messageId: 'm1', body: JSON.stringify(shard) }] }], env);
    expect(first).toEqual([{ batchItemFailures: [] }]);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages).toHaveLength(1);
    const next = JSON.parse(Messages[0]?.Body ?? '{}');
    expect(next).toMatchObject({ runId: 'bundle-run', pages: 1, token: expect.any(String) });
    expect(runBundle(bundle, [{ Records: [{ messageId: 'm2', body: JSON.stringify(next) }] }], env)).toEqual([
      { batchItemFailures: [] },
    ]);

    // Every balancer swept once across the two invocations: one ticket each in the registry.
    const history = await new DynamoDBClient({ region: REGION }).send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :hist)',
        ExpressionAttributeValues: { ':hist': { S: 'HIST#' } },
      }),
    );
    const swept = (history.Items ?? []).map((item) => `${item.status?.S} ${item.resource?.S}`).sort();
    expect(swept).toEqual(
      names
        .map((name) => `ticket arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/${name}`)
        .sort(),
    );
  });
});

describe('the heartbeat in the packaged stack', () => {
  it('bundles a heartbeat function that writes the heartbeat and counts the silent places on its own', async () => {
    const bundle = unpackBundle('heartbeat.zip', 'heartbeat.mjs');
    const region = 'ap-northeast-3';
    const table = uniqueName('bundle-heartbeat-ledger');
    await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
    const stage = uniqueName('bundle').replace(/[^a-z0-9-]/g, '');
    const env = {
      PHIGUARD_LEDGER_TABLE: table,
      PHIGUARD_STAGE: stage,
      PHIGUARD_SWEEP_REGIONS: region,
      PHIGUARD_HEARTBEAT_MINUTES: '10',
    };
    expect(runBundle(bundle, [{}], env)).toEqual([{ sent: 1, failed: 0, missing: 0 }]);
    const rule = await new EventBridgeClient({ region }).send(
      new DescribeRuleCommand({ Name: `phiguard-${stage}-heartbeat` }),
    );
    expect(rule.State).toBe('DISABLED');
  });
});

describe('notifications in the packaged stack', () => {
  it('decouples delivery: a KMS-encrypted, TLS-only queue with a dead-letter queue and an alarm on it', () => {
    expect(props('NotifyQueue')).toMatchObject({
      KmsMasterKeyId: { Ref: 'PhiGuardKey' },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': ['NotifyDeadLetterQueue', 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    expect(props('NotifyQueue').VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * props('NotifierLambdaFunction').Timeout,
    );
    expect(props('NotifyDeadLetterQueue')).toMatchObject({ KmsMasterKeyId: { Ref: 'PhiGuardKey' } });
    expect(JSON.stringify(props('NotifyQueuesPolicy'))).toContain('"aws:SecureTransport":"false"');
    expect(props('NotifyDeadLetterAlarm')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['NotifyDeadLetterQueue', 'QueueName'] } }],
    });
    for (const id of EVENT_FUNCTION_IDS) {
      expect(props(id).Environment.Variables.PHIGUARD_NOTIFY_QUEUE_URL).toEqual({ Ref: 'NotifyQueue' });
    }
  });

  it('creates a KMS-encrypted topic unless one is named, and the notifier reads the queue with partial batch failures', () => {
    expect(template.Resources.NotificationsTopic).toMatchObject({
      Condition: 'UseStackTopic',
      Properties: { KmsMasterKeyId: { Ref: 'PhiGuardKey' } },
    });
    const mapping = resourcesOfType('AWS::Lambda::EventSourceMapping').find(([id]) =>
      id.startsWith('Notifier'),
    ) as [string, Json];
    expect(mapping[1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['NotifyQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const notifier = props('NotifierLambdaFunction');
    expect(notifier.Runtime).toBe('nodejs22.x');
    // Webhook URLs and credentials are never in the template: only references (none configured here).
    expect(JSON.stringify(notifier.Environment)).not.toMatch(/hooks\.slack\.com|https:\/\/[^"]*\/services\//);
  });

  it('gives the notifier only its queue, topic, registry items and key, plus nothing for unconfigured channels', () => {
    type Policy = {
      PolicyName: string;
      PolicyDocument: { Statement: { Sid: string; Action: string | string[] }[] };
    };
    const role = props('NotifierRole') as { Policies: Policy[] };
    const actions = role.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action)).sort();
    expect(actions).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GenerateDataKey',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sns:Publish',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
      'ssm:DescribeParameters',
    ]);
  });

  it('derives channel permissions from the references given at deploy', () => {
    const statements = notifierChannelStatements({
      PHIGUARD_SLACK_WEBHOOK: 'ssm:/phiguard/slack-webhook',
      PHIGUARD_JIRA_SECRET: 'secretsmanager:phiguard/jira',
      PHIGUARD_OPSCENTER: 'true',
    });
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['ReadChannelParameters', ['ssm:GetParameter']],
      ['DecryptChannelParameters', ['kms:Decrypt']],
      ['ReadChannelSecrets', ['secretsmanager:GetSecretValue']],
      ['OpsCenterItems', ['ssm:CreateOpsItem', 'ssm:UpdateOpsItem', 'ssm:AddTagsToResource']],
    ]);
    expect(JSON.stringify(statements[0]?.Resource)).toContain(':parameter/phiguard/slack-webhook');
    expect(JSON.stringify(statements[2]?.Resource)).toContain(':secret:phiguard/jira-*');
    // Security Hub: only BatchImportFindings, only on this account's default product, only when enabled.
    expect(notifierChannelStatements({ PHIGUARD_SECURITY_HUB: 'true' })).toEqual([
      {
        Sid: 'ImportSecurityHubFindings',
        Effect: 'Allow',
        Action: ['securityhub:BatchImportFindings'],
        Resource: {
          'Fn::Sub': `arn:\${AWS::Partition}:securityhub:\${AWS::Region}:\${AWS::AccountId}:product/\${AWS::AccountId}/default`,
        },
      },
    ]);
    expect(JSON.stringify(props('NotifierRole'))).not.toContain('securityhub:');
    expect(props('NotifierLambdaFunction').Environment.Variables.PHIGUARD_SECURITY_HUB).toBe('false');
  });

  it('tells people of every alarm on the notifications topic, including notifications that could not be queued', () => {
    const topic = {
      'Fn::If': ['UseStackTopic', { Ref: 'NotificationsTopic' }, { Ref: 'ExistingNotificationsTopicArn' }],
    };
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'EventsDeadLetterAlarm',
      'HeartbeatMissingAlarm',
      'NotificationsNotEnqueuedAlarm',
      'NotifyDeadLetterAlarm',
      'SweepDeadLetterAlarm',
      'SweepNotStartedAlarm',
    ]);
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toEqual([topic]);
    // A sweep that cannot start leaves no message behind: the coordinator's errors are the signal.
    expect(props('SweepNotStartedAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'SweepCoordinatorLambdaFunction' } }],
    });

    // The engine's one logged-not-thrown failure is counted in every function that enqueues.
    const filters = resourcesOfType('AWS::Logs::MetricFilter')
      .filter(([id]) => !id.endsWith('HeartbeatsArrivedFilter'))
      .map(([, f]) => f.Properties as Json);
    expect(filters.map((f) => f.LogGroupName.Ref).sort()).toEqual(
      [...GROUPS.map(({ key }) => eventLogGroupLogicalId(key)), 'SweepWorkerLogGroup'].sort(),
    );
    for (const filter of filters) {
      expect(filter.FilterPattern).toBe(`{ $.message = "${NOTIFICATIONS_NOT_ENQUEUED}" }`);
      expect(filter.MetricTransformations).toEqual([
        {
          MetricNamespace: props('NotificationsNotEnqueuedAlarm').Namespace,
          MetricName: 'NotificationsNotEnqueued',
          MetricValue: '1',
        },
      ]);
    }
    expect(props('NotificationsNotEnqueuedAlarm')).toMatchObject({
      MetricName: 'NotificationsNotEnqueued',
      Statistic: 'Sum',
      Threshold: 0,
    });

    // CloudWatch may publish to the encrypted topic: the topic policy and the key allow it, for this stack's alarms only.
    const topicPolicy = JSON.stringify(props('NotificationsTopicPolicy'));
    expect(topicPolicy).toContain('"Service":"cloudwatch.amazonaws.com"');
    expect(topicPolicy).toContain(':alarm:phiguard-contract-*');
    const keyStatements = props('PhiGuardKey').KeyPolicy.Statement as Json[];
    expect(keyStatements.find((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  it('writes the heartbeat on a schedule and alarms when a place is silent for 3 intervals or the heartbeat stops', () => {
    const [, schedule] = resourcesOfType('AWS::Events::Rule').find(
      ([, r]) => r.Properties.Name === 'phiguard-contract-heartbeat-schedule',
    ) as [string, { Properties: Json }];
    expect(schedule.Properties.ScheduleExpression).toBe('rate(10 minutes)');
    expect(schedule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['HeartbeatLambdaFunction', 'Arn'] });
    expect(props('HeartbeatLambdaFunction').Environment.Variables).toMatchObject({
      PHIGUARD_STAGE: 'contract',
      PHIGUARD_HEARTBEAT_MINUTES: '10',
      PHIGUARD_SWEEP_ACCOUNTS: { Ref: 'SweepAccounts' },
    });
    // The metric the heartbeat function emits (Powertools: namespace, service dimension).
    expect(props('HeartbeatMissingAlarm')).toMatchObject({
      Namespace: 'PhiGuard/contract',
      MetricName: 'HeartbeatsMissing',
      Dimensions: [{ Name: 'service', Value: 'phiguard' }],
      Statistic: 'Maximum',
      Period: 600,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      // No data is the heartbeat function itself gone quiet.
      TreatMissingData: 'breaching',
    });
    // It writes only its own rule, here and through member roles, and its registry items.
    const runtime = (props('HeartbeatRole').Policies as Json[]).find((p) => p.PolicyName === 'runtime')
      .PolicyDocument.Statement as Json[];
    expect(runtime.find((st) => st.Sid === 'WriteHeartbeat')).toEqual({
      Sid: 'WriteHeartbeat',
      Effect: 'Allow',
      Action: 'events:PutRule',
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:events:*:\${AWS::AccountId}:rule/phiguard-contract-heartbeat`,
      },
    });
    expect(runtime.map((st) => st.Sid)).toEqual([
      'OwnLogs',
      'WriteHeartbeat',
      'HeartbeatItems',
      'AssumeMemberRoles',
      'UseStackKey',
    ]);
    // Its arrivals are counted from the EventBridge function's log.
    expect(props('OnEventsEventHeartbeatsArrivedFilter')).toMatchObject({
      LogGroupName: { Ref: 'OnEventsEventLogGroup' },
      FilterPattern: '{ $.message = "heartbeat arrived" }',
    });
    expect(() => heartbeatInterval({ PHIGUARD_HEARTBEAT_MINUTES: '1' })).toThrow(
      /PHIGUARD_HEARTBEAT_MINUTES/,
    );
  });

  it('has an encrypted log group with a retention period for every function', () => {
    const groups = resourcesOfType('AWS::Logs::LogGroup');
    expect(groups.map(([id]) => id).sort()).toEqual(
      [
        'HeartbeatLogGroup',
        'NotifierLogGroup',
        ...GROUPS.map(({ key }) => eventLogGroupLogicalId(key)),
        'SweepCoordinatorLogGroup',
        'SweepWorkerLogGroup',
      ].sort(),
    );
  });
});

describe('the sweep in the packaged stack', () => {
  it('runs the coordinator on a schedule (hourly by default) and the workers from an encrypted shard queue', () => {
    const schedule = resourcesOfType('AWS::Events::Rule').find(([, r]) => r.Properties.ScheduleExpression);
    expect(schedule?.[1].Properties.ScheduleExpression).toBe('rate(1 hour)');
    expect(props('SweepQueue')).toMatchObject({
      KmsMasterKeyId: { Ref: 'PhiGuardKey' },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['SweepDeadLetterQueue', 'Arn'] } },
    });
    expect(props('SweepQueue').VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * props('SweepWorkerLambdaFunction').Timeout,
    );
    expect(props('SweepDeadLetterAlarm').MetricName).toBe('ApproximateNumberOfMessagesVisible');
    const mapping = resourcesOfType('AWS::Lambda::EventSourceMapping').find(([id]) =>
      id.startsWith('SweepWorker'),
    );
    expect(mapping?.[1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['SweepQueue', 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('hands the coordinator every rule’s id and resource type, in registry order, from the registry', () => {
    const raw = props('SweepCoordinatorLambdaFunction').Environment.Variables.PHIGUARD_SWEEP_RULES;
    expect(parseCatalogue('PHIGUARD_SWEEP_RULES', raw)).toEqual(
      rules.map((rule) => ({ id: rule.id, resourceType: rule.resourceType })),
    );
  });

  it('sweeps other accounts through their member role, and lists the organisation only when told to', () => {
    type Policy = { PolicyName: string; PolicyDocument: { Statement: Json[] } };
    const worker = props('SweepWorkerRole') as { Policies: Policy[] };
    const runtime = worker.Policies.find((p) => p.PolicyName === 'runtime')?.PolicyDocument.Statement ?? [];
    expect(runtime.find((s) => s.Sid === 'AssumeMemberRoles')).toEqual({
      Sid: 'AssumeMemberRoles',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/phiguard-member` },
    });
    const coordinator = props('SweepCoordinatorRole') as { Policies: Json[] };
    expect(coordinator.Policies.at(-1)).toEqual({
      'Fn::If': [
        'SweepsOrganization',
        {
          PolicyName: 'organization',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'ListOrganizationAccounts',
                Effect: 'Allow',
                Action: 'organizations:ListAccounts',
                Resource: '*',
              },
            ],
          },
        },
        { Ref: 'AWS::NoValue' },
      ],
    });
    expect((template as Json).Conditions.SweepsOrganization).toEqual({
      'Fn::Equals': [{ Ref: 'SweepAccounts' }, 'org'],
    });
    // Packaged without PHIGUARD_SWEEP_ACCOUNTS: this account only, no Organizations permission.
    expect((template as Json).Parameters.SweepAccounts.Default).toBe('');
    expect(props('SweepCoordinatorLambdaFunction').Environment.Variables.PHIGUARD_SWEEP_ACCOUNTS).toEqual({
      Ref: 'SweepAccounts',
    });
  });

  it('gives the worker every rule’s actions, and every remediating function every PHI Guard role as a self principal', () => {
    type Policy = { PolicyName: string; PolicyDocument: { Statement: unknown[] } };
    const worker = props('SweepWorkerRole') as { Policies: Policy[] };
    expect(worker.Policies.find((p) => p.PolicyName === 'rules')?.PolicyDocument.Statement).toEqual(
      rulePolicyStatements(),
    );
    const coordinator = props('SweepCoordinatorRole') as { Policies: Policy[] };
    expect(JSON.stringify(coordinator)).not.toContain('s3:');
    for (const fn of [...EVENT_FUNCTION_IDS, 'SweepWorkerLambdaFunction']) {
      const self = props(fn).Environment.Variables.PHIGUARD_SELF_PRINCIPALS as Json;
      expect(self['Fn::Join'][1]).toEqual([
        ...GROUPS.map(({ key }) => ({ 'Fn::GetAtt': [eventRoleLogicalId(key), 'Arn'] })),
        { 'Fn::GetAtt': ['SweepWorkerRole', 'Arn'] },
        '',
      ]);
    }
  });
});
