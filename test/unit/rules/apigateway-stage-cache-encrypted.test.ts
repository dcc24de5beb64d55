import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, stageEvent } from '../../../local/fixtures';
import rule from '../../../remediations/apigateway-stage-cache-encrypted';
import { processEvent } from '../../../src/process-event';
import { apigateway } from '../../../src/resources/apigateway/stage';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { fakeStage, STAGE_ARN } from '../../support/fake-apigateway';
import { MockAws } from '../../support/scenario';

const engine = (options: { dryRun?: boolean; env?: Record<string, string> } = {}) =>
  testEngine({ rules: [rule as Rule], ...options });
const event = () => stageEvent('apigateway/UpdateStage.cache-unencrypted', STAGE_ARN);
const outcome = async (e = engine()) => (await processEvent(e, event())).outcomes[0];

let mocks = new MockAws();
const patches = () =>
  mocks
    .client(apigateway)
    .commandCalls(UpdateStageCommand)
    .map((c) => c.args[0].input);
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('apigateway-stage-cache-encrypted (client mocks; moto in the scenario tests)', () => {
  it('the record names the stage: UpdateStage by restApiId and stageName, CreateStage inside createStageInput', () => {
    expect(rule.resourceIds(event().detail as never)).toEqual([STAGE_ARN]);
    expect(rule.resourceIds(loadFixture('apigateway/CreateStage.cached').detail as never)).toEqual([
      STAGE_ARN,
    ]);
  });

  it('patches exactly the method settings that cache unencrypted; read back', async () => {
    const { state } = fakeStage(mocks, {
      cacheClusterEnabled: true,
      methodSettings: {
        '*/*': { cachingEnabled: true, cacheDataEncrypted: false, cacheTtlInSeconds: 60 },
        '~1patients/GET': { cachingEnabled: true, cacheDataEncrypted: false },
        '~1health/GET': { cachingEnabled: false, cacheDataEncrypted: false },
      },
    });
    expect(await outcome()).toMatchObject({
      status: 'remediated',
      findings: ['the stage caches unencrypted', 'method ~1patients/GET caches unencrypted'],
      after: { unencryptedCacheSettings: 0 },
    });
    expect(patches()).toEqual([
      {
        restApiId: 'a1b2c3d4e5',
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/*/*/caching/dataEncrypted', value: 'true' },
          { op: 'replace', path: '/~1patients/GET/caching/dataEncrypted', value: 'true' },
        ],
      },
    ]);
    expect(state.methodSettings?.['*/*']?.cacheTtlInSeconds).toBe(60);
  });

  it.each([
    ['no cache cluster', { cacheClusterEnabled: false, methodSettings: { '*/*': { cachingEnabled: true } } }],
    ['caching off', { cacheClusterEnabled: true, methodSettings: { '*/*': { cachingEnabled: false } } }],
    [
      'encrypted',
      {
        cacheClusterEnabled: true,
        methodSettings: { '*/*': { cachingEnabled: true, cacheDataEncrypted: true } },
      },
    ],
  ])('%s: compliant, no write', async (_label, stage) => {
    fakeStage(mocks, stage);
    expect((await outcome())?.status).toBe('compliant');
    expect(patches()).toEqual([]);
  });

  it('dry-run, exempt, gone and own calls write nothing', async () => {
    const drifted = { cacheClusterEnabled: true, methodSettings: { '*/*': { cachingEnabled: true } } };
    fakeStage(mocks, drifted);
    expect((await outcome(engine({ dryRun: true })))?.status).toBe('would-remediate');
    const own = engine({ env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' } });
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    mocks.restore();
    mocks = new MockAws();
    fakeStage(mocks, { ...drifted, tags: { 'phiguard:exempt': 'synthetic test data' } });
    expect((await outcome())?.status).toBe('exempt');
    mocks.restore();
    mocks = new MockAws();
    fakeStage(mocks, drifted, { exists: false });
    expect((await outcome())?.status).toBe('gone');
    expect(patches()).toEqual([]);
  });
});
