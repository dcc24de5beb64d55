import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-instance-backup-retention';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeDbInstance } from '../../support/fake-rds';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => rdsEvent('rds/CreateDBInstance.public', ARN);

let mock = mockClient(RDSClient);
const instance = (over: object = {}) => ({
  DBInstanceIdentifier: 'claims-db',
  DBInstanceArn: ARN,
  Engine: 'postgres',
  BackupRetentionPeriod: 1,
  ...over,
});
const modifies = () => mock.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-instance-backup-retention (client mocks)', () => {
  it('1 day of 7: raised to 7 without applying queued maintenance, and read back', async () => {
    fakeDbInstance(mock, instance());
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { backupRetentionDays: 1, minimumDays: 7 },
      after: { backupRetentionDays: 7 },
    });
    expect(modifies()).toEqual([
      { DBInstanceIdentifier: 'claims-db', BackupRetentionPeriod: 7, ApplyImmediately: false },
    ]);
  });

  it('PHIGUARD_MIN_BACKUP_DAYS sets the minimum; a longer retention is never lowered', async () => {
    fakeDbInstance(mock, instance({ BackupRetentionPeriod: 7 }));
    expect(await outcome(engine({ env: { PHIGUARD_MIN_BACKUP_DAYS: '14' } }))).toMatchObject({
      status: 'remediated',
      after: { backupRetentionDays: 14, minimumDays: 14 },
    });
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance({ BackupRetentionPeriod: 30 }));
    expect((await outcome(engine({ env: { PHIGUARD_MIN_BACKUP_DAYS: '14' } })))?.status).toBe('compliant');
    expect(modifies()).toEqual([]);
  });

  it('refuses a minimum RDS cannot keep, naming the variable', () => {
    expect(() => engine({ env: { PHIGUARD_MIN_BACKUP_DAYS: '40' } })).toThrow(
      /PHIGUARD_MIN_BACKUP_DAYS: RDS keeps backups 35 days at most/,
    );
    expect(() => engine({ env: { PHIGUARD_MIN_BACKUP_DAYS: 'a week' } })).toThrow(/PHIGUARD_MIN_BACKUP_DAYS/);
  });

  it('backups off (0) is a ticket: turning them on suspends I/O', async () => {
    fakeDbInstance(mock, instance({ BackupRetentionPeriod: 0 }));
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('suspends I/O'),
      findings: ['automated backups are off'],
    });
    expect(modifies()).toEqual([]);
  });

  it('an instance of a cluster is judged on its cluster: nothing written here', async () => {
    fakeDbInstance(mock, instance({ DBClusterIdentifier: 'claims-aurora' }));
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { judgedOnCluster: 'claims-aurora' },
    });
    expect(modifies()).toEqual([]);
  });

  it('dry-run, exempt, gone and a still-creating instance write nothing', async () => {
    fakeDbInstance(mock, instance());
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance({ TagList: [{ Key: 'phiguard:exempt', Value: 'scratch database' }] }));
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance(), { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance({ DBInstanceStatus: 'creating' }));
    expect((await outcome())?.status).toBe('pending');
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the read is an error outcome', async () => {
    fakeDbInstance(mock, instance());
    const failed = event();
    failed.detail.errorCode = 'InvalidParameterCombination';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(modifies()).toEqual([]);
  });
});
