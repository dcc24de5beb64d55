import { GetStageCommand } from '@aws-sdk/client-api-gateway';
import { expect } from 'vitest';
import { stageEvent } from '../../local/fixtures';
import { createStage } from '../../local/seed-apigateway';
import { apigateway, stageOf } from '../../src/resources/apigateway/stage';
import { fakeStage, STAGE_ARN } from '../support/fake-apigateway';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export const API_LOGS = 'arn:aws:logs:{region}:123456789012:log-group:phiguard-scenario-api-access';

export default {
  drifted: [
    {
      name: 'a stage caching responses unencrypted',
      arn: STAGE_ARN,
      aws: (mocks) =>
        fakeStage(mocks, {
          cacheClusterEnabled: true,
          methodSettings: { '*/*': { cachingEnabled: true, cacheDataEncrypted: false } },
          accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api' },
        }),
    },
  ],
  samples: {},
  emulator: {
    async seed(clients, region) {
      return createStage(clients.get(apigateway), region, uniqueName('phi-api'), {
        cache: 'unencrypted',
        accessLogsTo: API_LOGS.replace('{region}', region),
      });
    },
    expect: 'remediated',
    event: (arn) => stageEvent('apigateway/UpdateStage.cache-unencrypted', arn),
    async fixed(clients, arn) {
      const stage = await clients.get(apigateway).send(new GetStageCommand(stageOf(arn)));
      expect(stage.methodSettings?.['*/*']).toMatchObject({ cachingEnabled: true, cacheDataEncrypted: true });
    },
  },
} satisfies RuleScenarios;
