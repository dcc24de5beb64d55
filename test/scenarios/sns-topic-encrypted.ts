import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  SetTopicAttributesCommand,
} from '@aws-sdk/client-sns';
import { expect } from 'vitest';
import { topicEvent } from '../../local/fixtures';
import { sns } from '../../src/resources/sns/topic';
import { uniqueName } from '../support/moto';
import type { MockAws, RuleScenarios } from '../support/scenario';

const ARN = 'arn:aws:sns:us-east-1:123456789012:phi-lab-results';

/** A topic's attributes behind the mocked client; SetTopicAttributes sets one. */
export function fakeTopic(
  mocks: MockAws,
  attributes: Record<string, string>,
  tags: { Key: string; Value: string }[] = [],
) {
  const stub = mocks.client(sns);
  stub.on(GetTopicAttributesCommand).callsFake(() => ({ Attributes: { ...attributes } }));
  stub.on(SetTopicAttributesCommand).callsFake((input: { AttributeName: string; AttributeValue: string }) => {
    attributes[input.AttributeName] = input.AttributeValue;
    return {};
  });
  stub.on(ListTagsForResourceCommand).resolves({ Tags: tags });
  return stub;
}

export default {
  drifted: [
    {
      name: 'a topic without a KMS key',
      arn: ARN,
      aws: (mocks) => fakeTopic(mocks, { TopicArn: ARN }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'sns/SetTopicAttributes.1.json': ['arn:aws:sns:us-east-1:123456789123:test'],
    'sns/SetTopicAttributes.2.json': ['arn:aws:sns:us-east-1:123456789123:test'],
  },
  emulator: {
    async seed(clients) {
      const out = await clients.get(sns).send(new CreateTopicCommand({ Name: uniqueName('phi-results') }));
      return out.TopicArn as string;
    },
    expect: 'remediated',
    event: (arn) => topicEvent('sns/SetTopicAttributes.kms-removed', arn),
    async fixed(clients, arn) {
      const out = await clients.get(sns).send(new GetTopicAttributesCommand({ TopicArn: arn }));
      expect(out.Attributes?.KmsMasterKeyId).toBe('alias/aws/sns');
    },
  },
} satisfies RuleScenarios;
