import type { Notification } from '../notification';
import type { MessageChannelName, TicketSinkName } from '../settings';

/** A chat or topic: one message per outcome, or one digest for a burst. */
export interface MessageChannel {
  readonly name: MessageChannelName;
  send(n: Notification): Promise<void>;
  /** One message for a burst: the count, a summary by kind, and the first `items`. */
  sendDigest(all: readonly Notification[], items: number): Promise<void>;
}

/** A ticket as the sink knows it: `key` for people (SEC-12, INC0010001), `id` for the API. */
export interface TicketRef {
  key: string;
  id: string;
}

/** A place where a person is asked to act: one open ticket per (rule, resource). */
export interface TicketSink {
  readonly name: TicketSinkName;
  open(n: Notification): Promise<TicketRef>;
  /** The drift came back (or failed again) while the ticket is open. */
  comment(ticket: TicketRef, n: Notification): Promise<void>;
  /** The resource is compliant again: closing comment, and resolve where the sink supports it. */
  resolve(ticket: TicketRef, n: Notification): Promise<void>;
}
