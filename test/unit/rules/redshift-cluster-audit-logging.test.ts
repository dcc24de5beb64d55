import { DescribeLoggingStatusCommand, EnableLoggingCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule from '../../../remediations/redshift-cluster-audit-logging';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeRedshiftCluster } from '../../support/fake-redshift';
import { awsError } from '../../support/fake-s3';

const LOGS = { PHIGUARD_ACCESS_LOGS_BUCKET: 'phi-access-logs-{region}' };
const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options, env: { ...LOGS, ...options.env } });
const event = () => loadFixture('redshift/DisableLogging.basic');
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mock = mockClient(RedshiftClient);
const cluster = (over: object = {}, options: Parameters<typeof fakeRedshiftCluster>[2] = {}) =>
  fakeRedshiftCluster(
    mock,
    { ClusterIdentifier: 'claims-warehouse', ...over },
    { logging: false, ...options },
  );
const enables = () => mock.commandCalls(EnableLoggingCommand).map((c) => c.args[0].input);

beforeEach(() => {
  mock = mockClient(RedshiftClient);
});
afterEach(() => mock.restore());

describe('redshift-cluster-audit-logging (client mocks)', () => {
  it('off: logs to the region’s access-log bucket under a prefix naming the cluster; read back', async () => {
    const state = cluster();
    expect(await outcome()).toMatchObject({ status: 'remediated', after: { auditLogging: true } });
    expect(enables()).toEqual([
      {
        ClusterIdentifier: 'claims-warehouse',
        BucketName: 'phi-access-logs-us-east-1',
        S3KeyPrefix: 'redshift/claims-warehouse/',
      },
    ]);
    expect(state.bucket).toBe('phi-access-logs-us-east-1');
  });

  it('logging elsewhere is compliant (its destination stays); no bucket configured is a ticket', async () => {
    cluster({}, { logging: true });
    expect((await outcome())?.status).toBe('compliant');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster();
    expect(await outcome(engine({ env: { PHIGUARD_ACCESS_LOGS_BUCKET: '' } }))).toMatchObject({
      status: 'ticket',
      reason: 'no access-log bucket configured (set PHIGUARD_ACCESS_LOGS_BUCKET)',
    });
    expect(enables()).toEqual([]);
  });

  it('dry-run, exempt, gone and a paused cluster write nothing', async () => {
    cluster();
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({ Tags: [{ Key: 'phiguard:exempt', Value: 'logs elsewhere' }] });
    expect((await outcome())?.status).toBe('exempt');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({}, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    mock.restore();
    mock = mockClient(RedshiftClient);
    cluster({ ClusterStatus: 'paused' });
    expect((await outcome())?.status).toBe('pending');
    expect(enables()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied on the logging status is an error outcome', async () => {
    cluster();
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
    mock.on(DescribeLoggingStatusCommand).rejects(awsError('AccessDenied', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
    expect(enables()).toEqual([]);
  });
});
