import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { chunksOf } from '../chunks';
import { historyKey } from '../ledger/dynamodb-history';
import { claimKey } from '../ledger/dynamodb-ledger';
import { putInProgressMarker } from '../ledger/in-progress-marker';
import type { TicketRef } from './channels/channel';
import type { TicketSinkName } from './settings';

/**
 * The notifier's memory, in the action registry table:
 * - a delivery marker per (notification or digest, channel), so a redelivered
 *   queue message sends nothing twice;
 * - the open ticket per (sink, rule, resource), so a recurrence comments on it;
 * - the ticket key on the history entry (shown by `phiguard history`), and an
 *   "open ticket" mark on the claim, so the engine knows to report resolution.
 */
export type DeliveryBegin = 'new' | 'done' | 'busy';

export type TicketState =
  | { state: 'open'; ticket: TicketRef }
  /** Being opened by `owner` (a notifier whose reservation's answer was lost may find its own). */
  | { state: 'opening'; owner: string }
  | undefined;

export interface HistoryRef {
  resource: string;
  rule: string;
  time: string;
  id: string;
}

export interface DeliveryRegistry {
  /** The notification ids of `ids` already delivered to `channel` (digests check their items this way). */
  delivered(channel: string, ids: readonly string[]): Promise<Set<string>>;
  markDelivered(channel: string, ids: readonly string[]): Promise<void>;
  beginDelivery(unit: string, owner: string): Promise<DeliveryBegin>;
  finishDelivery(unit: string, owner: string): Promise<void>;
  abandonDelivery(unit: string, owner: string): Promise<void>;
  ticket(sink: TicketSinkName, rule: string, resource: string): Promise<TicketState>;
  /** Reserves the (sink, rule, resource) slot before creating a ticket: false when someone else holds it. */
  reserveTicket(sink: TicketSinkName, rule: string, resource: string, owner: string): Promise<boolean>;
  releaseTicket(sink: TicketSinkName, rule: string, resource: string, owner: string): Promise<void>;
  ticketOpened(
    sink: TicketSinkName,
    rule: string,
    resource: string,
    ticket: TicketRef,
    history?: HistoryRef,
  ): Promise<void>;
  /** Records the ticket key on a history entry (a recurrence of an open ticket). */
  attachTicket(history: HistoryRef, key: string): Promise<void>;
  ticketClosed(sink: TicketSinkName, rule: string, resource: string): Promise<void>;
}

const DELIVERY_TTL_SECONDS = 7 * 86_400;
const DELIVERY_LOCK_SECONDS = 120;
const TICKET_TTL_SECONDS = 400 * 86_400;

const ticketKey = (sink: string, rule: string, resource: string) => ({
  pk: `TICKET#${sink}#${rule}#${resource}`,
  sk: 'TICKET',
});

export class DynamoDbDeliveryRegistry implements DeliveryRegistry {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async delivered(channel: string, ids: readonly string[]): Promise<Set<string>> {
    const done = new Set<string>();
    for (const chunk of chunksOf(ids, 100)) {
      let keys: Record<string, unknown>[] | undefined = chunk.map((id) => ({
        pk: `DELIVERY#${channel}:${id}`,
        sk: 'DELIVERY',
      }));
      while (keys && keys.length > 0) {
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) {
          if (item.status === 'DONE') done.add(String(item.pk).slice(`DELIVERY#${channel}:`.length));
        }
        keys = out.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return done;
  }

  async markDelivered(channel: string, ids: readonly string[]): Promise<void> {
    const expiresAt = this.now() + DELIVERY_TTL_SECONDS;
    for (const chunk of chunksOf(ids, 25)) {
      let requests:
        | NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string]
        | undefined = chunk.map((id) => ({
        PutRequest: { Item: { pk: `DELIVERY#${channel}:${id}`, sk: 'DELIVERY', status: 'DONE', expiresAt } },
      }));
      while (requests && requests.length > 0) {
        const out: BatchWriteCommandOutput = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = out.UnprocessedItems?.[this.tableName];
      }
    }
  }

  async beginDelivery(unit: string, owner: string): Promise<DeliveryBegin> {
    const begun = await putInProgressMarker(this.doc, {
      tableName: this.tableName,
      key: { pk: `DELIVERY#${unit}`, sk: 'DELIVERY' },
      owner,
      now: this.now(),
      lockSeconds: DELIVERY_LOCK_SECONDS,
      ttlSeconds: DELIVERY_TTL_SECONDS,
    });
    if (begun === 'new') return 'new';
    return begun.status === 'DONE' ? 'done' : 'busy';
  }

  async finishDelivery(unit: string, owner: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `DELIVERY#${unit}`, sk: 'DELIVERY' },
        UpdateExpression: 'SET #status = :done REMOVE lockUntil',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: { ':done': 'DONE', ':owner': owner },
      }),
    );
  }

  async abandonDelivery(unit: string, owner: string): Promise<void> {
    await this.deleteIfOwner({ pk: `DELIVERY#${unit}`, sk: 'DELIVERY' }, owner);
  }

  async ticket(sink: TicketSinkName, rule: string, resource: string): Promise<TicketState> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: ticketKey(sink, rule, resource),
        ConsistentRead: true,
      }),
    );
    const item = out.Item;
    if (!item) return undefined;
    if (item.status === 'OPEN') return { state: 'open', ticket: { key: item.ticketKey, id: item.ticketId } };
    // A reservation whose holder died frees up after the lock.
    if (item.status === 'OPENING' && (item.lockUntil ?? 0) >= this.now())
      return { state: 'opening', owner: String(item.owner ?? '') };
    return undefined;
  }

  async reserveTicket(sink: TicketSinkName, rule: string, resource: string, owner: string): Promise<boolean> {
    const now = this.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...ticketKey(sink, rule, resource),
            status: 'OPENING',
            owner,
            lockUntil: now + DELIVERY_LOCK_SECONDS,
            expiresAt: now + TICKET_TTL_SECONDS,
          },
          // Its own owner may reserve again: the SDK re-sends a reservation whose answer was lost.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#status = :opening AND (lockUntil < :now OR #owner = :owner))',
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
          ExpressionAttributeValues: { ':opening': 'OPENING', ':now': now, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseTicket(sink: TicketSinkName, rule: string, resource: string, owner: string): Promise<void> {
    await this.deleteIfOwner(ticketKey(sink, rule, resource), owner);
  }

  async ticketOpened(
    sink: TicketSinkName,
    rule: string,
    resource: string,
    ticket: TicketRef,
    history?: HistoryRef,
  ): Promise<void> {
    const now = this.now();
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...ticketKey(sink, rule, resource),
            status: 'OPEN',
            ticketKey: ticket.key,
            ticketId: ticket.id,
            openedAt: now,
            expiresAt: now + TICKET_TTL_SECONDS,
          },
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: { pk: claimKey(rule, resource), sk: 'CLAIM' },
          UpdateExpression: 'ADD openTickets :sink',
          ExpressionAttributeValues: { ':sink': new Set([sink]) },
        },
      },
    ];
    if (history) items.push(this.historyUpdate(history, ticket.key));
    await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }

  async attachTicket(history: HistoryRef, key: string): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand(this.historyUpdate(history, key).Update as never));
    } catch (error) {
      // The entry may have expired or never been written (a test message): nothing to attach to.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async ticketClosed(sink: TicketSinkName, rule: string, resource: string): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: ticketKey(sink, rule, resource) } },
          {
            Update: {
              TableName: this.tableName,
              Key: { pk: claimKey(rule, resource), sk: 'CLAIM' },
              UpdateExpression: 'DELETE openTickets :sink',
              ExpressionAttributeValues: { ':sink': new Set([sink]) },
            },
          },
        ],
      }),
    );
  }

  private historyUpdate(history: HistoryRef, key: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: historyKey(history),
        UpdateExpression: 'SET ticketKey = :key',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':key': key },
      },
    };
  }

  private async deleteIfOwner(key: { pk: string; sk: string }, owner: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
