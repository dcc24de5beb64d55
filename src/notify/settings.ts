import { partitionOf, REGION_NAME } from '../arn';
import { booleanValue, wholeNumberValue } from '../env-values';
import { ConfigError } from '../errors';
import * as z from '../zod';
import { NOTIFICATION_KINDS } from './notification';
import { parseSecretRef, type SecretRef } from './secret-ref';

/**
 * Where notifications go and how. Read from the environment once, at start-up.
 * Secrets (the Slack webhook URL, Jira and ServiceNow credentials) are never in
 * the environment: only a reference to SSM Parameter Store (`ssm:/name`, a
 * SecureString) or Secrets Manager (`secretsmanager:name` or its ARN).
 */
export const MESSAGE_CHANNELS = ['slack', 'slack-review', 'sns', 'securityhub'] as const;
export const TICKET_SINKS = ['jira', 'servicenow', 'opscenter'] as const;
export const CHANNELS = [...MESSAGE_CHANNELS, ...TICKET_SINKS] as const;
export type MessageChannelName = (typeof MESSAGE_CHANNELS)[number];
export type TicketSinkName = (typeof TICKET_SINKS)[number];
export type ChannelName = (typeof CHANNELS)[number];

const routeSchema = z.strictObject({
  channels: z.array(z.enum(CHANNELS)).check(z.minLength(1)),
  kinds: z.optional(z.array(z.enum(NOTIFICATION_KINDS))),
  severities: z.optional(z.array(z.enum(['critical', 'high', 'medium', 'low']))),
  rules: z.optional(z.array(z.string())),
  /** true: only dry-run outcomes; false: only real ones; absent: both. */
  dryRun: z.optional(z.boolean()),
});
export type Route = z.infer<typeof routeSchema>;

export interface NotifierSettings {
  slack?: SecretRef;
  slackReview?: SecretRef;
  snsTopicArn?: string;
  jira?: {
    url: string;
    project: string;
    issueType: string;
    credentials: SecretRef;
    doneTransition: string;
    priorities: Record<string, string>;
  };
  servicenow?: { url: string; credentials: SecretRef; assignmentGroup?: string };
  opscenter: boolean;
  /** Security Hub findings, imported into this account's and Region's default product. */
  securityHub?: { account: string; region: string; partition: string };
  routes: Route[];
  digest: { threshold: number; items: number };
  http: { timeoutMs: number; attempts: number; maxRetryAfterMs: number };
}

/**
 * Default routing: real outcomes to the chat and topic, the ones a person must
 * handle (and their resolution) to the ticket sinks; dry-run outcomes only to the
 * review channel (Slack's main channel when no review channel is configured) and
 * the topic, whose subscribers can filter on the `status` attribute; every
 * outcome to Security Hub, whose finding it creates or updates.
 */
export const DEFAULT_ROUTES: Route[] = [
  {
    dryRun: false,
    kinds: ['remediated', 'needs-person', 'fight', 'error', 'resolved'],
    channels: ['slack', 'sns'],
  },
  {
    dryRun: false,
    kinds: ['needs-person', 'fight', 'error', 'resolved'],
    channels: ['jira', 'servicenow', 'opscenter'],
  },
  { dryRun: true, channels: ['slack-review', 'sns'] },
  // Security Hub holds the state of every finding: drift found (also in dry-run), fixed,
  // resolved, and archived when its resource is gone.
  { kinds: [...NOTIFICATION_KINDS], channels: ['securityhub'] },
];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  return wholeNumberValue(name, env[name], min, max) ?? fallback;
}

function httpsUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  // Loopback over plain HTTP is allowed for local test doubles only.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:')) {
    throw new ConfigError(`${name} must use https://`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadNotifierSettings(env: NodeJS.ProcessEnv = process.env): NotifierSettings {
  const ref = (name: string) => (env[name] ? parseSecretRef(name, env[name] as string) : undefined);
  let routes = DEFAULT_ROUTES;
  if (env.PHIGUARD_NOTIFY_ROUTES) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.PHIGUARD_NOTIFY_ROUTES);
    } catch (error) {
      throw new ConfigError('PHIGUARD_NOTIFY_ROUTES must be a JSON array of routes', { cause: error });
    }
    const parsed = z.array(routeSchema).safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new ConfigError(`PHIGUARD_NOTIFY_ROUTES is invalid: ${issues}`, { cause: parsed.error });
    }
    routes = parsed.data;
  }

  let jira: NotifierSettings['jira'];
  if (env.PHIGUARD_JIRA_URL) {
    const credentials = ref('PHIGUARD_JIRA_SECRET');
    if (!credentials || !env.PHIGUARD_JIRA_PROJECT) {
      throw new ConfigError(
        'Jira needs PHIGUARD_JIRA_PROJECT and PHIGUARD_JIRA_SECRET (a reference to {"email","apiToken"})',
      );
    }
    jira = {
      url: httpsUrl('PHIGUARD_JIRA_URL', env.PHIGUARD_JIRA_URL),
      project: env.PHIGUARD_JIRA_PROJECT,
      issueType: env.PHIGUARD_JIRA_ISSUE_TYPE || 'Task',
      credentials,
      doneTransition: env.PHIGUARD_JIRA_DONE_TRANSITION || 'Done',
      priorities: { critical: 'Highest', high: 'High', medium: 'Medium', low: 'Low' },
    };
  }

  let servicenow: NotifierSettings['servicenow'];
  if (env.PHIGUARD_SERVICENOW_URL) {
    const credentials = ref('PHIGUARD_SERVICENOW_SECRET');
    if (!credentials) {
      throw new ConfigError(
        'ServiceNow needs PHIGUARD_SERVICENOW_SECRET (a reference to {"username","password"})',
      );
    }
    servicenow = {
      url: httpsUrl('PHIGUARD_SERVICENOW_URL', env.PHIGUARD_SERVICENOW_URL),
      credentials,
      assignmentGroup: env.PHIGUARD_SERVICENOW_ASSIGNMENT_GROUP || undefined,
    };
  }

  const topic = env.PHIGUARD_SNS_TOPIC_ARN || undefined;
  if (topic && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/.test(topic)) {
    throw new ConfigError('PHIGUARD_SNS_TOPIC_ARN must be an SNS topic ARN');
  }

  let securityHub: NotifierSettings['securityHub'];
  if (booleanValue('PHIGUARD_SECURITY_HUB', env.PHIGUARD_SECURITY_HUB, false)) {
    const region = env.AWS_REGION ?? '';
    if (!/^\d{12}$/.test(env.PHIGUARD_ACCOUNT_ID ?? '') || !REGION_NAME.test(region)) {
      throw new ConfigError(
        'Security Hub needs PHIGUARD_ACCOUNT_ID and AWS_REGION: findings go to that account and Region (the stack sets both)',
      );
    }
    securityHub = { account: env.PHIGUARD_ACCOUNT_ID as string, region, partition: partitionOf(region) };
  }

  return {
    slack: ref('PHIGUARD_SLACK_WEBHOOK'),
    slackReview: ref('PHIGUARD_SLACK_REVIEW_WEBHOOK'),
    snsTopicArn: topic,
    jira,
    servicenow,
    opscenter: booleanValue('PHIGUARD_OPSCENTER', env.PHIGUARD_OPSCENTER, false),
    securityHub,
    routes,
    digest: {
      threshold: integer(env, 'PHIGUARD_DIGEST_THRESHOLD', 20, 2, 10_000),
      items: integer(env, 'PHIGUARD_DIGEST_ITEMS', 10, 1, 50),
    },
    http: {
      timeoutMs: integer(env, 'PHIGUARD_NOTIFY_TIMEOUT_MS', 5000, 100, 60_000),
      attempts: integer(env, 'PHIGUARD_NOTIFY_ATTEMPTS', 3, 1, 10),
      maxRetryAfterMs: integer(env, 'PHIGUARD_NOTIFY_MAX_RETRY_AFTER_SECONDS', 20, 0, 300) * 1000,
    },
  };
}

/** The settings narrowed to one channel, routing every message there (`phiguard notify test`). */
export function onlyChannel(settings: NotifierSettings, channel: ChannelName): NotifierSettings {
  return {
    ...settings,
    slack: channel === 'slack' ? settings.slack : undefined,
    slackReview: channel === 'slack-review' ? settings.slackReview : undefined,
    snsTopicArn: channel === 'sns' ? settings.snsTopicArn : undefined,
    jira: channel === 'jira' ? settings.jira : undefined,
    servicenow: channel === 'servicenow' ? settings.servicenow : undefined,
    opscenter: channel === 'opscenter' && settings.opscenter,
    securityHub: channel === 'securityhub' ? settings.securityHub : undefined,
    routes: [{ channels: [channel] }],
  };
}
