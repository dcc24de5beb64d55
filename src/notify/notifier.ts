import { randomUUID } from 'node:crypto';
import { isTransientAwsError } from '../aws-errors';
import { mapLimited } from '../concurrency';
import type { EngineLogger } from '../logger';
import { inRetryRounds } from '../retry-rounds';
import type { MessageChannel, TicketSink } from './channels/channel';
import type { DeliveryRegistry, HistoryRef } from './delivery-registry';
import { DeliveryError } from './http';
import { type Notification, notificationId, notificationSchema } from './notification';
import { channelsFor, configuredChannels } from './routing';
import {
  MESSAGE_CHANNELS,
  type MessageChannelName,
  type NotifierSettings,
  type TicketSinkName,
} from './settings';

/**
 * Delivers one batch of queued notifications. Every (notification, channel) is
 * delivered at most once (delivery markers in the registry); a burst at or over
 * the digest threshold becomes one digest per message channel; ticket sinks keep
 * one open ticket per (rule, resource). Returns the queue messages that must be
 * retried: the queue redelivers them later and dead-letters what keeps failing.
 */
export interface NotifierDeps {
  settings: NotifierSettings;
  channels: Partial<Record<MessageChannelName, MessageChannel>>;
  sinks: Partial<Record<TicketSinkName, TicketSink>>;
  registry: DeliveryRegistry;
  logger: EngineLogger;
  concurrency?: number;
}

export interface QueueRecord {
  messageId: string;
  body: string;
}

export interface BatchResult {
  batchItemFailures: { itemIdentifier: string }[];
  delivered: number;
  digests: number;
}

interface Item {
  notification: Notification;
  /** Queue messages carrying this notification (a message can be delivered twice by SQS). */
  messageIds: string[];
}

type Unit =
  | { kind: 'message'; channel: MessageChannelName; items: Item[] }
  | { kind: 'digest'; channel: MessageChannelName; items: Item[] }
  | { kind: 'tickets'; sink: TicketSinkName; items: Item[] };

function historyRef(n: Notification): HistoryRef | undefined {
  return n.historyId ? { resource: n.resource, rule: n.rule, time: n.time, id: n.historyId } : undefined;
}

/**
 * Rounds for a registry write that follows a send: once Slack has the message, a
 * marker left unwritten means the queue's retry sends it again.
 */
const RECORD_ROUNDS = 4;

function describe(error: unknown): string {
  if (error instanceof DeliveryError) return error.message;
  const named = error as { name?: string; message?: string };
  return named?.name && named.name !== 'Error' ? named.name : (named?.message ?? String(error));
}

export class Notifier {
  private readonly owner = randomUUID();
  private readonly configured;

  constructor(private readonly deps: NotifierDeps) {
    this.configured = configuredChannels(deps.settings);
  }

  async processBatch(records: readonly QueueRecord[]): Promise<BatchResult> {
    const failed = new Set<string>();
    const items = new Map<string, Item>();
    for (const record of records) {
      let parsed: ReturnType<typeof notificationSchema.safeParse>;
      try {
        parsed = notificationSchema.safeParse(JSON.parse(record.body));
      } catch {
        parsed = { success: false } as ReturnType<typeof notificationSchema.safeParse>;
      }
      if (!parsed.success) {
        // Never dropped: it is retried, then kept in the dead-letter queue for a person.
        this.deps.logger.error('malformed notification message', { messageId: record.messageId });
        failed.add(record.messageId);
        continue;
      }
      const existing = items.get(parsed.data.id);
      if (existing) existing.messageIds.push(record.messageId);
      else items.set(parsed.data.id, { notification: parsed.data, messageIds: [record.messageId] });
    }

    const units = this.plan([...items.values()]);
    const outcomes = await mapLimited(units, this.deps.concurrency ?? 4, (unit) => this.deliver(unit));
    let delivered = 0;
    let digests = 0;
    units.forEach((unit, i) => {
      const failedItems = outcomes[i] ?? [];
      for (const item of failedItems) for (const id of item.messageIds) failed.add(id);
      if (failedItems.length === 0) {
        delivered += unit.kind === 'digest' ? 1 : unit.items.length;
        if (unit.kind === 'digest') digests++;
      }
    });
    return {
      batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })),
      delivered,
      digests,
    };
  }

  /** Routes every item and groups deliveries: digests for bursts, one chain per ticket. */
  private plan(items: Item[]): Unit[] {
    const byChannel = new Map<string, Item[]>();
    for (const item of items) {
      for (const channel of channelsFor(item.notification, this.deps.settings, this.configured)) {
        byChannel.set(channel, [...(byChannel.get(channel) ?? []), item]);
      }
    }
    const units: Unit[] = [];
    for (const [channel, routed] of byChannel) {
      if ((MESSAGE_CHANNELS as readonly string[]).includes(channel)) {
        const name = channel as MessageChannelName;
        if (routed.length >= this.deps.settings.digest.threshold)
          units.push({ kind: 'digest', channel: name, items: routed });
        else for (const item of routed) units.push({ kind: 'message', channel: name, items: [item] });
        continue;
      }
      // Ticket work for one (rule, resource) runs in order, so a burst opens one ticket and comments on it.
      const byResource = new Map<string, Item[]>();
      for (const item of routed) {
        const key = `${item.notification.rule}|${item.notification.resource}`;
        byResource.set(key, [...(byResource.get(key) ?? []), item]);
      }
      for (const chain of byResource.values()) {
        chain.sort((a, b) => a.notification.time.localeCompare(b.notification.time));
        units.push({ kind: 'tickets', sink: channel as TicketSinkName, items: chain });
      }
    }
    return units;
  }

  /** Delivers a unit; returns the items that failed (to be retried through the queue). */
  private async deliver(unit: Unit): Promise<Item[]> {
    const { logger } = this.deps;
    try {
      if (unit.kind === 'digest') return await this.deliverDigest(unit.channel, unit.items);
      if (unit.kind === 'message') return await this.deliverMessage(unit.channel, unit.items[0] as Item);
      const failed: Item[] = [];
      for (const item of unit.items) {
        // Once one step of a ticket chain fails, later ones wait for the retry (order matters).
        if (failed.length > 0 || !(await this.deliverTicket(unit.sink, item))) failed.push(item);
      }
      return failed;
    } catch (error) {
      logger.error('notification delivery failed', {
        channel: unit.kind === 'tickets' ? unit.sink : unit.channel,
        notifications: unit.items.length,
        error: describe(error),
      });
      return unit.items;
    }
  }

  private async deliverMessage(channelName: MessageChannelName, item: Item): Promise<Item[]> {
    const channel = this.deps.channels[channelName];
    if (!channel) return [];
    const unit = `${channelName}:${item.notification.id}`;
    const begun = await this.deps.registry.beginDelivery(unit, this.owner);
    if (begun === 'done') return [];
    if (begun === 'busy') return [item];
    try {
      await channel.send(item.notification);
    } catch (error) {
      await this.deps.registry.abandonDelivery(unit, this.owner);
      this.logFailure(channelName, item.notification, error);
      return [item];
    }
    try {
      await this.recordSent(() => this.deps.registry.finishDelivery(unit, this.owner));
    } catch (error) {
      // Sent: retrying through the queue would send it again. The marker's lock expires
      // and only a redelivered copy of this message could then repeat it.
      this.deps.logger.error('notification delivered but its marker not written', {
        ...this.logFields(channelName, item.notification),
        error: describe(error),
      });
      return [];
    }
    this.deps.logger.info('notification delivered', this.logFields(channelName, item.notification));
    return [];
  }

  private async deliverDigest(channelName: MessageChannelName, items: Item[]): Promise<Item[]> {
    const channel = this.deps.channels[channelName];
    if (!channel) return [];
    const ids = items.map((item) => item.notification.id);
    const done = await this.deps.registry.delivered(channelName, ids);
    const pending = items.filter((item) => !done.has(item.notification.id));
    if (pending.length === 0) return [];
    try {
      await channel.sendDigest(
        pending.map((item) => item.notification),
        this.deps.settings.digest.items,
      );
    } catch (error) {
      this.deps.logger.error('digest delivery failed', {
        channel: channelName,
        notifications: pending.length,
        error: describe(error),
      });
      return pending;
    }
    try {
      await this.recordSent(() =>
        this.deps.registry.markDelivered(
          channelName,
          pending.map((item) => item.notification.id),
        ),
      );
    } catch (error) {
      this.deps.logger.error('digest delivered but its markers not written', {
        channel: channelName,
        notifications: pending.length,
        error: describe(error),
      });
      return [];
    }
    this.deps.logger.info('digest delivered', {
      channel: channelName,
      notifications: pending.length,
      digest: notificationId(pending.map((item) => item.notification.id)),
    });
    return [];
  }

  /** One ticket step: open, comment on the open one, or resolve it. True when done. */
  private async deliverTicket(sinkName: TicketSinkName, item: Item): Promise<boolean> {
    const sink = this.deps.sinks[sinkName];
    if (!sink) return true;
    const n = item.notification;
    const { registry } = this.deps;
    const unit = `${sinkName}:${n.id}`;
    const begun = await registry.beginDelivery(unit, this.owner);
    if (begun === 'done') return true;
    if (begun === 'busy') return false;
    try {
      const current = await registry.ticket(sinkName, n.rule, n.resource);
      // Our own reservation (its answer was lost and the SDK re-sent it) is not "another".
      if (current?.state === 'opening' && current.owner !== this.owner)
        throw new DeliveryError('another notifier is opening this ticket', { permanent: false });
      if (n.kind === 'resolved') {
        if (current?.state === 'open') {
          await sink.resolve(current.ticket, n);
          await this.recordSent(() => registry.ticketClosed(sinkName, n.rule, n.resource));
          this.deps.logger.info('ticket resolved', {
            ...this.logFields(sinkName, n),
            ticket: current.ticket.key,
          });
        }
      } else if (current?.state === 'open') {
        await sink.comment(current.ticket, n);
        const ref = historyRef(n);
        if (ref) await this.recordSent(() => registry.attachTicket(ref, current.ticket.key));
        this.deps.logger.info('ticket commented', {
          ...this.logFields(sinkName, n),
          ticket: current.ticket.key,
        });
      } else {
        if (!(await registry.reserveTicket(sinkName, n.rule, n.resource, this.owner))) {
          throw new DeliveryError('another notifier is opening this ticket', { permanent: false });
        }
        try {
          const ticket = await sink.open(n);
          try {
            await this.recordSent(() =>
              registry.ticketOpened(sinkName, n.rule, n.resource, ticket, historyRef(n)),
            );
          } catch (error) {
            // The retry will open another: name this one so a person can close the spare.
            this.deps.logger.error('ticket opened but not recorded', {
              ...this.logFields(sinkName, n),
              ticket: ticket.key,
            });
            throw error;
          }
          this.deps.logger.info('ticket opened', { ...this.logFields(sinkName, n), ticket: ticket.key });
        } catch (error) {
          await registry.releaseTicket(sinkName, n.rule, n.resource, this.owner);
          throw error;
        }
      }
    } catch (error) {
      await registry.abandonDelivery(unit, this.owner);
      this.logFailure(sinkName, n, error);
      return false;
    }
    try {
      await this.recordSent(() => registry.finishDelivery(unit, this.owner));
    } catch (error) {
      // The ticket step is done and recorded on the ticket's own item: only the marker is missing.
      this.logFailure(sinkName, n, error);
    }
    return true;
  }

  private recordSent<T>(write: () => Promise<T>): Promise<T> {
    return inRetryRounds(write, { rounds: RECORD_ROUNDS, retryable: isTransientAwsError });
  }

  private logFields(channel: string, n: Notification) {
    return {
      channel,
      notification: n.id,
      kind: n.kind,
      rule: n.rule,
      resource: n.resource,
      eventId: n.eventId,
    };
  }

  private logFailure(channel: string, n: Notification, error: unknown): void {
    this.deps.logger.error('notification delivery failed', {
      ...this.logFields(channel, n),
      error: describe(error),
      permanent: error instanceof DeliveryError ? error.permanent : undefined,
    });
  }
}
