import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { rules } from '../../remediations';
import { describeAwsError, hasErrorCode } from '../aws-errors';
import { chunksOf } from '../chunks';
import {
  DEAD_LETTER_QUEUES,
  type DeadLetterQueueKey,
  deadLetterQueueName,
  ledgerTableName,
} from '../deployment-names';
import {
  type DeadLetter,
  eventsDeadLetter,
  notificationsDeadLetter,
  sweepDeadLetter,
} from '../dlq/dead-letter';
import { InvalidEventError, PhiGuardError } from '../errors';
import { EventFailedError, processEvent } from '../process-event';
import { regionsOrDefault } from './caller';
import { createCliEngine, loadCliConfig } from './cli-engine';
import { renderTable } from './table';

export interface DlqOptions {
  stage: string;
  region?: string;
}

/** How each queue's messages are read. */
const READERS: Record<DeadLetterQueueKey, (m: Message) => DeadLetter> = {
  events: (m) => eventsDeadLetter(m, rules),
  notifications: notificationsDeadLetter,
  sweep: sweepDeadLetter,
};

/** How long messages being looked at stay hidden from others (a redrive processes them meanwhile). */
const HOLD_SECONDS = 300;
/** A queue is read at most this far: past it, run the command again. */
const MAX_MESSAGES = 10_000;

export class DlqError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DlqError';
  }
}

async function queueUrl(sqs: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (hasErrorCode(error, 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist')) return undefined;
    throw new DlqError(`cannot read queue ${name}: ${describeAwsError(error)}`, { cause: error });
  }
}

/** Every message of the queue, held for HOLD_SECONDS (each read once, by its message id). */
async function receiveAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const seen = new Map<string, Message>();
  while (seen.size < MAX_MESSAGES) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: HOLD_SECONDS,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const fresh = (page.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.set(m.MessageId as string, m);
  }
  return [...seen.values()];
}

/** Makes held messages visible again at once: listing or a dry run leaves the queue as it was. */
async function release(sqs: SQSClient, url: string, letters: readonly DeadLetter[]): Promise<void> {
  for (const chunk of chunksOf(letters, 10)) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: chunk.map((l, i) => ({
          Id: String(i),
          ReceiptHandle: l.receiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}

async function readQueue(sqs: SQSClient, stage: string, spec: (typeof DEAD_LETTER_QUEUES)[number]) {
  const name = deadLetterQueueName(stage, spec.suffix);
  const url = await queueUrl(sqs, name);
  if (!url) return { name, url, letters: [] as DeadLetter[] };
  return { name, url, letters: (await receiveAll(sqs, url)).map(READERS[spec.key]) };
}

function regionOf(options: DlqOptions): string {
  return regionsOrDefault(options.region ? [options.region] : [])[0] as string;
}

/** `phiguard dlq list`: what waits in each dead-letter queue, without payloads; the queues are left as they were. */
export async function runDlqList(options: DlqOptions & { json: boolean }): Promise<number> {
  const sqs = new SQSClient({ region: regionOf(options) });
  const found: DeadLetter[] = [];
  const missing: string[] = [];
  for (const spec of DEAD_LETTER_QUEUES) {
    const { name, url, letters } = await readQueue(sqs, options.stage, spec);
    if (!url) missing.push(name);
    else await release(sqs, url, letters);
    found.push(...letters);
  }
  for (const name of missing)
    process.stderr.write(`phiguard: queue ${name} does not exist (stage or Region?)\n`);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        found.map(({ receiptHandle: _r, event: _e, ...rest }) => rest),
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(
      `${found.length} message(s) dead-lettered\n${renderTable(
        ['QUEUE', 'SENT', 'ID', 'WHAT', 'RESOURCES', 'ERROR'],
        found.map((l) => [
          l.queue,
          l.sentAt ?? '-',
          l.eventId ?? l.messageId,
          l.eventName ?? '-',
          l.subject.join(' ') || '-',
          l.error ?? '-',
        ]),
      )}\n`,
    );
  }
  return missing.length === DEAD_LETTER_QUEUES.length ? 1 : 0;
}

/**
 * `phiguard dlq redrive`: each dead-lettered event through the same engine as the
 * Lambda (the registry makes it safe: a fixed resource comes back compliant or
 * duplicate), in the mode PHIGUARD_DRY_RUN gives; each message deleted only after
 * its event was processed without error. `dryRun`: plan only, delete nothing.
 * Exit 0 every message redriven, 1 some stay (each named).
 */
export async function runDlqRedrive(options: DlqOptions & { dryRun: boolean }): Promise<number> {
  const region = regionOf(options);
  const sqs = new SQSClient({ region });
  const config = loadCliConfig(options.dryRun ? false : undefined);
  const ledgerTable = config.ledgerTable ?? ledgerTableName(options.stage);
  const engine = createCliEngine({ ...config, ledgerTable });
  const spec = DEAD_LETTER_QUEUES.find((q) => q.key === 'events') as (typeof DEAD_LETTER_QUEUES)[number];
  const { name, url, letters } = await readQueue(sqs, options.stage, spec);
  if (!url) throw new DlqError(`queue ${name} does not exist in ${region} (pass --stage / --region)`);

  const mode = engine.config.dryRun ? 'dry-run' : 'apply';
  process.stdout.write(`${letters.length} dead-lettered event(s) in ${name}; processing in ${mode} mode\n`);
  const kept: DeadLetter[] = [];
  for (const letter of letters) {
    const label = `${letter.eventId ?? letter.messageId} ${letter.eventName ?? ''}`.trim();
    try {
      if (letter.event === undefined) throw new InvalidEventError(letter.error ?? 'no event in the message');
      const report = await processEvent(engine, letter.event);
      const counts = new Map<string, number>();
      for (const o of report.outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
      const summary = report.skipped ?? ([...counts].map(([s, n]) => `${s} ${n}`).join(', ') || 'no outcome');
      if (options.dryRun) {
        kept.push(letter);
        process.stdout.write(`  planned  ${label}: ${summary}\n`);
      } else {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: letter.receiptHandle }));
        process.stdout.write(`  redriven ${label}: ${summary}\n`);
      }
    } catch (error) {
      kept.push(letter);
      const why =
        error instanceof EventFailedError ||
        error instanceof InvalidEventError ||
        error instanceof PhiGuardError
          ? error.message.split('\n')[0]
          : describeAwsError(error);
      process.stdout.write(`  kept     ${label}: ${why}\n`);
    }
  }
  await release(sqs, url, kept);
  if (options.dryRun) return 0;
  return kept.length > 0 ? 1 : 0;
}
