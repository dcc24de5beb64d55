import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/redshift-cluster-encrypted';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeRedshiftCluster } from '../../support/fake-redshift';
import { awsError } from '../../support/fake-s3';

const engine = (env: Record<string, string> = {}) => testEngine({ rules: [rule as Rule], env });
const event = () => loadFixture('redshift/CreateCluster.public');
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RedshiftClient);
const cluster = (over: object = {}, options: Parameters<typeof fakeRedshiftCluster>[2] = {}) =>
  fakeRedshiftCluster(mock, { ClusterIdentifier: 'claims-warehouse', Encrypted: false, ...over }, options);
const writes = () => mock.calls().filter((c) => !/^Describe/.test(c.args[0].constructor.name));

beforeEach(() => {
  mock = mockClient(RedshiftClient);
});
afterEach(() => mock.restore());

describe('redshift-cluster-encrypted (client mocks)', () => {
  it('unencrypted is a ticket (the migration keeps it read-only); encrypted is compliant; nothing written', async () => {
    cluster();
    expect(await outcome()).toMatchObject({ status: 'ticket', reason: expect.stringContaining('read-only') });
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({ Encrypted: true });
    expect((await outcome())?.status).toBe('compliant');
    expect(writes()).toEqual([]);
  });

  it('exempt and gone; failed and own calls set aside; AccessDenied is an error outcome', async () => {
    cluster({ Tags: [{ Key: 'phiguard:exempt', Value: 'no PHI' }] });
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({}, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RedshiftClient);
    const failed = event();
    failed.detail.errorCode = 'ClusterAlreadyExists';
    const own = engine({ PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeClustersCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
