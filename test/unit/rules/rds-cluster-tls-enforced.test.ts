import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-cluster-tls-enforced';
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
const cluster = (engineName: string, over: object = {}) => ({
  DBClusterIdentifier: 'claims-aurora',
  DBClusterArn: ARN,
  Engine: engineName,
  DBClusterParameterGroup: 'claims-aurora-pg16',
  ...over,
});
const writes = () => mock.calls().filter((c) => !/^Describe/.test(c.args[0].constructor.name));

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-cluster-tls-enforced (client mocks)', () => {
  it.each([
    ['aurora-postgresql', 'rds.force_ssl', '1', 'compliant'],
    ['aurora-postgresql', 'rds.force_ssl', '0', 'ticket'],
    ['aurora-mysql', 'require_secure_transport', 'ON', 'compliant'],
    ['aurora-mysql', 'require_secure_transport', 'OFF', 'ticket'],
  ])('%s with %s=%s is %s; nothing written', async (engineName, parameter, value, status) => {
    fakeDbCluster(mock, cluster(engineName), { parameters: { [parameter]: value } });
    expect(await outcome()).toMatchObject({ status, before: { tlsParameter: parameter } });
    expect(writes()).toEqual([]);
  });

  it('a cluster engine without a TLS parameter (DocumentDB in the RDS API) is not judged', async () => {
    fakeDbCluster(mock, cluster('docdb'));
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { tlsParameter: 'none for this engine' },
    });
    expect(mock.commandCalls(DescribeDBClusterParametersCommand)).toEqual([]);
  });

  it('a cluster parameter group reset re-checks the clusters using it', async () => {
    mock.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        cluster('aurora-postgresql'),
        cluster('aurora-postgresql', {
          DBClusterIdentifier: 'other',
          DBClusterArn: `${ARN}-other`,
          DBClusterParameterGroup: 'other',
        }),
      ],
    });
    mock
      .on(DescribeDBClusterParametersCommand)
      .resolves({ Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '0' }] });
    const report = await processEvent(engine(), loadFixture('rds/ResetDBClusterParameterGroup.all'));
    expect(report.outcomes.map((o) => [o.resource, o.status])).toEqual([[ARN, 'ticket']]);
  });

  it('exempt and gone; failed and own calls set aside; AccessDenied on the parameters is an error outcome', async () => {
    fakeDbCluster(
      mock,
      cluster('aurora-postgresql', { TagList: [{ Key: 'phiguard:exempt', Value: 'risk accepted' }] }),
      {
        parameters: { 'rds.force_ssl': '0' },
      },
    );
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbCluster(mock, cluster('aurora-postgresql'), { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RDSClient);
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    fakeDbCluster(mock, cluster('aurora-postgresql'));
    mock.on(DescribeDBClusterParametersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
