import { DescribeDBClustersCommand, ModifyDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-cluster-backup-retention';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeDbCluster } from '../../support/fake-rds';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:claims-aurora';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => rdsEvent('rds/ModifyDBCluster.retention', ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RDSClient);
const cluster = (over: object = {}) => ({
  DBClusterIdentifier: 'claims-aurora',
  DBClusterArn: ARN,
  Engine: 'aurora-postgresql',
  BackupRetentionPeriod: 1,
  ...over,
});
const modifies = () => mock.commandCalls(ModifyDBClusterCommand).map((c) => c.args[0].input);

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-cluster-backup-retention (client mocks)', () => {
  it('names the cluster of create, modify and restore records', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
    expect(rule.resourceIds(loadFixture('rds/RestoreDBClusterToPointInTime.basic').detail as never)).toEqual([
      'arn:aws:rds:us-east-1:123456789012:cluster:claims-aurora-pitr',
    ]);
  });

  it('1 day of 7: raised to 7 and read back; a longer retention is never lowered', async () => {
    fakeDbCluster(mock, cluster());
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { backupRetentionDays: 1 },
      after: { backupRetentionDays: 7 },
    });
    expect(modifies()).toEqual([
      { DBClusterIdentifier: 'claims-aurora', BackupRetentionPeriod: 7, ApplyImmediately: false },
    ]);
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster({ BackupRetentionPeriod: 35 }));
    expect((await outcome())?.status).toBe('compliant');
    expect(modifies()).toEqual([]);
  });

  it('dry-run, exempt, gone and a cluster still being created write nothing', async () => {
    fakeDbCluster(mock, cluster());
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster({ TagList: [{ Key: 'phiguard:exempt', Value: 'scratch' }] }));
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster(), { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster({ Status: 'creating' }));
    expect(await outcome()).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('is creating'),
    });
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the read is an error outcome', async () => {
    fakeDbCluster(mock, cluster());
    const failed = event();
    failed.detail.errorCode = 'InvalidDBClusterStateFault';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeDBClustersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(modifies()).toEqual([]);
  });
});
