import type { Notification } from './notification';
import type { ChannelName, NotifierSettings, Route } from './settings';

function matches(route: Route, n: Notification): boolean {
  if (route.dryRun !== undefined && route.dryRun !== n.dryRun) return false;
  // A deleted resource is news only where its state is kept (Security Hub archives the
  // finding): a route takes `gone` only when it names it, never by having no `kinds`.
  if (n.kind === 'gone' && !route.kinds?.includes('gone')) return false;
  if (route.kinds && !route.kinds.includes(n.kind)) return false;
  if (route.severities && !route.severities.includes(n.severity)) return false;
  if (route.rules && !route.rules.includes(n.rule)) return false;
  return true;
}

/** The configured channels a notification goes to, each once. */
export function channelsFor(
  n: Notification,
  settings: NotifierSettings,
  configured: ReadonlySet<ChannelName>,
): ChannelName[] {
  const chosen = new Set<ChannelName>();
  for (const route of settings.routes) {
    if (!matches(route, n)) continue;
    for (const channel of route.channels) {
      // Without a review channel, review messages go to the main Slack channel.
      const target = channel === 'slack-review' && !configured.has('slack-review') ? 'slack' : channel;
      if (configured.has(target)) chosen.add(target);
    }
  }
  return [...chosen];
}

export function configuredChannels(settings: NotifierSettings): Set<ChannelName> {
  const channels = new Set<ChannelName>();
  if (settings.slack) channels.add('slack');
  if (settings.slackReview) channels.add('slack-review');
  if (settings.snsTopicArn) channels.add('sns');
  if (settings.jira) channels.add('jira');
  if (settings.servicenow) channels.add('servicenow');
  if (settings.opscenter) channels.add('opscenter');
  if (settings.securityHub) channels.add('securityhub');
  return channels;
}
