import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-cluster-storage-encrypted';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeDbCluster } from '../../support/fake-rds';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:claims-aurora';
const engine = (env: Record<string, string> = {}) => testEngine({ rules: [rule as Rule], env });
const event = () => rdsEvent('rds/CreateDBCluster.basic', ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RDSClient);
const cluster = (over: object = {}) => ({
  DBClusterIdentifier: 'claims-aurora',
  DBClusterArn: ARN,
  Engine: 'aurora-postgresql',
  StorageEncrypted: false,
  ...over,
});
const writes = () => mock.calls().filter((c) => !/^Describe/.test(c.args[0].constructor.name));

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-cluster-storage-encrypted (client mocks)', () => {
  it('an unencrypted cluster is a ticket; an encrypted one compliant; nothing is ever written', async () => {
    fakeDbCluster(mock, cluster());
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      reason: expect.stringContaining('cannot be encrypted in place'),
    });
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster({ StorageEncrypted: true }));
    expect((await outcome())?.status).toBe('compliant');
    expect(writes()).toEqual([]);
  });

  it('exempt and gone; failed and own calls set aside; AccessDenied is an error outcome', async () => {
    fakeDbCluster(mock, cluster({ TagList: [{ Key: 'phiguard:exempt', Value: 'no PHI' }] }));
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster(), { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RDSClient);
    const failed = event();
    failed.detail.errorCode = 'DBClusterAlreadyExistsFault';
    const own = engine({ PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeDBClustersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
