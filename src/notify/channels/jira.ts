import { KIND_LABEL, plainLines, subjectOf } from '../format';
import { DeliveryError, type HttpOptions, sendJson } from '../http';
import type { Notification } from '../notification';
import type { NotifierSettings } from '../settings';
import type { TicketRef, TicketSink } from './channel';

type JiraSettings = NonNullable<NotifierSettings['jira']>;

/** Atlassian Document Format: one paragraph per line, URLs as links. */
export function adf(lines: readonly string[]): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: lines.map((line) => ({
      type: 'paragraph',
      content: [
        /^Console: https:\/\//.test(line)
          ? {
              type: 'text',
              text: line,
              marks: [{ type: 'link', attrs: { href: line.slice('Console: '.length) } }],
            }
          : { type: 'text', text: line },
      ],
    })),
  };
}

/** Jira Cloud REST v3: create issue, comment, transition to done. */
export class JiraSink implements TicketSink {
  readonly name = 'jira' as const;

  constructor(
    private readonly settings: JiraSettings,
    private readonly credentials: () => Promise<{ email: string; apiToken: string }>,
    private readonly http: HttpOptions,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const { email, apiToken } = await this.credentials();
    return sendJson(method, `${this.settings.url}${path}`, body, {
      ...this.http,
      headers: { authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}` },
    });
  }

  async open(n: Notification): Promise<TicketRef> {
    const created = (await this.call('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: this.settings.project },
        issuetype: { name: this.settings.issueType },
        summary: subjectOf(n).slice(0, 254),
        description: adf(plainLines(n)),
        priority: { name: this.settings.priorities[n.severity] ?? 'Medium' },
        labels: ['phiguard', n.rule],
      },
    })) as { id?: string; key?: string } | undefined;
    if (!created?.key || !created.id) {
      throw new DeliveryError('Jira created no issue key', { permanent: false });
    }
    return { key: created.key, id: created.id };
  }

  async comment(ticket: TicketRef, n: Notification): Promise<void> {
    await this.call('POST', `/rest/api/3/issue/${encodeURIComponent(ticket.key)}/comment`, {
      body: adf([`${KIND_LABEL[n.kind]} again at ${n.time}.`, ...plainLines(n).slice(1)]),
    });
  }

  async resolve(ticket: TicketRef, n: Notification): Promise<void> {
    const key = encodeURIComponent(ticket.key);
    await this.call('POST', `/rest/api/3/issue/${key}/comment`, {
      body: adf([`PHI Guard found ${n.resource} compliant again at ${n.time}; closing.`]),
    });
    const { transitions = [] } = ((await this.call('GET', `/rest/api/3/issue/${key}/transitions`)) ?? {}) as {
      transitions?: { id: string; name: string }[];
    };
    const done = transitions.find((t) => t.name.toLowerCase() === this.settings.doneTransition.toLowerCase());
    // A workflow without that transition keeps the ticket open, with the closing comment.
    if (done)
      await this.call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: done.id } });
  }
}
