import { REGION_NAME } from './arn';
import { InvalidEventError } from './errors';
import * as z from './zod';

/**
 * A CloudTrail record as PHI Guard needs it: a tolerant reader. Only what the
 * engine cannot work without is validated (`eventSource`, `eventName`). Every
 * other field is optional, and a value of the wrong shape (`null`, which real
 * records carry for `invokedBy`, `sessionContext`, `additionalEventData` and
 * `responseElements`, a number where a string was expected, a `"..."` left by an
 * export) reads as absent. That is safe because the engine never trusts the
 * event for state: a record only says where to look, and live state decides. A
 * field CloudTrail adds, or a sanitised value, must never dead-letter an event.
 *
 * Unknown fields survive untouched (real records vary by service, age and by the
 * tools that exported them: Panther rewrites `eventTime`, StreamAlert replaces
 * values with "...").
 */
function tolerant<T extends z.core.SomeType>(schema: T) {
  return z.catch(z.optional(schema), undefined);
}

const text = tolerant(z.string());
/** A Region's name; anything else (a sanitised "...", a made-up name) reads as absent. */
const region = tolerant(z.string().check(z.regex(REGION_NAME)));
const accountId = tolerant(z.union([z.string(), z.number()]));
const fields = tolerant(z.record(z.string(), z.unknown()));

const sessionIssuerSchema = z.looseObject({
  type: text,
  arn: text,
  userName: text,
});

const userIdentitySchema = z.looseObject({
  type: text,
  arn: text,
  accountId,
  principalId: text,
  invokedBy: text,
  sessionContext: tolerant(z.looseObject({ sessionIssuer: tolerant(sessionIssuerSchema) })),
});

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: text,
  eventSource: z
    .string()
    .check(z.regex(/^[a-z0-9.-]+\.amazonaws\.com$/, 'eventSource must look like "<service>.amazonaws.com"')),
  eventName: z.string().check(z.minLength(1)),
  eventID: text,
  eventTime: text,
  awsRegion: region,
  apiVersion: text,
  errorCode: text,
  recipientAccountId: accountId,
  userIdentity: tolerant(userIdentitySchema),
  requestParameters: fields,
  responseElements: fields,
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

const envelopeSchema = z.looseObject({
  id: text,
  'detail-type': z.string(),
  source: text,
  account: accountId,
  region: region,
  time: text,
  detail: z.unknown(),
});

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** A validated event, whatever shape it arrived in. */
export interface ParsedEvent {
  /** EventBridge `id`, else CloudTrail `eventID`; used for de-duplication and the audit trail. */
  eventId: string | undefined;
  record: CloudTrailRecord;
  region: string | undefined;
  accountId: string | undefined;
  shape: 'envelope' | 'bare';
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/**
 * Accepts an EventBridge "AWS API Call via CloudTrail" envelope or a bare
 * CloudTrail record; anything else is an {@link InvalidEventError} whose message
 * names what was wrong (never the payload itself, which may carry PHI).
 */
export function parseEvent(input: unknown): ParsedEvent {
  if (!isObject(input)) {
    throw new InvalidEventError(
      `event must be a JSON object, got ${Array.isArray(input) ? 'array' : typeof input}`,
    );
  }
  if ('Records' in input) {
    throw new InvalidEventError(
      'got a CloudTrail log file ({"Records": [...]}); pass one record or one EventBridge event at a time',
    );
  }
  if ('detail-type' in input || 'detail' in input) {
    const envelope = envelopeSchema.safeParse(input);
    if (!envelope.success) {
      throw new InvalidEventError(`malformed EventBridge event: ${describeIssues(envelope.error)}`, {
        cause: envelope.error,
      });
    }
    const detailType = envelope.data['detail-type'];
    const record = cloudTrailRecordSchema.safeParse(envelope.data.detail);
    if (!record.success) {
      // Exports sometimes sanitise the envelope ("detail-type": "..."); the detail decides.
      if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
        throw new InvalidEventError(
          `unsupported EventBridge detail-type "${detailType}"; expected "${CLOUDTRAIL_DETAIL_TYPE}"`,
        );
      }
      throw new InvalidEventError(`malformed CloudTrail record in detail: ${describeIssues(record.error)}`, {
        cause: record.error,
      });
    }
    return {
      eventId: envelope.data.id ?? record.data.eventID,
      record: record.data,
      region: record.data.awsRegion ?? envelope.data.region,
      accountId: asString(
        record.data.recipientAccountId ?? envelope.data.account ?? record.data.userIdentity?.accountId,
      ),
      shape: 'envelope',
    };
  }
  if (!('eventSource' in input) || !('eventName' in input)) {
    throw new InvalidEventError(
      'not an EventBridge event (no "detail-type") nor a CloudTrail record (no "eventSource"/"eventName")',
    );
  }
  const record = cloudTrailRecordSchema.safeParse(input);
  if (!record.success) {
    throw new InvalidEventError(`malformed CloudTrail record: ${describeIssues(record.error)}`, {
      cause: record.error,
    });
  }
  return {
    eventId: record.data.eventID,
    record: record.data,
    region: record.data.awsRegion,
    accountId: asString(record.data.recipientAccountId ?? record.data.userIdentity?.accountId),
    shape: 'bare',
  };
}

/** The ARN of whoever made the call, for reports; `undefined` when the record does not say. */
export function actorOf(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity;
  if (!identity) return undefined;
  return identity.arn ?? identity.sessionContext?.sessionIssuer?.arn ?? identity.invokedBy;
}

/** The account the record is about: the account it was delivered to, else the caller's. */
export function accountOf(record: CloudTrailRecord): string | undefined {
  return asString(record.recipientAccountId ?? record.userIdentity?.accountId);
}
