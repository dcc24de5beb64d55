/**
 * The member-account template (infra/member-account.template.json), deployed with
 * CloudFormation StackSets to every account of an OU and every guarded Region.
 * Generated from the registry by `npm run docs`, like the central stack's
 * fragments, and checked by a contract test, so a member account can never
 * forward fewer events, or grant other permissions, than the rules declare.
 *
 * In each account and Region it creates:
 * - one EventBridge rule per CloudTrail event source on the default bus, with the
 *   central event functions' pattern, forwarding to the organisation's bus in the
 *   central account (through a role EventBridge assumes: cross-account bus
 *   targets need one);
 * - in one Region only (IAM is global), the member role PHI Guard assumes to read
 *   and fix there: trusted by the central account's PHI Guard function roles and
 *   nothing else (and the external id, when one is set), holding exactly the
 *   rules' declared permissions.
 * In the central account itself there is no member role (PHI Guard uses its own),
 * and the central Region forwards nothing (the central rules see its default bus).
 */
import { join } from 'node:path';
import { rules as registry } from '../remediations';
import { DEFAULT_MEMBER_ROLE_NAME } from '../src/config';
import { eventFunctionGroups } from '../src/event-functions';
import { forwardRoleName } from '../src/own-event-rules';
import type { Rule } from '../src/rule';
import { eventRoleName } from './event-function-stack';
import { eventBridgeSource, eventPatterns, rulePolicyStatements } from './stack-fragments';

export const MEMBER_TEMPLATE_FILE = join(import.meta.dirname, 'member-account.template.json');

/** The sweep worker's role name (serverless.yml's SweepWorkerRole), placeholders as in eventRoleName. */
export const sweepWorkerRoleName = (stage: string, region = `\${AWS::Region}`) =>
  `phiguard-${stage}-${region}-sweep-worker`;

/** The heartbeat function's role name (serverless.yml's HeartbeatRole). */
export const heartbeatRoleName = (stage: string, region = `\${AWS::Region}`) =>
  `phiguard-${stage}-${region}-heartbeat`;

/**
 * The central roles a member role trusts, as names with the template's `${Stage}`
 * and `${CentralRegion}`: each event function's, the sweep worker's and the heartbeat's.
 */
export function trustedCentralRoleNames(rules: readonly Rule[] = registry): string[] {
  const stage = `\${Stage}`;
  const region = `\${CentralRegion}`;
  return [
    ...eventFunctionGroups(rules).map(({ key }) => eventRoleName(key, stage, region)),
    sweepWorkerRoleName(stage, region),
    heartbeatRoleName(stage, region),
  ];
}

const pascal = (text: string) =>
  text
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** The heartbeat's one write here (src/heartbeat.ts): PHI Guard's heartbeat rule, in any Region. */
export const HEARTBEAT_STATEMENT = {
  Sid: 'WriteHeartbeat',
  Effect: 'Allow',
  Action: 'events:PutRule',
  Resource: {
    'Fn::Sub': `arn:\${AWS::Partition}:events:*:\${AWS::AccountId}:rule/phiguard-\${Stage}-heartbeat`,
  },
};

export function memberTemplate(rules: readonly Rule[] = registry) {
  const centralBusArn = {
    'Fn::Sub': `arn:\${AWS::Partition}:events:\${CentralRegion}:\${CentralAccountId}:event-bus/phiguard-\${Stage}`,
  };
  const trustedRoles = trustedCentralRoleNames(rules).map((name) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:iam::\${CentralAccountId}:role/${name}`,
  }));
  const forwardingRules = Object.fromEntries(
    eventPatterns(rules).map((pattern) => {
      const short = eventBridgeSource(pattern.detail.eventSource[0] ?? '').replace(/^aws\./, '');
      return [
        `Forward${pascal(short)}Events`,
        {
          Type: 'AWS::Events::Rule',
          Condition: 'ForwardEvents',
          Properties: {
            Name: { 'Fn::Sub': `phiguard-\${Stage}-member-${short}` },
            Description: `PHI Guard: forward ${pattern.detail.eventSource[0]} drift events to the central account`,
            EventPattern: pattern,
            State: 'ENABLED',
            Targets: [
              {
                Id: 'phiguard-central-bus',
                Arn: centralBusArn,
                RoleArn: { 'Fn::GetAtt': ['ForwardEventsRole', 'Arn'] },
              },
            ],
          },
        },
      ];
    }),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'PHI Guard member account: forwards drift events to the central PHI Guard and lets its functions act here. Generated from the rule registry by `npm run docs`: do not edit.',
    Parameters: {
      CentralAccountId: {
        Type: 'String',
        AllowedPattern: '^\\d{12}$',
        Description: 'The account PHI Guard is deployed in',
      },
      CentralRegion: {
        Type: 'String',
        Default: 'us-east-1',
        Description: 'The Region PHI Guard is deployed in',
      },
      Stage: {
        Type: 'String',
        Default: 'dev',
        AllowedPattern: '^[a-zA-Z0-9-]+$',
        Description: 'The central stack stage (osls deploy --stage)',
      },
      MemberRoleName: {
        Type: 'String',
        Default: DEFAULT_MEMBER_ROLE_NAME,
        AllowedPattern: '^[\\w+=,.@-]{1,64}$',
        Description: 'The role PHI Guard assumes here (its PHIGUARD_MEMBER_ROLE_NAME)',
      },
      ExternalId: {
        Type: 'String',
        Default: '',
        NoEcho: true,
        Description: 'The external id PHI Guard passes (its PHIGUARD_MEMBER_EXTERNAL_ID); empty for none',
      },
      RoleRegion: {
        Type: 'String',
        Default: 'us-east-1',
        Description: 'The one Region of each account where the member role (IAM is global) is created',
      },
    },
    Conditions: {
      HasExternalId: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ExternalId' }, ''] }] },
      IsCentralAccount: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'CentralAccountId' }] },
      IsRoleRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'RoleRegion' }] },
      IsCentralRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'CentralRegion' }] },
      CreateMemberRole: {
        'Fn::And': [{ Condition: 'IsRoleRegion' }, { 'Fn::Not': [{ Condition: 'IsCentralAccount' }] }],
      },
      ForwardEvents: {
        'Fn::Not': [{ 'Fn::And': [{ Condition: 'IsCentralAccount' }, { Condition: 'IsCentralRegion' }] }],
      },
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'CreateMemberRole',
        Properties: {
          RoleName: { Ref: 'MemberRoleName' },
          Description:
            "PHI Guard acts here through this role: only the central PHI Guard functions may assume it, only the rules' permissions",
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'CentralPhiGuardFunctions',
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${CentralAccountId}:root` } },
                Action: 'sts:AssumeRole',
                // Only those roles of the central account, never the account as a whole.
                Condition: {
                  'Fn::If': [
                    'HasExternalId',
                    {
                      ArnEquals: { 'aws:PrincipalArn': trustedRoles },
                      StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
                    },
                    { ArnEquals: { 'aws:PrincipalArn': trustedRoles } },
                  ],
                },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'rules',
              PolicyDocument: { Version: '2012-10-17', Statement: rulePolicyStatements(rules) },
            },
            {
              PolicyName: 'heartbeat',
              PolicyDocument: { Version: '2012-10-17', Statement: [HEARTBEAT_STATEMENT] },
            },
          ],
        },
      },
      ForwardEventsRole: {
        Type: 'AWS::IAM::Role',
        Condition: 'ForwardEvents',
        Properties: {
          // Named, so PHI Guard can put a dropped target back with it (src/own-event-rules.ts).
          RoleName: { 'Fn::Sub': forwardRoleName(`\${Stage}`, `\${AWS::Region}`) },
          Description: "PHI Guard: EventBridge forwards this account's drift events to the central bus",
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'forward',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Sid: 'CentralBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: centralBusArn },
                ],
              },
            },
          ],
        },
      },
      ...forwardingRules,
    },
    Outputs: {
      MemberRoleArn: {
        Condition: 'CreateMemberRole',
        Description: 'The role PHI Guard assumes in this account',
        Value: { 'Fn::GetAtt': ['MemberRole', 'Arn'] },
      },
    },
  };
}

/** The file's text as `npm run docs` writes it. */
export function memberTemplateText(rules: readonly Rule[] = registry): string {
  return `${JSON.stringify(memberTemplate(rules), null, 2)}\n`;
}
