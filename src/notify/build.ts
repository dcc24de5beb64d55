import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { PhiGuardConfig } from '../config';
import type { EngineLogger } from '../logger';
import type { MessageChannel, TicketSink } from './channels/channel';
import { JiraSink } from './channels/jira';
import { OpsCenterSink } from './channels/opscenter';
import { SecurityHubChannel } from './channels/security-hub';
import { ServiceNowSink } from './channels/servicenow';
import { SlackChannel } from './channels/slack';
import { SnsChannel } from './channels/sns';
import { type DeliveryRegistry, DynamoDbDeliveryRegistry } from './delivery-registry';
import { MemoryDeliveryRegistry } from './memory-delivery-registry';
import type { NotifierDeps } from './notifier';
import { type NotificationPublisher, SqsNotificationPublisher } from './queue-publisher';
import { readJsonSecret, readSecret } from './secrets';
import type { MessageChannelName, NotifierSettings, TicketSinkName } from './settings';

/** The engine's side: the notifier's queue when one is configured. */
export function createPublisher(config: PhiGuardConfig): NotificationPublisher | undefined {
  return config.notifyQueueUrl
    ? new SqsNotificationPublisher(new SQSClient({}), config.notifyQueueUrl)
    : undefined;
}

export function createDeliveryRegistry(config: PhiGuardConfig): DeliveryRegistry {
  return config.ledgerTable
    ? new DynamoDbDeliveryRegistry(config.ledgerTable, new DynamoDBClient({ maxAttempts: 4 }))
    : new MemoryDeliveryRegistry();
}

/**
 * The configured channels and ticket sinks. Secrets are read here, once (the
 * notifier calls this at cold start), and kept in memory: a missing or
 * unreadable secret fails the start, not a delivery.
 */
export async function buildChannels(
  settings: NotifierSettings,
): Promise<Pick<NotifierDeps, 'channels' | 'sinks'>> {
  const channels: Partial<Record<MessageChannelName, MessageChannel>> = {};
  const sinks: Partial<Record<TicketSinkName, TicketSink>> = {};
  if (settings.slack) {
    const url = await readSecret(settings.slack);
    channels.slack = new SlackChannel('slack', async () => url, settings.http);
  }
  if (settings.slackReview) {
    const url = await readSecret(settings.slackReview);
    channels['slack-review'] = new SlackChannel('slack-review', async () => url, settings.http);
  }
  if (settings.securityHub) {
    channels.securityhub = new SecurityHubChannel(
      new SecurityHubClient({ region: settings.securityHub.region, maxAttempts: 4 }),
      settings.securityHub,
    );
  }
  if (settings.snsTopicArn)
    channels.sns = new SnsChannel(new SNSClient({ maxAttempts: 4 }), settings.snsTopicArn);
  if (settings.jira) {
    const credentials = await readJsonSecret(settings.jira.credentials, ['email', 'apiToken'] as const);
    sinks.jira = new JiraSink(settings.jira, async () => credentials, settings.http);
  }
  if (settings.servicenow) {
    const credentials = await readJsonSecret(settings.servicenow.credentials, [
      'username',
      'password',
    ] as const);
    sinks.servicenow = new ServiceNowSink(settings.servicenow, async () => credentials, settings.http);
  }
  if (settings.opscenter) sinks.opscenter = new OpsCenterSink(new SSMClient({ maxAttempts: 4 }));
  return { channels, sinks };
}

export async function buildNotifierDeps(
  settings: NotifierSettings,
  config: PhiGuardConfig,
  logger: EngineLogger,
): Promise<NotifierDeps> {
  return { settings, ...(await buildChannels(settings)), registry: createDeliveryRegistry(config), logger };
}
