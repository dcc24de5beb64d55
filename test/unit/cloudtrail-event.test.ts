import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../local/fixtures';
import { actorOf, parseEvent } from '../../src/cloudtrail-event';
import { InvalidEventError } from '../../src/errors';
import { processEvent } from '../../src/process-event';
import { testEngine } from '../support/engine';

describe('parseEvent', () => {
  it('accepts an EventBridge envelope and takes ids, region and account from it', () => {
    const event = loadFixture('s3/PutBucketAcl.public-read');
    const parsed = parseEvent(event);
    expect(parsed).toMatchObject({
      shape: 'envelope',
      eventId: event.id,
      region: 'us-east-1',
      accountId: '123456789012',
    });
    expect(parsed.record.eventName).toBe('PutBucketAcl');
  });

  it('accepts a bare CloudTrail record and uses its eventID', () => {
    const { detail } = loadFixture('ec2/CreateVpc.basic');
    const parsed = parseEvent(detail);
    expect(parsed).toMatchObject({ shape: 'bare', eventId: detail.eventID, region: 'us-east-1' });
  });

  it('an awsRegion that is not a Region name reads as absent: the envelope’s region stands in, and without one the engine refuses the event by name', async () => {
    for (const awsRegion of ['not-a-region', '', 'us-east-1x', 'x'.repeat(1_000_000), '...']) {
      const event = loadFixture('s3/PutBucketAcl.public-read');
      event.detail.awsRegion = awsRegion;
      expect(parseEvent(event).region).toBe('us-east-1');
      expect(parseEvent(event).record.awsRegion).toBeUndefined();
      expect(parseEvent(event.detail).region).toBeUndefined();
    }
    for (const awsRegion of [
      'us-gov-west-1',
      'cn-north-1',
      'us-isof-south-1',
      'eusc-de-east-1',
      'ap-southeast-7',
    ]) {
      const { detail } = loadFixture('s3/PutBucketAcl.public-read');
      expect(parseEvent({ ...detail, awsRegion }).region).toBe(awsRegion);
    }
    const bare = { ...loadFixture('s3/PutBucketAcl.public-read').detail, awsRegion: 'not-a-region' };
    const failure = await processEvent(testEngine(), bare).catch((error) => error);
    expect(failure).toBeInstanceOf(InvalidEventError);
    expect(failure.message).toBe(
      'CloudTrail record has no usable awsRegion (a Region name such as us-east-1), nor the envelope a region',
    );
  });

  it('keeps fields it does not know', () => {
    const { detail } = loadFixture('ec2/CreateVpc.basic');
    expect(parseEvent({ ...detail, p_log_type: 'AWS.CloudTrail' }).record.p_log_type).toBe('AWS.CloudTrail');
  });

  it('reads optional fields that arrive as null as absent (a tolerant reader: CloudTrail sends them)', () => {
    const event = loadFixture('s3/PutBucketAcl.public-read');
    const withNulls = structuredClone(event);
    withNulls.detail.userIdentity.invokedBy = null;
    withNulls.detail.userIdentity.sessionContext = null;
    withNulls.detail.additionalEventData = null;
    withNulls.detail.responseElements = null;
    (withNulls.detail as Record<string, unknown>).errorCode = null;
    const parsed = parseEvent(withNulls);
    expect(parsed.record.userIdentity?.invokedBy).toBeUndefined();
    expect(parsed.record.userIdentity?.sessionContext).toBeUndefined();
    expect(parsed.record.responseElements).toBeUndefined();
    expect(parsed.record.errorCode).toBeUndefined();
    // What the engine needs is still there: where to look, and who did it.
    expect(parsed.record.requestParameters).toEqual(event.detail.requestParameters);
    expect(parsed.region).toBe('us-east-1');
    expect(actorOf(parsed.record)).toBe('arn:aws:sts::123456789012:assumed-role/DataEngineer/alice');
  });

  it('reads a field of the wrong shape as absent instead of refusing the event', () => {
    const { detail } = loadFixture('s3/PutBucketAcl.public-read');
    const odd: Record<string, unknown> & { userIdentity: Record<string, unknown> } = structuredClone(detail);
    odd.userIdentity.arn = 42;
    odd.userIdentity.sessionContext = 'sanitised';
    odd.eventTime = { when: 'later' };
    odd.eventID = ['not', 'an', 'id'];
    odd.responseElements = '...';
    odd.aFieldCloudTrailAddsNextYear = { nested: [null] };
    const parsed = parseEvent(odd);
    expect(parsed.record.userIdentity?.arn).toBeUndefined();
    expect(parsed.record.userIdentity?.sessionContext).toBeUndefined();
    expect(parsed.record.eventTime).toBeUndefined();
    expect(parsed.eventId).toBeUndefined();
    expect(parsed.record.responseElements).toBeUndefined();
    expect(parsed.record.aFieldCloudTrailAddsNextYear).toEqual({ nested: [null] });
    expect(parsed.record.requestParameters).toEqual(detail.requestParameters);
  });

  it('still refuses a record without the fields the engine cannot work without', () => {
    const { detail } = loadFixture('s3/PutBucketAcl.public-read');
    expect(() => parseEvent({ ...detail, eventName: null })).toThrow(InvalidEventError);
    expect(() => parseEvent({ ...detail, eventSource: 7 })).toThrow(
      /malformed CloudTrail record: eventSource/,
    );
  });

  it.each([
    ['a string', 'hello', /must be a JSON object, got string/],
    ['an array', [1, 2], /got array/],
    ['null', null, /got object/],
    ['a log file', { Records: [] }, /CloudTrail log file/],
    ['an unrelated object', { foo: 'bar' }, /not an EventBridge event .* nor a CloudTrail record/],
    [
      'another detail-type',
      { 'detail-type': 'Object Created', detail: { bucket: { name: 'x' } } },
      /unsupported EventBridge detail-type "Object Created"/,
    ],
    [
      'a CloudTrail envelope with a broken record',
      { 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'PutBucketAcl' } },
      /malformed CloudTrail record in detail: eventSource/,
    ],
    [
      'a record with a bad eventSource',
      { eventSource: 'not a source', eventName: 'X' },
      /eventSource must look like/,
    ],
  ])('rejects %s with a typed, descriptive error', (_label, input, message) => {
    expect(() => parseEvent(input)).toThrow(InvalidEventError);
    expect(() => parseEvent(input)).toThrow(message);
  });

  it('names the actor by identity ARN, falling back to the session issuer', () => {
    const { detail } = loadFixture('s3/PutBucketAcl.public-read');
    expect(actorOf(parseEvent(detail).record)).toBe(
      'arn:aws:sts::123456789012:assumed-role/DataEngineer/alice',
    );
    const noArn = structuredClone(detail);
    delete noArn.userIdentity.arn;
    expect(actorOf(parseEvent(noArn).record)).toBe('arn:aws:iam::123456789012:role/DataEngineer');
  });
});
