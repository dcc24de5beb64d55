import { DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, rdsEvent } from '../../../local/fixtures';
import rule from '../../../remediations/rds-instance-tls-enforced';
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
const instance = (engineName: string, group = 'claims-params') => ({
  DBInstanceIdentifier: 'claims-db',
  DBInstanceArn: ARN,
  Engine: engineName,
  DBParameterGroups: [{ DBParameterGroupName: group, ParameterApplyStatus: 'in-sync' }],
});
const writes = () => mock.calls().filter((c) => !/^Describe/.test(c.args[0].constructor.name));

beforeEach(() => {
  mock = mockClient(RDSClient);
});
afterEach(() => mock.restore());

describe('rds-instance-tls-enforced (client mocks)', () => {
  it.each([
    ['postgres', 'rds.force_ssl', '1', 'compliant'],
    ['postgres', 'rds.force_ssl', '0', 'ticket'],
    ['sqlserver-se', 'rds.force_ssl', '1', 'compliant'],
    ['mysql', 'require_secure_transport', 'ON', 'compliant'],
    ['mariadb', 'require_secure_transport', '1', 'compliant'],
    ['mysql', 'require_secure_transport', 'OFF', 'ticket'],
  ])('%s with %s=%s is %s', async (engineName, parameter, value, status) => {
    fakeDbInstance(mock, instance(engineName), { parameters: { [parameter]: value } });
    expect(await outcome()).toMatchObject({ status, before: { tlsParameter: parameter } });
    expect(writes()).toEqual([]);
  });

  it('a parameter the group leaves unset is not enforced; the ticket names the group, not its contents', async () => {
    fakeDbInstance(mock, instance('postgres'));
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      findings: ['rds.force_ssl is off in parameter group claims-params'],
      reason: expect.stringMatching(
        /rds\.force_ssl on in the instance's parameter group \(claims-params;.*reboot/,
      ),
    });
  });

  it('engines without a TLS parameter (Oracle) and cluster members are not judged here', async () => {
    fakeDbInstance(mock, instance('oracle-ee'));
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { tlsParameter: 'none for this engine' },
    });
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, { ...instance('aurora-postgresql'), DBClusterIdentifier: 'claims-aurora' });
    expect(await outcome()).toMatchObject({
      status: 'compliant',
      before: { judgedOnCluster: 'claims-aurora' },
    });
    expect(mock.commandCalls(DescribeDBParametersCommand)).toEqual([]);
  });

  it('a parameter group change re-checks the instances using it, reading the group once', async () => {
    const using = (id: string, group: string) => ({
      ...instance('postgres', group),
      DBInstanceIdentifier: id,
      DBInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:${id}`,
    });
    mock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        using('claims-a', 'claims-postgres16'),
        using('other', 'other-group'),
        using('claims-b', 'claims-postgres16'),
      ],
    });
    mock
      .on(DescribeDBParametersCommand)
      .resolves({ Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '0' }] });
    const changed = loadFixture('rds/ModifyDBParameterGroup.force-ssl-off');
    const report = await processEvent(engine(), changed);
    expect(report.outcomes.map((o) => [o.resource, o.status])).toEqual([
      ['arn:aws:rds:us-east-1:123456789012:db:claims-a', 'ticket'],
      ['arn:aws:rds:us-east-1:123456789012:db:claims-b', 'ticket'],
    ]);
    expect(mock.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
    expect(mock.commandCalls(DescribeDBParametersCommand).map((c) => c.args[0].input)).toEqual([
      { DBParameterGroupName: 'claims-postgres16' },
    ]);
  });

  it('reads every page of a large group until it finds the parameter', async () => {
    fakeDbInstance(mock, instance('mysql'));
    mock
      .on(DescribeDBParametersCommand, { DBParameterGroupName: 'claims-params', Marker: undefined })
      .resolves({ Parameters: [{ ParameterName: 'autocommit', ParameterValue: '1' }], Marker: 'page-2' })
      .on(DescribeDBParametersCommand, { DBParameterGroupName: 'claims-params', Marker: 'page-2' })
      .resolves({ Parameters: [{ ParameterName: 'require_secure_transport', ParameterValue: '1' }] });
    expect((await outcome())?.status).toBe('compliant');
    expect(mock.commandCalls(DescribeDBParametersCommand)).toHaveLength(2);
  });

  it('exempt and gone; failed and own calls set aside; AccessDenied on the parameters is an error outcome', async () => {
    fakeDbInstance(
      mock,
      {
        ...instance('postgres'),
        TagList: [{ Key: 'phiguard:exempt', Value: 'legacy client, risk accepted' }],
      },
      { parameters: { 'rds.force_ssl': '0' } },
    );
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RDSClient);
    fakeDbInstance(mock, instance('postgres'), { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RDSClient);
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    fakeDbInstance(mock, instance('postgres'));
    mock.on(DescribeDBParametersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
