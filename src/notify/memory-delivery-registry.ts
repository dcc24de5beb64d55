import type { TicketRef } from './channels/channel';
import type { DeliveryBegin, DeliveryRegistry, HistoryRef, TicketState } from './delivery-registry';
import type { TicketSinkName } from './settings';

/** The notifier's registry for one process (tests, `phiguard notify test` without a table). */
export class MemoryDeliveryRegistry implements DeliveryRegistry {
  private readonly deliveries = new Map<string, { status: 'IN_PROGRESS' | 'DONE'; owner?: string }>();
  private readonly tickets = new Map<
    string,
    { status: 'OPENING' | 'OPEN'; owner?: string; ticket?: TicketRef }
  >();
  readonly attached = new Map<string, string>();

  async delivered(channel: string, ids: readonly string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.deliveries.get(`${channel}:${id}`)?.status === 'DONE'));
  }

  async markDelivered(channel: string, ids: readonly string[]): Promise<void> {
    for (const id of ids) this.deliveries.set(`${channel}:${id}`, { status: 'DONE' });
  }

  async beginDelivery(unit: string, owner: string): Promise<DeliveryBegin> {
    const existing = this.deliveries.get(unit);
    if (existing?.status === 'DONE') return 'done';
    if (existing && existing.owner !== owner) return 'busy';
    this.deliveries.set(unit, { status: 'IN_PROGRESS', owner });
    return 'new';
  }

  async finishDelivery(unit: string, owner: string): Promise<void> {
    if (this.deliveries.get(unit)?.owner === owner) this.deliveries.set(unit, { status: 'DONE' });
  }

  async abandonDelivery(unit: string, owner: string): Promise<void> {
    if (this.deliveries.get(unit)?.owner === owner) this.deliveries.delete(unit);
  }

  async ticket(sink: TicketSinkName, rule: string, resource: string): Promise<TicketState> {
    const item = this.tickets.get(`${sink}|${rule}|${resource}`);
    if (item?.status === 'OPEN' && item.ticket) return { state: 'open', ticket: item.ticket };
    return item ? { state: 'opening', owner: item.owner ?? '' } : undefined;
  }

  async reserveTicket(sink: TicketSinkName, rule: string, resource: string, owner: string): Promise<boolean> {
    const key = `${sink}|${rule}|${resource}`;
    const held = this.tickets.get(key);
    if (held && !(held.status === 'OPENING' && held.owner === owner)) return false;
    this.tickets.set(key, { status: 'OPENING', owner });
    return true;
  }

  async releaseTicket(sink: TicketSinkName, rule: string, resource: string, owner: string): Promise<void> {
    const key = `${sink}|${rule}|${resource}`;
    if (this.tickets.get(key)?.owner === owner) this.tickets.delete(key);
  }

  async ticketOpened(
    sink: TicketSinkName,
    rule: string,
    resource: string,
    ticket: TicketRef,
    history?: HistoryRef,
  ): Promise<void> {
    this.tickets.set(`${sink}|${rule}|${resource}`, { status: 'OPEN', ticket });
    if (history) this.attached.set(history.id, ticket.key);
  }

  async attachTicket(history: HistoryRef, key: string): Promise<void> {
    this.attached.set(history.id, key);
  }

  async ticketClosed(sink: TicketSinkName, rule: string, resource: string): Promise<void> {
    this.tickets.delete(`${sink}|${rule}|${resource}`);
  }
}
