import { InvalidEventError } from './errors';
import * as z from './zod';

/**
 * A CloudTrail record as PHI Guard needs it. The schema is deliberately loose
 * beyond the fields we read: real records vary by service, age and by the
 * tools that exported them (Panther rewrites `eventTime`, StreamAlert
 * replaces values with "..."), and unknown fields must survive untouched.
 */
const sessionIssuerSchema = z.looseObject({
  type: z.optional(z.string()),
  arn: z.optional(z.string()),
  userName: z.optional(z.string()),
});

const userIdentitySchema = z.looseObject({
  type: z.optional(z.string()),
  arn: z.optional(z.string()),
  accountId: z.optional(z.union([z.string(), z.number()])),
  principalId: z.optional(z.string()),
  invokedBy: z.optional(z.string()),
  sessionContext: z.optional(z.looseObject({ sessionIssuer: z.optional(sessionIssuerSchema) })),
});

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: z.optional(z.string()),
  eventSource: z
    .string()
    .check(z.regex(/^[a-z0-9.-]+\.amazonaws\.com$/, 'eventSource must look like "<service>.amazonaws.com"')),
  eventName: z.string().check(z.minLength(1)),
  eventID: z.optional(z.string()),
  eventTime: z.optional(z.string()),
  awsRegion: z.optional(z.string()),
  apiVersion: z.optional(z.string()),
  errorCode: z.optional(z.string()),
  recipientAccountId: z.optional(z.union([z.string(), z.number()])),
  userIdentity: z.optional(userIdentitySchema),
  requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  responseElements: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

const envelopeSchema = z.looseObject({
  id: z.optional(z.string()),
  'detail-type': z.string(),
  source: z.optional(z.string()),
  account: z.optional(z.union([z.string(), z.number()])),
  region: z.optional(z.string()),
  time: z.optional(z.string()),
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
