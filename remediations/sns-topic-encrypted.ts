/**
 * §164.312(a)(2)(iv) Encryption and decryption: messages carrying PHI are
 * encrypted at rest in SNS. Compliant means the topic has a KMS key
 * (`KmsMasterKeyId`), whichever it is.
 *
 * The fix sets `KmsMasterKeyId` only (SetTopicAttributes changes one attribute):
 * the configured key (PHIGUARD_SNS_KMS_KEY_ID), else the AWS-managed key
 * `alias/aws/sns`. Publishers in the account keep working with either (SNS uses the
 * key on their behalf); AWS services do not: the AWS-managed key's policy cannot be
 * changed to let CloudWatch alarms, EventBridge or S3 notifications use it. So a
 * topic whose policy grants an AWS service is a ticket unless a customer-managed
 * key is configured (its key policy must allow those services; README).
 * Subscribers are unaffected: SNS decrypts before delivering.
 *
 * Events: CreateTopic (a new topic is unencrypted) and SetTopicAttributes (the key
 * removed).
 */
import { GetTopicAttributesCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import { parsePolicy, toList } from '../src/policy-document';
import { isTopicGone, sns, snsTopic } from '../src/resources/sns/topic';
import { defineRule } from '../src/rule';
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';

export const snsKmsKeyId = ruleSetting({
  env: 'PHIGUARD_SNS_KMS_KEY_ID',
  file: 'sns.kmsKeyId',
  description:
    'KMS key (id, ARN or alias) for SNS topic encryption; its key policy must let the AWS services that publish to your topics use it',
  unset: 'the AWS-managed key alias/aws/sns (topics AWS services publish to become tickets)',
  schema: z.string().check(z.minLength(1)),
});

interface Observed {
  /** AWS service principals the topic's policy lets publish (`events.amazonaws.com`). */
  publishingServices: string[];
}

/** The AWS services a topic policy allows anything; an unreadable policy names none. */
function servicesAllowedBy(policy: string | undefined): string[] {
  if (!policy) return [];
  try {
    const services = parsePolicy(policy)
      .Statement.filter((s) => s.Effect === 'Allow')
      .flatMap((s) => toList((s.Principal as { Service?: unknown } | undefined)?.Service));
    return [...new Set(services)].sort();
  } catch {
    return [];
  }
}

const settings = { kmsKeyId: snsKmsKeyId };

export default defineRule<Observed, typeof settings>({
  id: 'sns-topic-encrypted',
  title: 'SNS topic must encrypt messages at rest with KMS',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'KmsMasterKeyId = the configured key, else alias/aws/sns; a topic AWS services publish to, without a configured key → ticket',
  resource: snsTopic,
  triggers: [{ source: 'sns.amazonaws.com', events: ['CreateTopic', 'SetTopicAttributes'] }],
  settings,
  permissions: { read: ['sns:GetTopicAttributes'], write: ['sns:SetTopicAttributes'] },

  async check(arn, ctx) {
    const attributes = await ctx.reads.get(arn, 'sns:attributes', async () => {
      try {
        const out = await ctx.clients.get(sns).send(new GetTopicAttributesCommand({ TopicArn: arn }));
        return out.Attributes ?? {};
      } catch (error) {
        if (isTopicGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    });
    const encrypted = Boolean(attributes.KmsMasterKeyId);
    return {
      state: encrypted ? 'compliant' : 'non-compliant',
      findings: encrypted ? [] : ['no KMS key: messages are not encrypted at rest'],
      // The policy itself is never reported: only the service names it grants.
      observed: { publishingServices: servicesAllowedBy(attributes.Policy) },
      summary: { kmsEncrypted: encrypted },
    };
  },

  plan(arn, observed, ctx) {
    if (!ctx.settings.kmsKeyId && observed.publishingServices.length > 0) {
      return {
        kind: 'ticket',
        reason: `AWS services publish to this topic (${observed.publishingServices.join(', ')}) and cannot use the AWS-managed key alias/aws/sns: encrypt it with a customer-managed key whose policy allows them (${snsKmsKeyId.env})`,
      };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(sns, SetTopicAttributesCommand, {
          TopicArn: arn,
          AttributeName: 'KmsMasterKeyId',
          AttributeValue: ctx.settings.kmsKeyId ?? 'alias/aws/sns',
        }),
      ],
    };
  },
});
