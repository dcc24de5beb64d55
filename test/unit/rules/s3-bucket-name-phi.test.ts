import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bucketEvent } from '../../../local/fixtures';
import rule from '../../../remediations/s3-bucket-name-phi';
import { processEvent } from '../../../src/process-event';
import { s3 } from '../../../src/resources/s3/bucket';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeBucketOn } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const KEY = { PHIGUARD_NAME_REDACTION_KEY: 'unit-test-redaction-key-0123456789abcdef' };
const NAME = 'patient-123-45-6789-scans';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options, env: { ...KEY, ...options.env } });
const event = (bucket = NAME) => bucketEvent('s3/CreateBucket.basic', bucket);

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('s3-bucket-name-phi (client mocks)', () => {
  it('a name that looks like an SSN: a ticket naming what it looks like, the ARN and every field redacted, nothing written', async () => {
    const stub = fakeBucketOn(mocks.client(s3)).mock;
    const [outcome] = (await processEvent(engine(), event())).outcomes;
    expect(outcome).toMatchObject({
      status: 'ticket',
      resource: expect.stringMatching(/^arn:aws:s3:::\[redacted:[0-9a-f]{12}\]$/),
      findings: ['the name looks like it contains a US social security number'],
      reason: expect.stringContaining('a bucket cannot be renamed'),
    });
    expect(JSON.stringify(outcome)).not.toContain('123-45-6789');
    // One read, to ticket a bucket that exists; no write.
    expect(stub.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'GetBucketAclCommand',
      'GetBucketTaggingCommand',
    ]);
  });

  it('an ordinary name is compliant without a call; dry-run is a ticket too; exempt and gone are reported as such', async () => {
    const stub = fakeBucketOn(mocks.client(s3)).mock;
    expect((await processEvent(engine(), event('phi-claims-prod'))).outcomes[0]?.status).toBe('compliant');
    expect(stub.calls()).toEqual([]);
    expect((await processEvent(engine({ dryRun: true }), event())).outcomes[0]?.status).toBe('ticket');
    mocks.restore();
    mocks = new MockAws();
    fakeBucketOn(mocks.client(s3), { tags: { 'phiguard:exempt': 'synthetic test data' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    mocks.restore();
    mocks = new MockAws();
    fakeBucketOn(mocks.client(s3), { exists: false });
    const gone = (await processEvent(engine(), event())).outcomes[0];
    expect(gone).toMatchObject({ status: 'gone', resource: expect.stringContaining('[redacted:') });
  });

  it("the operator's patterns count: a medical record number in the name", async () => {
    fakeBucketOn(mocks.client(s3));
    const own = engine({ env: { PHIGUARD_PHI_NAME_PATTERNS: '["mrn-?\\\\d{6,}"]' } });
    expect((await processEvent(own, event('exports-mrn-0042817'))).outcomes[0]).toMatchObject({
      status: 'ticket',
      findings: ['the name looks like it contains the pattern 1 of PHIGUARD_PHI_NAME_PATTERNS'],
    });
  });

  it('a failed call and PHI Guard’s own call are set aside', async () => {
    const stub = fakeBucketOn(mocks.client(s3)).mock;
    const failed = event();
    failed.detail.errorCode = 'BucketAlreadyExists';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    const [ignored] = (await processEvent(own, failed)).outcomes;
    expect(ignored?.status).toBe('ignored');
    expect(JSON.stringify(ignored)).not.toContain('123-45-6789');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
  });
});
