import {
  GetStageCommand,
  type PatchOperation,
  type Stage,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { apigateway } from '../../src/resources/apigateway/stage';
import type { MockAws } from './scenario';

export const STAGE_ARN = 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod';

/**
 * One stage behind the mocked client. UpdateStage applies the patch operations PHI
 * Guard sends (method settings' caching/dataEncrypted, access log settings) as API
 * Gateway does. The returned state is live.
 */
export function fakeStage(mocks: MockAws, stage: Partial<Stage> = {}, options: { exists?: boolean } = {}) {
  const state: Stage = { stageName: 'prod', deploymentId: 'd3pl0y', ...structuredClone(stage) };
  const stub = mocks.client(apigateway);
  stub.on(GetStageCommand).callsFake(() => {
    if (options.exists === false) {
      throw Object.assign(new Error('gone'), { name: 'NotFoundException', $fault: 'client' });
    }
    return structuredClone(state);
  });
  stub.on(UpdateStageCommand).callsFake((input: { patchOperations: PatchOperation[] }) => {
    for (const op of input.patchOperations) {
      const path = op.path ?? '';
      if (path.startsWith('/accessLogSettings/')) {
        state.accessLogSettings = {
          ...state.accessLogSettings,
          [path.split('/').at(-1) as string]: op.value,
        };
      } else if (path.endsWith('/caching/dataEncrypted')) {
        const key = path.slice(1, -'/caching/dataEncrypted'.length);
        state.methodSettings = {
          ...state.methodSettings,
          [key]: { ...state.methodSettings?.[key], cacheDataEncrypted: op.value === 'true' },
        };
      }
    }
    return structuredClone(state);
  });
  return { stub, state };
}
