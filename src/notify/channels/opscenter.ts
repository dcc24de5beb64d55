import {
  CreateOpsItemCommand,
  OpsItemAlreadyExistsException,
  type SSMClient,
  UpdateOpsItemCommand,
} from '@aws-sdk/client-ssm';
import { plainLines, subjectOf } from '../format';
import type { Notification } from '../notification';
import type { TicketRef, TicketSink } from './channel';

/** OpsCenter severity 1 (critical) … 4 (low); priority 1 … 5. */
const SEVERITY: Record<string, string> = { critical: '1', high: '2', medium: '3', low: '4' };

export function dedupString(n: Pick<Notification, 'rule' | 'resource'>): string {
  return `phiguard:${n.rule}:${n.resource}`;
}

/**
 * Systems Manager OpsCenter: an OpsItem per (rule, resource) with operational
 * data and a de-dup string (so OpsCenter itself also refuses a second one). It
 * has no comments: a recurrence updates `phiguard:recurrences` and the last time.
 */
export class OpsCenterSink implements TicketSink {
  readonly name = 'opscenter' as const;

  constructor(private readonly client: SSMClient) {}

  async open(n: Notification): Promise<TicketRef> {
    try {
      const out = await this.client.send(
        new CreateOpsItemCommand({
          Title: subjectOf(n).slice(0, 1024),
          Description: plainLines(n).join('\n').slice(0, 2048),
          Source: 'PHI Guard',
          Category: 'Security',
          Severity: SEVERITY[n.severity] ?? '2',
          Priority: Number(SEVERITY[n.severity] ?? '2'),
          OperationalData: {
            '/aws/dedup': {
              Type: 'SearchableString',
              Value: JSON.stringify({ dedupString: dedupString(n) }),
            },
            '/aws/resources': { Type: 'SearchableString', Value: JSON.stringify([{ arn: n.resource }]) },
            'phiguard:rule': { Type: 'SearchableString', Value: n.rule },
            'phiguard:safeguards': { Type: 'String', Value: n.safeguards.join(', ') },
            'phiguard:kind': { Type: 'String', Value: n.kind },
          },
        }),
      );
      const id = out.OpsItemId as string;
      return { key: id, id };
    } catch (error) {
      // OpsCenter de-duplicated it: the existing OpsItem is the ticket.
      if (error instanceof OpsItemAlreadyExistsException && error.OpsItemId) {
        return { key: error.OpsItemId, id: error.OpsItemId };
      }
      throw error;
    }
  }

  async comment(ticket: TicketRef, n: Notification): Promise<void> {
    await this.client.send(
      new UpdateOpsItemCommand({
        OpsItemId: ticket.id,
        OperationalData: {
          'phiguard:lastRecurrence': {
            Type: 'String',
            Value: `${n.time} ${n.kind}: ${n.reason ?? n.status}`,
          },
        },
      }),
    );
  }

  async resolve(ticket: TicketRef, n: Notification): Promise<void> {
    await this.client.send(
      new UpdateOpsItemCommand({
        OpsItemId: ticket.id,
        Status: 'Resolved',
        OperationalData: { 'phiguard:resolvedAt': { Type: 'String', Value: `${n.time}: compliant again` } },
      }),
    );
  }
}
