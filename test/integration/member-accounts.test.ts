import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueEvent } from '../../local/fixtures';
import { createAwsClients } from '../../src/aws-clients';
import { DynamoDbLedger } from '../../src/ledger/dynamodb-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import { sqs } from '../../src/resources/sqs/queue';
import { lambdaContext, loadEmulatorHandler } from '../support/handler';
import { motoEndpoint, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * An event of another account of the organisation is acted on through that
 * account's member role, against moto: credentials from its AssumeRole act in the
 * role's account (moto lets every AssumeRole succeed: the refusal is tested with
 * client mocks, test/unit/member-accounts.test.ts).
 */
const MEMBER = '210987654321';
let memberSqs: SQSClient;
let centralSqs: SQSClient;
let table: string;

beforeAll(async () => {
  useMoto();
  const sts = new STSClient({ region: REGION, endpoint: motoEndpoint() });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${MEMBER}:role/phiguard-member`,
      RoleSessionName: 'seed',
    }),
  );
  memberSqs = createAwsClients({
    region: REGION,
    overrides: {
      endpoint: motoEndpoint(),
      credentials: {
        accessKeyId: Credentials?.AccessKeyId as string,
        secretAccessKey: Credentials?.SecretAccessKey as string,
        sessionToken: Credentials?.SessionToken as string,
      },
    },
  }).get(sqs);
  centralSqs = createAwsClients({ region: REGION, overrides: { endpoint: motoEndpoint() } }).get(sqs);
  table = uniqueName('member-ledger');
  await initLedgerTable(new DynamoDBClient({ region: REGION }), table);
});

const encryption = async (client: SQSClient, name: string) => {
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
  const out = await client.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled'] }),
  );
  return out.Attributes?.SqsManagedSseEnabled;
};

describe('an event of a member account, against moto', () => {
  it('is fixed in the member account through its role, and the same-named queue of the central account is untouched', async () => {
    const name = uniqueName('phi-intake');
    const unencrypted = { QueueName: name, Attributes: { SqsManagedSseEnabled: 'false' } };
    await memberSqs.send(new CreateQueueCommand(unencrypted));
    await centralSqs.send(new CreateQueueCommand(unencrypted));
    const event = queueEvent('sqs/SetQueueAttributes.sse-off', `arn:aws:sqs:${REGION}:${MEMBER}:${name}`);
    event.detail.recipientAccountId = MEMBER;

    const handler = await loadEmulatorHandler(table);
    const result = await handler(event, lambdaContext);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        rule: 'sqs-queue-encrypted',
        status: 'remediated',
        resource: `arn:aws:sqs:${REGION}:${MEMBER}:${name}`,
      }),
    ]);
    expect(await encryption(memberSqs, name)).toBe('true');
    expect(await encryption(centralSqs, name)).toBe('false');
    // The audit trail names the account acted in.
    const history = await new DynamoDbLedger(table, new DynamoDBClient({ region: REGION })).history({
      resource: `arn:aws:sqs:${REGION}:${MEMBER}:${name}`,
    });
    expect(history.map((e) => [e.status, e.account])).toEqual([['remediated', MEMBER]]);
  });
});
