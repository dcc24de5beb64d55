import type { Message } from '@aws-sdk/client-sqs';
import { parseEvent } from '../cloudtrail-event';
import type { DeadLetterQueueKey } from '../deployment-names';
import type { Rule } from '../rule';

/**
 * A message in one of PHI Guard's dead-letter queues, summarised without its
 * payload: the event's id, name and the resources it names (ARNs), or the
 * notification's or shard's ids, and the error that put it there. The event itself
 * is kept (not printed) so `phiguard dlq redrive` can process it again.
 */

export interface DeadLetter {
  queue: DeadLetterQueueKey;
  messageId: string;
  receiptHandle: string;
  sentAt?: string;
  receiveCount?: number;
  eventId?: string;
  eventName?: string;
  /** What the message is about: resource ARNs (events, notifications) or the shard. */
  subject: string[];
  error?: string;
  /** The event to process again (events queue only). */
  event?: unknown;
}

const MAX_ERROR = 300;

function firstLine(text: unknown): string | undefined {
  return typeof text === 'string' && text ? text.split('\n')[0]?.slice(0, MAX_ERROR) : undefined;
}

function jsonOf(body: string | undefined): unknown {
  try {
    return body === undefined ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The resources the event names, as the rules listening to it see them. */
function resourcesOf(
  event: unknown,
  rules: readonly Rule[],
): { eventId?: string; eventName?: string; subject: string[] } {
  try {
    const parsed = parseEvent(event);
    const listening = rules.filter((r) =>
      r.triggers.some(
        (t) => t.source === parsed.record.eventSource && t.events.includes(parsed.record.eventName),
      ),
    );
    const subject = new Set<string>();
    for (const rule of listening) {
      const selection = rule.resourceIds(parsed.record);
      if (Array.isArray(selection)) for (const arn of selection) subject.add(arn);
      else subject.add(`every ${rule.resourceType} in ${parsed.region ?? 'its Region'}`);
    }
    return {
      ...(parsed.eventId ? { eventId: parsed.eventId } : {}),
      eventName: `${parsed.record.eventSource.replace(/\.amazonaws\.com$/, '')}:${parsed.record.eventName}`,
      subject: [...subject],
    };
  } catch (error) {
    return { subject: [], eventName: `not a usable event: ${firstLine((error as Error).message)}` };
  }
}

function common(queue: DeadLetterQueueKey, message: Message) {
  const sent = Number(message.Attributes?.SentTimestamp);
  const received = Number(message.Attributes?.ApproximateReceiveCount);
  return {
    queue,
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent).toISOString() } : {}),
    ...(Number.isFinite(received) && received > 0 ? { receiveCount: received } : {}),
  };
}

/**
 * An events dead letter comes in one of two shapes: Lambda's on-failure destination
 * record (the event in `requestPayload`, the error in `responsePayload`) after the
 * function failed every retry, or EventBridge's target dead letter (the event as the
 * body, the error in the ERROR_CODE / ERROR_MESSAGE attributes) when it could not
 * invoke the function at all.
 */
export function eventsDeadLetter(message: Message, rules: readonly Rule[]): DeadLetter {
  const body = jsonOf(message.Body);
  const attributes = message.MessageAttributes ?? {};
  let event: unknown;
  let error: string | undefined;
  if (isObject(body) && 'requestPayload' in body && isObject(body.requestContext)) {
    event = body.requestPayload;
    const response = isObject(body.responsePayload) ? body.responsePayload : {};
    const type =
      typeof response.errorType === 'string'
        ? response.errorType
        : String(body.requestContext.condition ?? 'failed');
    error = [type, firstLine(response.errorMessage)].filter(Boolean).join(': ');
  } else if (isObject(body)) {
    event = body;
    const code = attributes.ERROR_CODE?.StringValue;
    error = code
      ? [code, firstLine(attributes.ERROR_MESSAGE?.StringValue)].filter(Boolean).join(': ')
      : undefined;
  }
  if (event === undefined) {
    return {
      ...common('events', message),
      subject: [],
      error: 'not a dead-lettered event (unreadable message body)',
    };
  }
  return { ...common('events', message), ...resourcesOf(event, rules), ...(error ? { error } : {}), event };
}

/** A notification the notifier could not deliver: its ids; the payload stays in the queue. */
export function notificationsDeadLetter(message: Message): DeadLetter {
  const body = jsonOf(message.Body);
  const n = isObject(body) ? body : {};
  return {
    ...common('notifications', message),
    ...(typeof n.eventId === 'string' ? { eventId: n.eventId } : {}),
    ...(typeof n.kind === 'string' ? { eventName: `${n.kind} ${String(n.rule ?? '')}`.trim() } : {}),
    subject: typeof n.resource === 'string' ? [n.resource] : [],
    error: isObject(body) ? 'not delivered after the notify queue’s retries' : 'unreadable message body',
  };
}

/** A sweep shard that failed every retry: which account, Region and type were not swept. */
export function sweepDeadLetter(message: Message): DeadLetter {
  const body = jsonOf(message.Body);
  const shard = isObject(body) ? body : {};
  return {
    ...common('sweep', message),
    ...(typeof shard.runId === 'string' ? { eventId: shard.runId } : {}),
    eventName: 'sweep shard',
    subject: [
      `${String(shard.account ?? '?')} ${String(shard.region ?? '?')} ${String(shard.resourceType ?? '?')}`,
    ],
    error: 'the shard failed every retry: its resources were not swept',
  };
}
