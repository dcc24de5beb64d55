import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { rules } from '../remediations';
import { DEAD_LETTER_QUEUES, deadLetterQueueName, ledgerTableName } from '../src/deployment-names';
import { eventBridgeSource, eventRuleSources } from '../src/event-functions';
import { initLedgerTable } from '../src/ledger/init-table';
import { eventFunctionName } from '../src/own-event-rules';

/**
 * A stand-in of the stack's moving parts in the emulator, named as the stack names
 * them (`phiguard-<stage>-…`), for `phiguard status` in the demo and its tests: the
 * event functions (with the stack's mode in their environment), one EventBridge
 * rule per event source targeting its function, the sweep and heartbeat schedules,
 * the three dead-letter queues and the registry table. The functions are never
 * invoked (the emulator runs no Lambda code here); the real stack is
 * `serverless.yml`, checked by the packaging contract tests.
 */
export interface StandInDeployment {
  stage: string;
  region: string;
  account: string;
  table: string;
  /** Queue URLs by suffix (`events-dlq`, …). */
  deadLetterQueues: Record<string, string>;
  eventRules: string[];
}

/** A zip holding one empty file: the emulator stores it, nothing runs it. */
const EMPTY_ZIP = Buffer.from(
  'UEsDBBQAAAAAACKbhV0AAAAAAAAAAAAAAAAIAAAAaW5kZXguanNQSwECFAMUAAAAAAAim4VdAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAgAEAAAAAaW5kZXguanNQSwUGAAAAAAEAAQA2AAAAJgAAAAAA',
  'base64',
);

export async function seedStandInDeployment(options: {
  stage: string;
  region: string;
  account: string;
  env: Record<string, string>;
}): Promise<StandInDeployment> {
  const { stage, region, account } = options;
  const prefix = `phiguard-${stage}-`;
  const iam = new IAMClient({ region });
  const lambda = new LambdaClient({ region });
  const events = new EventBridgeClient({ region });
  const sqs = new SQSClient({ region });
  const roleName = `${prefix}${region}-stand-in`;
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName })).catch(() =>
    iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    ),
  );
  const createFunction = async (name: string, variables: Record<string, string>) => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: role.Role?.Arn,
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        Environment: { Variables: variables },
      }),
    );
    return created.FunctionArn as string;
  };
  const rule = async (name: string, spec: { pattern?: unknown; schedule?: string }, target: string) => {
    await events.send(
      new PutRuleCommand({
        Name: name,
        State: 'ENABLED',
        ...(spec.pattern ? { EventPattern: JSON.stringify(spec.pattern) } : {}),
        ...(spec.schedule ? { ScheduleExpression: spec.schedule } : {}),
      }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: name, Targets: [{ Id: `${name}-target`, Arn: target }] }),
    );
    return name;
  };

  const eventRules: string[] = [];
  const sources = eventRuleSources(rules);
  for (const [short, key] of Object.entries(sources)) {
    const arn = await createFunction(eventFunctionName(stage, key), options.env);
    const source = eventBridgeSource(`${short}.amazonaws.com`);
    eventRules.push(await rule(`${prefix}${short}`, { pattern: { source: [source] } }, arn));
  }
  const coordinator = await createFunction(`${prefix}sweep-coordinator`, options.env);
  eventRules.push(await rule(`${prefix}sweep`, { schedule: 'rate(1 hour)' }, coordinator));
  const heartbeat = await createFunction(`${prefix}heartbeat`, {
    ...options.env,
    PHIGUARD_HEARTBEAT_MINUTES: '10',
  });
  eventRules.push(await rule(`${prefix}heartbeat-schedule`, { schedule: 'rate(10 minutes)' }, heartbeat));

  const deadLetterQueues: Record<string, string> = {};
  for (const { suffix } of DEAD_LETTER_QUEUES) {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: deadLetterQueueName(stage, suffix) }));
    deadLetterQueues[suffix] = created.QueueUrl as string;
  }
  const table = ledgerTableName(stage);
  await initLedgerTable(new DynamoDBClient({ region }), table);
  return { stage, region, account, table, deadLetterQueues, eventRules };
}
