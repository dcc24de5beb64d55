/**
 * §164.312(b) Audit controls: an API Gateway stage in front of PHI keeps access
 * logs (who called which resource, when, with what result).
 *
 * The fix sends the stage's access logs to PHIGUARD_API_ACCESS_LOG_GROUP_ARN
 * (`{region}` stands for the stage's Region) in a JSON format that records the
 * resource template (`/patients/{id}`), never the request's own path or query,
 * which may carry PHI. Without a log group configured it is a ticket. API Gateway
 * needs its account-level CloudWatch Logs role to write there: without it AWS
 * refuses the change and the outcome is an `error` naming the refusal (README).
 * A stage already logging keeps its destination and format.
 *
 * Events: CreateStage and UpdateStage.
 */
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { awsCall } from '../src/planned-action';
import { apiGatewayStage, apigateway, describeStage, stageOf } from '../src/resources/apigateway/stage';
import { defineRule } from '../src/rule';
import { ruleSetting } from '../src/rule-settings';
import * as z from '../src/zod';

export const apiAccessLogGroupArn = ruleSetting({
  env: 'PHIGUARD_API_ACCESS_LOG_GROUP_ARN',
  file: 'apiGateway.accessLogGroupArn',
  description:
    'CloudWatch Logs group ARN for API Gateway access logs, where {region} stands for the stage’s Region (arn:aws:logs:{region}:123456789012:log-group:api-access)',
  unset: 'a ticket instead of a fix',
  schema: z
    .string()
    .check(
      z.regex(
        /^arn:[a-z-]+:logs:([a-z0-9-]+|\{region\}):\d{12}:log-group:[A-Za-z0-9_/.#-]{1,512}$/,
        'must be a CloudWatch Logs log-group ARN, optionally with {region}',
      ),
    ),
});

/** One JSON line per request; the resource template, not the path, which may hold PHI. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
});

const settings = { logGroupArn: apiAccessLogGroupArn };

export default defineRule<Record<string, never>, typeof settings>({
  id: 'apigateway-stage-access-logging',
  title: 'API Gateway stage must keep access logs',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  fix: 'access logs to the configured log group, in a format without request paths; none configured → ticket',
  resource: apiGatewayStage,
  triggers: [{ source: 'apigateway.amazonaws.com', events: ['CreateStage', 'UpdateStage'] }],
  settings,
  permissions: { read: [], write: ['apigateway:PATCH'] },

  async check(arn, ctx) {
    const stage = await describeStage(ctx, arn);
    const logging = Boolean(stage.accessLogSettings?.destinationArn);
    return {
      state: logging ? 'compliant' : 'non-compliant',
      findings: logging ? [] : ['access logging is off'],
      observed: {},
      summary: { accessLogging: logging },
    };
  },

  plan(arn, _observed, ctx) {
    const destination = ctx.settings.logGroupArn?.replaceAll('{region}', ctx.region);
    if (!destination) {
      return { kind: 'ticket', reason: `no access-log group configured (set ${apiAccessLogGroupArn.env})` };
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(apigateway, UpdateStageCommand, {
          ...stageOf(arn),
          patchOperations: [
            { op: 'replace', path: '/accessLogSettings/destinationArn', value: destination },
            { op: 'replace', path: '/accessLogSettings/format', value: ACCESS_LOG_FORMAT },
          ],
        }),
      ],
    };
  },
});
