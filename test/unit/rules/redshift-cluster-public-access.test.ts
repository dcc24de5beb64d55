import { DescribeClustersCommand, ModifyClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/redshift-cluster-public-access';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeRedshiftCluster } from '../../support/fake-redshift';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:redshift:us-east-1:123456789012:cluster:claims-warehouse';
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => loadFixture('redshift/ModifyCluster.public');
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RedshiftClient);
const cluster = (over: object = {}, options: Parameters<typeof fakeRedshiftCluster>[2] = {}) =>
  fakeRedshiftCluster(
    mock,
    { ClusterIdentifier: 'claims-warehouse', PubliclyAccessible: true, ...over },
    options,
  );
const modifies = () => mock.commandCalls(ModifyClusterCommand).map((c) => c.args[0].input);

beforeEach(() => {
  mock = mockClient(RedshiftClient);
});
afterEach(() => mock.restore());

describe('redshift-cluster-public-access (client mocks)', () => {
  it('names the cluster of create, modify, rename and restore records; lower-cases identifiers', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([ARN]);
    const renamed = event();
    Object.assign(renamed.detail.requestParameters ?? {}, {
      clusterIdentifier: 'Claims-Warehouse',
      newClusterIdentifier: 'claims-warehouse-2',
    });
    expect(rule.resourceIds(renamed.detail as never)).toEqual([ARN, `${ARN}-2`]);
    expect(
      rule.resourceIds(loadFixture('redshift/RestoreFromClusterSnapshot.basic').detail as never),
    ).toEqual([`${ARN}-restored`]);
  });

  it('public: PubliclyAccessible=false, read back', async () => {
    cluster();
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      before: { publiclyAccessible: true },
      after: { publiclyAccessible: false },
    });
    expect(modifies()).toEqual([{ ClusterIdentifier: 'claims-warehouse', PubliclyAccessible: false }]);
  });

  it('private is compliant; dry-run and a cluster still being created write nothing', async () => {
    cluster({ PubliclyAccessible: false });
    expect((await outcome())?.status).toBe('compliant');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster();
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({ ClusterStatus: 'creating' });
    expect(await outcome()).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('is creating'),
    });
    expect(modifies()).toEqual([]);
  });

  it('exempt and gone clusters are never written', async () => {
    cluster({ Tags: [{ Key: 'phiguard:exempt', Value: 'public sample data' }] });
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({}, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    expect(modifies()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the read is an error outcome', async () => {
    cluster();
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeClustersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(modifies()).toEqual([]);
  });
});
