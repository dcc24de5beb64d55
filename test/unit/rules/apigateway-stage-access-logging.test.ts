import { GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageEvent } from '../../../local/fixtures';
import rule, { ACCESS_LOG_FORMAT } from '../../../remediations/apigateway-stage-access-logging';
import { processEvent } from '../../../src/process-event';
import { apigateway } from '../../../src/resources/apigateway/stage';
import type { Rule } from '../../../src/rule';
import { testEngine } from '../../support/engine';
import { fakeStage, STAGE_ARN } from '../../support/fake-apigateway';
import { awsError } from '../../support/fake-s3';
import { MockAws } from '../../support/scenario';

const LOGS = 'arn:aws:logs:{region}:123456789012:log-group:api-access';
const engine = (env: Record<string, string> = { PHIGUARD_API_ACCESS_LOG_GROUP_ARN: LOGS }) =>
  testEngine({ rules: [rule as Rule], env });
const event = () => stageEvent('apigateway/UpdateStage.access-logs-removed', STAGE_ARN);
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

describe('apigateway-stage-access-logging (client mocks; moto in the scenario tests)', () => {
  it('off: logs to the Region’s log group in a format that records resource templates, not paths; read back', async () => {
    const { state } = fakeStage(mocks);
    expect(await outcome()).toMatchObject({ status: 'remediated', after: { accessLogging: true } });
    expect(patches()).toEqual([
      {
        restApiId: 'a1b2c3d4e5',
        stageName: 'prod',
        patchOperations: [
          {
            op: 'replace',
            path: '/accessLogSettings/destinationArn',
            value: 'arn:aws:logs:us-east-1:123456789012:log-group:api-access',
          },
          { op: 'replace', path: '/accessLogSettings/format', value: ACCESS_LOG_FORMAT },
        ],
      },
    ]);
    expect(state.accessLogSettings?.destinationArn).toContain(':log-group:api-access');
    expect(ACCESS_LOG_FORMAT).toContain('$context.resourcePath');
    expect(ACCESS_LOG_FORMAT).not.toMatch(/\$context\.path|querystring|requestOverride/i);
  });

  it('logging elsewhere is compliant; no log group configured is a ticket', async () => {
    fakeStage(mocks, {
      accessLogSettings: { destinationArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/x' },
    });
    expect((await outcome())?.status).toBe('compliant');
    mocks.restore();
    mocks = new MockAws();
    fakeStage(mocks);
    expect(await outcome(engine({}))).toMatchObject({
      status: 'ticket',
      reason: 'no access-log group configured (set PHIGUARD_API_ACCESS_LOG_GROUP_ARN)',
    });
    expect(patches()).toEqual([]);
  });

  it('a setting that is not a log-group ARN is refused at start-up', () => {
    expect(() => engine({ PHIGUARD_API_ACCESS_LOG_GROUP_ARN: 'api-access' })).toThrow(/log-group ARN/);
  });

  it('API Gateway refusing the change (no CloudWatch role in its account settings) is an error outcome; AccessDenied on the read too', async () => {
    const { stub } = fakeStage(mocks);
    stub.on(UpdateStageCommand).rejects(awsError('BadRequestException', 400));
    const refused = await processEvent(engine(), event()).catch((e) => e);
    expect(refused.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'UpdateStage failed: BadRequestException (HTTP 400)',
    });
    stub.on(GetStageCommand).rejects(awsError('AccessDeniedException', 403));
    const denied = await processEvent(engine(), event()).catch((e) => e);
    expect(denied.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDenied'),
    });
  });
});
