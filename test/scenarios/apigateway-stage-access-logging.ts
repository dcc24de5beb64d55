import { GetStageCommand } from '@aws-sdk/client-api-gateway';
import { expect } from 'vitest';
import { stageEvent } from '../../local/fixtures';
import { createStage } from '../../local/seed-apigateway';
import { ACCESS_LOG_FORMAT } from '../../remediations/apigateway-stage-access-logging';
import { apigateway, stageOf } from '../../src/resources/apigateway/stage';
import { fakeStage, STAGE_ARN } from '../support/fake-apigateway';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';
import { API_LOGS } from './apigateway-stage-cache-encrypted';

export default {
  drifted: [
    {
      name: 'a stage without access logs, a log group configured',
      arn: STAGE_ARN,
      env: { PHIGUARD_API_ACCESS_LOG_GROUP_ARN: API_LOGS },
      aws: (mocks) => fakeStage(mocks, {}),
    },
  ],
  samples: {},
  emulator: {
    env: { PHIGUARD_API_ACCESS_LOG_GROUP_ARN: API_LOGS },
    seed: (clients, region) => createStage(clients.get(apigateway), region, uniqueName('phi-api')),
    expect: 'remediated',
    event: (arn) => stageEvent('apigateway/UpdateStage.access-logs-removed', arn),
    async fixed(clients, arn) {
      const stage = await clients.get(apigateway).send(new GetStageCommand(stageOf(arn)));
      expect(stage.accessLogSettings).toEqual({
        destinationArn: API_LOGS.replace('{region}', arn.split(':')[3] as string),
        format: ACCESS_LOG_FORMAT,
      });
    },
  },
} satisfies RuleScenarios;
