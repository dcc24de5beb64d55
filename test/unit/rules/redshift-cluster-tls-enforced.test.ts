import {
  DescribeClusterParametersCommand,
  DescribeClustersCommand,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/redshift-cluster-tls-enforced';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeRedshiftCluster } from '../../support/fake-redshift';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:redshift:us-east-1:123456789012:cluster:claims-warehouse';
const engine = (env: Record<string, string> = {}) => testEngine({ rules: [rule as Rule], env });
const event = () => loadFixture('redshift/CreateCluster.public');
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RedshiftClient);
const cluster = (over: object = {}, options: Parameters<typeof fakeRedshiftCluster>[2] = {}) =>
  fakeRedshiftCluster(mock, { ClusterIdentifier: 'claims-warehouse', ...over }, options);
const writes = () => mock.calls().filter((c) => !/^Describe/.test(c.args[0].constructor.name));

beforeEach(() => {
  mock = mockClient(RedshiftClient);
});
afterEach(() => mock.restore());

describe('redshift-cluster-tls-enforced (client mocks)', () => {
  it('require_ssl=true is compliant; false is a ticket naming the group; nothing written', async () => {
    cluster();
    expect(await outcome()).toMatchObject({ status: 'compliant', before: { requireSsl: true } });
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({}, { parameters: { require_ssl: 'false' } });
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      findings: ['require_ssl is off in parameter group claims-redshift'],
      reason: expect.stringContaining('reboot'),
    });
    expect(writes()).toEqual([]);
  });

  it('a parameter group change re-checks the clusters using it, reading the group once', async () => {
    const using = (id: string, group: string) => ({
      ClusterIdentifier: id,
      ClusterStatus: 'available',
      ClusterParameterGroups: [{ ParameterGroupName: group }],
    });
    mock.on(DescribeClustersCommand).resolves({
      Clusters: [
        using('claims-warehouse', 'claims-redshift'),
        using('other', 'other'),
        using('claims-b', 'claims-redshift'),
      ],
    });
    mock
      .on(DescribeClusterParametersCommand)
      .resolves({ Parameters: [{ ParameterName: 'require_ssl', ParameterValue: 'false' }] });
    const report = await processEvent(
      engine(),
      loadFixture('redshift/ModifyClusterParameterGroup.require-ssl-off'),
    );
    expect(report.outcomes.map((o) => [o.resource, o.status])).toEqual([
      [ARN, 'ticket'],
      ['arn:aws:redshift:us-east-1:123456789012:cluster:claims-b', 'ticket'],
    ]);
    expect(mock.commandCalls(DescribeClusterParametersCommand)).toHaveLength(1);
  });

  it('exempt and gone; failed and own calls set aside; AccessDenied on the parameters is an error outcome', async () => {
    cluster(
      { Tags: [{ Key: 'phiguard:exempt', Value: 'legacy BI tool' }] },
      { parameters: { require_ssl: 'false' } },
    );
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({}, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RedshiftClient);
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    cluster();
    mock.on(DescribeClusterParametersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
