/**
 * §164.312(a)(2)(iv) Encryption and decryption: an API Gateway stage that caches
 * responses keeps them (PHI in an API's answers) encrypted at rest.
 *
 * Judged only where something is cached: the stage's cache cluster is on and a
 * method setting (the stage-wide `*\/*`, or a method's own) has caching on with
 * `cacheDataEncrypted` off. The fix patches exactly those settings'
 * `caching/dataEncrypted` to true; TTLs, keys and the cluster stay.
 *
 * Events: CreateStage and UpdateStage.
 */
import { type PatchOperation, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { awsCall } from '../src/planned-action';
import { apiGatewayStage, apigateway, describeStage, stageOf } from '../src/resources/apigateway/stage';
import { defineRule } from '../src/rule';

interface Observed {
  /** Method-setting keys (`*\/*`, `~1patients/GET`) caching without encryption. */
  unencrypted: string[];
}

export default defineRule<Observed>({
  id: 'apigateway-stage-cache-encrypted',
  title: 'API Gateway stage cache must be encrypted',
  severity: 'high',
  safeguards: ['164.312(a)(2)(iv)'],
  fix: 'caching/dataEncrypted=true on every method setting that caches unencrypted (nothing else changed)',
  resource: apiGatewayStage,
  triggers: [{ source: 'apigateway.amazonaws.com', events: ['CreateStage', 'UpdateStage'] }],
  // The stage's settings are in the description the resource type reads.
  permissions: { read: [], write: ['apigateway:PATCH'] },

  async check(arn, ctx) {
    const stage = await describeStage(ctx, arn);
    const unencrypted = stage.cacheClusterEnabled
      ? Object.entries(stage.methodSettings ?? {})
          .filter(([, settings]) => settings.cachingEnabled && settings.cacheDataEncrypted !== true)
          .map(([key]) => key)
          .sort()
      : [];
    return {
      state: unencrypted.length === 0 ? 'compliant' : 'non-compliant',
      findings: unencrypted.map(
        (key) => `${key === '*/*' ? 'the stage' : `method ${key}`} caches unencrypted`,
      ),
      observed: { unencrypted },
      summary: {
        cacheCluster: stage.cacheClusterEnabled === true,
        unencryptedCacheSettings: unencrypted.length,
      },
    };
  },

  plan(arn, observed) {
    const patchOperations: PatchOperation[] = observed.unencrypted.map((key) => ({
      op: 'replace',
      path: `/${key}/caching/dataEncrypted`,
      value: 'true',
    }));
    return {
      kind: 'fix',
      actions: [awsCall(apigateway, UpdateStageCommand, { ...stageOf(arn), patchOperations })],
    };
  },
});
