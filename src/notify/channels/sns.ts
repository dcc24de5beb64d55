import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { digestSummary, subjectOf } from '../format';
import { NOTIFICATION_VERSION, type Notification } from '../notification';
import type { MessageChannel } from './channel';

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

const attr = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

const SEVERITY_ORDER = ['low', 'medium', 'high', 'critical'];

/**
 * The KMS-encrypted topic: the versioned JSON document as the message, a readable
 * Subject, and attributes (severity, rule, status, account, kind) to filter on.
 */
export class SnsChannel implements MessageChannel {
  readonly name = 'sns' as const;

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(n: Notification): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject(subjectOf(n)),
        Message: JSON.stringify(n),
        MessageAttributes: {
          severity: attr(n.severity),
          rule: attr(n.rule),
          status: attr(n.status),
          kind: attr(n.kind),
          account: attr(n.account ?? 'unknown'),
        },
      }),
    );
  }

  async sendDigest(all: readonly Notification[], items: number): Promise<void> {
    const rules = [...new Set(all.map((n) => n.rule))];
    const severity = all.reduce(
      (top, n) => (SEVERITY_ORDER.indexOf(n.severity) > SEVERITY_ORDER.indexOf(top) ? n.severity : top),
      'low',
    );
    const accounts = [...new Set(all.map((n) => n.account ?? 'unknown'))];
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject(`[PHI Guard] Digest: ${all.length} outcomes (${digestSummary(all)})`),
        Message: JSON.stringify({
          version: NOTIFICATION_VERSION,
          type: 'digest',
          count: all.length,
          summary: digestSummary(all),
          items: all.slice(0, items),
        }),
        MessageAttributes: {
          severity: attr(severity),
          rule: attr(rules.length === 1 ? (rules[0] as string) : 'multiple'),
          status: attr('digest'),
          kind: attr('digest'),
          account: attr(accounts.length === 1 ? (accounts[0] as string) : 'multiple'),
        },
      }),
    );
  }
}
