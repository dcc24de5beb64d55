import { KIND_LABEL, plainLines, subjectOf } from '../format';
import { DeliveryError, type HttpOptions, sendJson } from '../http';
import type { Notification } from '../notification';
import type { NotifierSettings } from '../settings';
import type { TicketRef, TicketSink } from './channel';

type ServiceNowSettings = NonNullable<NotifierSettings['servicenow']>;

/** ServiceNow urgency / impact (1 high … 3 low) from the rule's severity. */
const LEVELS: Record<string, { urgency: string; impact: string }> = {
  critical: { urgency: '1', impact: '1' },
  high: { urgency: '2', impact: '1' },
  medium: { urgency: '2', impact: '2' },
  low: { urgency: '3', impact: '3' },
};

/** The Table API on `incident`: create, work notes, resolve (state 6). */
export class ServiceNowSink implements TicketSink {
  readonly name = 'servicenow' as const;

  constructor(
    private readonly settings: ServiceNowSettings,
    private readonly credentials: () => Promise<{ username: string; password: string }>,
    private readonly http: HttpOptions,
  ) {}

  private async call(method: string, path: string, body: unknown): Promise<unknown> {
    const { username, password } = await this.credentials();
    return sendJson(method, `${this.settings.url}${path}`, body, {
      ...this.http,
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
  }

  async open(n: Notification): Promise<TicketRef> {
    const level = LEVELS[n.severity] ?? { urgency: '2', impact: '2' };
    const created = (await this.call('POST', '/api/now/table/incident?sysparm_fields=sys_id,number', {
      short_description: subjectOf(n).slice(0, 160),
      description: plainLines(n).join('\n'),
      urgency: level.urgency,
      impact: level.impact,
      category: 'security',
      correlation_id: `phiguard:${n.rule}:${n.resource}`.slice(0, 100),
      ...(this.settings.assignmentGroup ? { assignment_group: this.settings.assignmentGroup } : {}),
    })) as { result?: { sys_id?: string; number?: string } } | undefined;
    const result = created?.result;
    if (!result?.sys_id || !result.number)
      throw new DeliveryError('ServiceNow created no incident', { permanent: false });
    return { key: result.number, id: result.sys_id };
  }

  async comment(ticket: TicketRef, n: Notification): Promise<void> {
    await this.call('PATCH', `/api/now/table/incident/${encodeURIComponent(ticket.id)}`, {
      work_notes: [`${KIND_LABEL[n.kind]} again at ${n.time}.`, ...plainLines(n).slice(1)].join('\n'),
    });
  }

  async resolve(ticket: TicketRef, n: Notification): Promise<void> {
    await this.call('PATCH', `/api/now/table/incident/${encodeURIComponent(ticket.id)}`, {
      state: '6',
      close_code: 'Solved (Permanently)',
      close_notes: `PHI Guard found ${n.resource} compliant again at ${n.time}.`,
      work_notes: `Resolved automatically: ${n.rule} is compliant again.`,
    });
  }
}
