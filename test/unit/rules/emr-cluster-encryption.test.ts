import { DescribeClusterCommand } from '@aws-sdk/client-emr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterEvent } from '../../../local/fixtures';
import rule from '../../../remediations/emr-cluster-encryption';
import { processEvent } from '../../../src/process-event';
import { emr } from '../../../src/resources/emr/cluster';
import type { Rule } from '../../../src/rule';
import { CLUSTER_ARN, fakeCluster } from '../../scenarios/emr-cluster-encryption';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => clusterEvent('elasticmapreduce/RunJobFlow.unencrypted', CLUSTER_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];
const BOTH = { EncryptionConfiguration: { EnableAtRestEncryption: true, EnableInTransitEncryption: true } };

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('emr-cluster-encryption (client mocks)', () => {
  it('RunJobFlow names the new cluster by its answer', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([CLUSTER_ARN]);
  });

  it('no security configuration: a ticket, nothing written', async () => {
    const stub = fakeCluster(mocks, {});
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      findings: [
        'the cluster runs without a security configuration: nothing is encrypted at rest or in transit',
      ],
      reason: expect.stringContaining('relaunch it'),
    });
    expect(stub.calls().every((c) => c.args[0].constructor.name.startsWith('Describe'))).toBe(true);
  });

  it('a configuration that encrypts at rest only: a ticket naming what is missing; both: compliant', async () => {
    fakeCluster(
      mocks,
      { SecurityConfiguration: 'at-rest-only' },
      {
        'at-rest-only': {
          EncryptionConfiguration: { EnableAtRestEncryption: true, EnableInTransitEncryption: false },
        },
      },
    );
    expect(await outcome()).toMatchObject({
      status: 'ticket',
      findings: ['security configuration at-rest-only does not encrypt in transit'],
    });
    mocks.restore();
    mocks = new MockAws();
    fakeCluster(mocks, { SecurityConfiguration: 'phi-encrypted' }, { 'phi-encrypted': BOTH });
    expect(await outcome()).toMatchObject({ status: 'compliant', before: { atRest: true, inTransit: true } });
  });

  it('exempt, terminated and unknown clusters; dry-run is the same ticket', async () => {
    fakeCluster(mocks, { Tags: [{ Key: 'phiguard:exempt', Value: 'synthetic data only' }] });
    expect((await outcome())?.status).toBe('exempt');
    mocks.restore();
    mocks = new MockAws();
    fakeCluster(mocks, { Status: { State: 'TERMINATED' } });
    expect((await outcome())?.status).toBe('gone');
    mocks.restore();
    mocks = new MockAws();
    mocks.client(emr).on(DescribeClusterCommand).rejects(awsError('InvalidRequestException', 400));
    expect((await outcome())?.status).toBe('gone');
    mocks.restore();
    mocks = new MockAws();
    fakeCluster(mocks, {});
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('ticket');
  });

  it('a failed call and PHI Guard’s own call are set aside; AccessDenied is an error outcome', async () => {
    const stub = fakeCluster(mocks, {});
    const failed = event();
    failed.detail.errorCode = 'ValidationException';
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(stub.calls()).toEqual([]);
    stub.on(DescribeClusterCommand).rejects(awsError('AccessDeniedException', 403));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDeniedException'),
    });
  });
});
