/**
 * The event functions of the stack, one per CloudTrail event source
 * (src/event-functions.ts): each function's serverless definition with its
 * EventBridge rule, and its role, encrypted log group and metric filter. Handed
 * to serverless.yml by `infra/stack-fragments.cjs` (`functions:` and
 * `resources:` are lists there, merged by the framework).
 */
import { rules as registry } from '../remediations';
import { NOTIFICATIONS_NOT_ENQUEUED } from '../src/engine/settle';
import { eventFunctionGroups, pascalKey } from '../src/event-functions';
import type { Rule } from '../src/rule';
import {
  eventBridgeSource,
  eventPatterns,
  LEDGER_ITEM_ACTIONS,
  rulePolicyStatements,
} from './stack-fragments';

export interface StackNames {
  stage: string;
  /** PHIGUARD_EXTRA_SELF_PRINCIPALS as given at deploy (comma-separated, may be empty). */
  extraSelfPrincipals: string;
}

const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });

/** The serverless function key (`onS3Event`), from which the framework derives `OnS3EventLambdaFunction`. */
export const eventFunctionName = (key: string) => `on${pascalKey(key)}Event`;
export const eventRoleLogicalId = (key: string) => `On${pascalKey(key)}EventRole`;
export const eventLogGroupLogicalId = (key: string) => `On${pascalKey(key)}EventLogGroup`;

/**
 * Loop prevention: every role whose calls are PHI Guard's own fixes (each event
 * function's, the sweep worker's and any listed at deploy), for every function
 * that judges events.
 */
export function selfPrincipals(names: StackNames, rules: readonly Rule[] = registry) {
  return {
    'Fn::Join': [
      ',',
      [
        ...eventFunctionGroups(rules).map(({ key }) => getAtt(eventRoleLogicalId(key), 'Arn')),
        getAtt('SweepWorkerRole', 'Arn'),
        names.extraSelfPrincipals,
      ],
    ],
  };
}

/** `functions:` entries: one function per event source, fed by one EventBridge rule. */
export function eventFunctions(names: StackNames, rules: readonly Rule[] = registry) {
  const patterns = eventPatterns(rules);
  return Object.fromEntries(
    eventFunctionGroups(rules).map(({ key, eventSource }) => {
      const pattern = patterns.find((p) => p.detail.eventSource[0] === eventSource);
      return [
        eventFunctionName(key),
        {
          name: `phiguard-${names.stage}-on-${key}`,
          description: `PHI Guard - check and remediate HIPAA drift from ${eventSource} events`,
          handler: `handlers/events/${key}.handler`,
          role: eventRoleLogicalId(key),
          kmsKeyArn: getAtt('PhiGuardKey', 'Arn'),
          environment: {
            PHIGUARD_LEDGER_TABLE: { Ref: 'LedgerTable' },
            PHIGUARD_NOTIFY_QUEUE_URL: { Ref: 'NotifyQueue' },
            PHIGUARD_SELF_PRINCIPALS: selfPrincipals(names, rules),
          },
          // EventBridge invokes asynchronously: a thrown error is retried twice, then
          // the event lands in the dead-letter queue for redrive. Nothing is dropped.
          maximumRetryAttempts: 2,
          maximumEventAge: 21600,
          destinations: { onFailure: { type: 'sqs', arn: getAtt('EventsDeadLetterQueue', 'Arn') } },
          events: [
            {
              eventBridge: {
                name: `phiguard-${names.stage}-${eventBridgeSource(eventSource).replace(/^aws\./, '')}`,
                description: `PHI Guard: ${eventSource} drift events`,
                pattern,
                retryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 10 },
                deadLetterQueueArn: getAtt('EventsDeadLetterQueue', 'Arn'),
              },
            },
          ],
        },
      ];
    }),
  );
}

/** `resources:` fragment: each event function's role (its rules' permissions only), log group and metric filter. */
export function eventFunctionResources(names: StackNames, rules: readonly Rule[] = registry) {
  const resources: Record<string, unknown> = {};
  for (const { key, eventSource, rules: own } of eventFunctionGroups(rules)) {
    const functionName = `phiguard-${names.stage}-on-${key}`;
    resources[eventRoleLogicalId(key)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: { 'Fn::Sub': `phiguard-${names.stage}-\${AWS::Region}-on-${key}` },
        Description: `PHI Guard ${eventSource} event function - only what its rules declare`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [
          {
            PolicyName: 'rules',
            PolicyDocument: { Version: '2012-10-17', Statement: rulePolicyStatements(own) },
          },
          {
            PolicyName: 'runtime',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'OwnLogs',
                  Effect: 'Allow',
                  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                  Resource: {
                    'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName}:*`,
                  },
                },
                {
                  Sid: 'DeadLetterFailedEvents',
                  Effect: 'Allow',
                  Action: 'sqs:SendMessage',
                  Resource: getAtt('EventsDeadLetterQueue', 'Arn'),
                },
                {
                  Sid: 'ActionRegistryItems',
                  Effect: 'Allow',
                  Action: LEDGER_ITEM_ACTIONS,
                  Resource: getAtt('LedgerTable', 'Arn'),
                },
                {
                  Sid: 'EnqueueNotifications',
                  Effect: 'Allow',
                  Action: 'sqs:SendMessage',
                  Resource: getAtt('NotifyQueue', 'Arn'),
                },
                {
                  Sid: 'UseStackKey',
                  Effect: 'Allow',
                  Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
                  Resource: getAtt('PhiGuardKey', 'Arn'),
                },
              ],
            },
          },
        ],
      },
    };
    // Merged into the log group the framework generates (name, retention): encrypted with the stack's key.
    resources[eventLogGroupLogicalId(key)] = {
      Type: 'AWS::Logs::LogGroup',
      Properties: { KmsKeyId: getAtt('PhiGuardKey', 'Arn') },
    };
    // A fix whose notification could not be queued is logged, not retried (src/engine/settle.ts,
    // NOTIFICATIONS_NOT_ENQUEUED); the stack's NotificationsNotEnqueuedAlarm sums these counts.
    resources[`On${pascalKey(key)}EventNotificationsNotEnqueuedFilter`] = {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: eventLogGroupLogicalId(key) },
        FilterPattern: `{ $.message = "${NOTIFICATIONS_NOT_ENQUEUED}" }`,
        MetricTransformations: [
          {
            MetricNamespace: `PhiGuard/${names.stage}`,
            MetricName: 'NotificationsNotEnqueued',
            MetricValue: '1',
          },
        ],
      },
    };
  }
  return {
    Resources: resources,
    Outputs: {
      EventFunctionRoleArns: {
        Description: 'The event functions roles, one per CloudTrail event source',
        Value: {
          'Fn::Join': [
            ',',
            eventFunctionGroups(rules).map(({ key }) => getAtt(eventRoleLogicalId(key), 'Arn')),
          ],
        },
      },
    },
  };
}
