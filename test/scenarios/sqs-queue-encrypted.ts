import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import { queueEvent } from '../../local/fixtures';
import { queueOf, sqs } from '../../src/resources/sqs/queue';
import { uniqueName } from '../support/moto';
import type { MockAws, RuleScenarios } from '../support/scenario';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:phi-claims-intake';

/** A queue's encryption attributes behind the mocked client; SetQueueAttributes merges into them. */
export function fakeQueue(
  mocks: MockAws,
  attributes: Record<string, string>,
  tags: Record<string, string> = {},
) {
  const stub = mocks.client(sqs);
  stub.on(GetQueueUrlCommand).callsFake((input: { QueueName: string; QueueOwnerAWSAccountId: string }) => ({
    QueueUrl: `https://sqs.us-east-1.amazonaws.com/${input.QueueOwnerAWSAccountId}/${input.QueueName}`,
  }));
  stub.on(GetQueueAttributesCommand).callsFake(() => ({ Attributes: { ...attributes } }));
  stub.on(SetQueueAttributesCommand).callsFake((input: { Attributes: Record<string, string> }) => {
    Object.assign(attributes, input.Attributes);
    return {};
  });
  stub.on(ListQueueTagsCommand).resolves({ Tags: tags });
  return stub;
}

export default {
  drifted: [
    {
      name: 'a queue with server-side encryption off',
      arn: ARN,
      aws: (mocks) => fakeQueue(mocks, { SqsManagedSseEnabled: 'false', VisibilityTimeout: '60' }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'sqs/CreateQueue.1.json': ['arn:aws:sqs:us-east-2:123456789012:MyQueue'],
    'sqs/CreateQueue.2.json': ['arn:aws:sqs:us-east-1:123456789012:remediator-resource-queue'],
    'sqs/SetQueueAttributes.1.json': ['arn:aws:sqs:us-east-2:123456789012:MyQueue'],
    // The queue's owner is in its URL, whoever called.
    'sqs/SetQueueAttributes.2.json': ['arn:aws:sqs:us-east-1:123456789123:tmp'],
  },
  emulator: {
    async seed(clients, region) {
      const name = uniqueName('phi-intake');
      await clients
        .get(sqs)
        .send(new CreateQueueCommand({ QueueName: name, Attributes: { SqsManagedSseEnabled: 'false' } }));
      return `arn:aws:sqs:${region}:123456789012:${name}`;
    },
    expect: 'remediated',
    event: (arn) => queueEvent('sqs/SetQueueAttributes.sse-off', arn),
    async fixed(clients, arn) {
      const { name } = queueOf(arn);
      const { QueueUrl } = await clients.get(sqs).send(new GetQueueUrlCommand({ QueueName: name }));
      const out = await clients
        .get(sqs)
        .send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled'] }));
      expect(out.Attributes?.SqsManagedSseEnabled).toBe('true');
    },
  },
} satisfies RuleScenarios;
