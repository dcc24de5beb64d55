import { digestSummary, KIND_LABEL, plainLines, safeguardsText, subjectOf } from '../format';
import type { HttpOptions } from '../http';
import { sendJson } from '../http';
import type { Notification } from '../notification';
import type { MessageChannelName } from '../settings';
import type { MessageChannel } from './channel';

/** Slack mrkdwn treats &, < and > as markup. */
function esc(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Block Kit for one outcome, with the plain-text fallback Slack shows in notifications. */
export function slackMessage(n: Notification): Record<string, unknown> {
  const fields = [
    `*Rule*\n\`${esc(n.rule)}\` ${esc(n.title)}`,
    `*HIPAA safeguard*\n${esc(safeguardsText(n))}`,
    `*Resource*\n\`${esc(n.resource)}\``,
    `*Account / region*\n${esc(n.account ?? 'unknown')} / ${esc(n.region ?? 'unknown')}`,
    `*Caused by*\n${esc(n.actor ?? 'unknown')}`,
    `*Severity*\n${esc(n.severity)}${n.dryRun ? ' (dry-run)' : ''}`,
  ];
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip(subjectOf(n).replace('[PHI Guard] ', ''), 150) },
    },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text: clip(text, 2000) })) },
  ];
  if (n.actions.length > 0) {
    const title = n.kind === 'remediated' ? '*Actions taken*' : '*Actions planned*';
    const list = n.actions.map((a) => `• \`${esc(a.api)}\` ${esc(JSON.stringify(a.params))}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`${title}\n${list}`, 3000) } });
  }
  const context = [n.reason, n.findings?.join('; ')].filter(Boolean).join(' — ');
  if (context)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(esc(context), 3000) }] });
  if (n.consoleUrl) {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Open in the AWS console' }, url: n.consoleUrl },
      ],
    });
  }
  return { text: clip(plainLines(n).join('\n'), 3000), blocks };
}

export function slackDigest(all: readonly Notification[], items: number): Record<string, unknown> {
  const summary = `${all.length} outcomes: ${digestSummary(all)}`;
  const shown = all
    .slice(0, items)
    .map((n) => `• ${KIND_LABEL[n.kind]}: \`${esc(n.rule)}\` on \`${esc(n.resource)}\``)
    .join('\n');
  const more = all.length > items ? `\n…and ${all.length - items} more (phiguard history has every one)` : '';
  return {
    text: `[PHI Guard] Digest: ${summary}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'PHI Guard digest' } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(esc(summary), 3000) } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`${shown}${more}`, 3000) } },
    ],
  };
}

/** An incoming webhook; the URL is a secret, resolved once and never logged. */
export class SlackChannel implements MessageChannel {
  constructor(
    readonly name: MessageChannelName,
    private readonly webhookUrl: () => Promise<string>,
    private readonly http: HttpOptions,
  ) {}

  async send(n: Notification): Promise<void> {
    await sendJson('POST', await this.webhookUrl(), slackMessage(n), this.http);
  }

  async sendDigest(all: readonly Notification[], items: number): Promise<void> {
    await sendJson('POST', await this.webhookUrl(), slackDigest(all, items), this.http);
  }
}
