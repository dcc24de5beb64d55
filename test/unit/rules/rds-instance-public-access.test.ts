import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, rdsEvent } from '../../../local/fixtures';
import rule, { PUBLIC_ACCESS_SETTLE } from '../../../remediations/rds-instance-public-access';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeDbInstance } from '../../support/fake-rds';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => rdsEvent('rds/ModifyDBInstance.public', ARN);

let mock = mockClient(RDSClient);
const instance = (over: object = {}) => ({
  DBInstanceIdentifier: 'claims-db',
  DBInstanceArn: ARN,
  Engine: 'postgres',
  PubliclyAccessible: true,
  ...over,
});
const modifies = () => mock.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input);
const settle = { ...PUBLIC_ACCESS_SETTLE };

beforeEach(() => {
  mock = mockClient(RDSClient);
  // Seconds in production; a fraction here, so the pending path is tested without waiting.
  Object.assign(PUBLIC_ACCESS_SETTLE, { timeoutSeconds: 0.2, intervalSeconds: 0.05 });
});
afterEach(() => {
  mock.restore();
  Object.assign(PUBLIC_ACCESS_SETTLE, settle);
});

describe('rds-instance-public-access (client mocks)', () => {
  it('names the instance of create, modify, rename and restore records; lower-cases identifiers', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
    const renamed = loadFixture('rds/ModifyDBInstance.public');
    renamed.detail.responseElements = null;
    Object.assign(renamed.detail.requestParameters ?? {}, {
      dBInstanceIdentifier: 'Claims-DB',
      newDBInstanceIdentifier: 'claims-db-2',
    });
    expect(rule.resourceIds(renamed.detail as never)).toEqual([ARN, `${ARN}-2`]);
    const pitr = loadFixture('rds/RestoreDBInstanceToPointInTime.basic');
    expect(rule.resourceIds(pitr.detail as never)).toEqual([
      'arn:aws:rds:us-east-1:123456789012:db:claims-db-pitr',
    ]);
  });

  it('public: PubliclyAccessible=false without applying queued maintenance; remediated once a read shows it', async () => {
    fakeDbInstance(mock, instance());
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'remediated',
      before: { publiclyAccessible: true },
      after: { publiclyAccessible: false },
    });
    expect(modifies()).toEqual([
      { DBInstanceIdentifier: 'claims-db', PubliclyAccessible: false, ApplyImmediately: false },
    ]);
  });

  it('a change RDS has not shown within the settle time is pending, not error, and the next read confirms it', async () => {
    fakeDbInstance(mock, instance(), { visibleAfter: 1_000 });
    const engineWithLedger = engine();
    expect((await processEvent(engineWithLedger, event())).outcomes[0]).toMatchObject({
      status: 'pending',
      actions: [{ api: 'ModifyDBInstance' }],
    });
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance({ PubliclyAccessible: false }));
    expect((await processEvent(engineWithLedger, event())).outcomes[0]).toMatchObject({
      status: 'remediated',
      actions: [],
    });
    expect(modifies()).toEqual([]);
  });

  it('an instance still being created is deferred: pending, nothing written, no error to retry', async () => {
    fakeDbInstance(mock, instance({ DBInstanceStatus: 'creating' }));
    expect((await processEvent(engine(), event())).outcomes[0]).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('is creating'),
      actions: [],
    });
    expect(modifies()).toEqual([]);
  });

  it('private is compliant and dry-run writes nothing', async () => {
    fakeDbInstance(mock, instance({ PubliclyAccessible: false }));
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance());
    expect((await processEvent(engine(true), event())).outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [{ api: 'ModifyDBInstance' }],
    });
    expect(modifies()).toEqual([]);
  });

  it('exempt and gone instances are never written', async () => {
    fakeDbInstance(
      mock,
      instance({ TagList: [{ Key: 'phiguard:exempt', Value: 'public demo, synthetic data' }] }),
    );
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance(), { exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside without a read', async () => {
    fakeDbInstance(mock, instance());
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
  });

  it('AccessDenied on DescribeDBInstances is an error outcome, nothing written', async () => {
    mock.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(modifies()).toEqual([]);
  });
});
