import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-instance-storage-encrypted';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeDbInstance } from '../../support/fake-rds';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';
const engine = (env: Record<string, string> = {}) => testEngine({ rules: [rule as Rule], env });
const event = () => rdsEvent('rds/CreateDBInstance.public', ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RDSClient);
const instance = (over: object = {}) => ({
  DBInstanceIdentifier: 'claims-db',
  DBInstanceArn: ARN,
  Engine: 'postgres',
  StorageEncrypted: false,
  ...over,
});
const writes = () => mock.calls().filter((c) => !/^Describe/.test(c.args[0].constructor.name));

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-instance-storage-encrypted (client mocks)', () => {
  it('unencrypted storage is a ticket saying how a person encrypts it; nothing written', async () => {
    fakeDbInstance(mock, instance());
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('cannot be encrypted in place'),
      findings: ['storage is not encrypted'],
    });
    expect(writes()).toEqual([]);
  });

  it('encrypted storage is compliant; a cluster member is judged on its cluster', async () => {
    fakeDbInstance(mock, instance({ StorageEncrypted: true }));
    expect((await outcome())?.status).toBe('compliant');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance({ DBClusterIdentifier: 'claims-aurora' }));
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { judgedOnCluster: 'claims-aurora' },
    });
  });

  it('exempt and gone instances; failed and own calls set aside; AccessDenied is an error outcome', async () => {
    fakeDbInstance(mock, instance({ TagList: [{ Key: 'phiguard:exempt', Value: 'no PHI' }] }));
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance(), { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RDSClient);
    const failed = event();
    failed.detail.errorCode = 'StorageQuotaExceeded';
    const own = engine({ PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
