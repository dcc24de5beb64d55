/**
 * AWS::ApiGateway::Stage: a stage of a REST API (API Gateway v1). Its ARN has no
 * account: `arn:<partition>:apigateway:<region>::/restapis/<api id>/stages/<name>`.
 * Records name the API (`restApiId`) and the stage (`stageName`; CreateStage inside
 * `createStageInput`, and in its answer). GetStages describes every stage of an
 * API in one call, so a sweep page costs one call per API.
 */
import {
  APIGatewayClient,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { hasErrorCode } from '../../aws-errors';
import type { CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext } from '../resource-type';

export const apigateway = awsClient(APIGatewayClient, { iamPrefix: 'apigateway' });

const API_ID = /^[a-z0-9]{10}$/;
const STAGE_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const STAGE = 'apigateway:stage';

export function stageArn(partition: string, region: string, restApiId: string, stageName: string): string {
  return `arn:${partition}:apigateway:${region}::/restapis/${restApiId}/stages/${stageName}`;
}

/** The API id and stage name of a stage ARN; a TypeError for any other ARN. */
export function stageOf(arn: string): { restApiId: string; stageName: string } {
  const match = /^\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(parseArn(arn)?.resource ?? '');
  if (!match?.[1] || !match[2]) throw new TypeError(`not an API Gateway stage ARN: ${arn}`);
  return { restApiId: match[1], stageName: match[2] };
}

export function isStageGone(error: unknown): boolean {
  return hasErrorCode(error, 'NotFoundException');
}

function stageArns(record: CloudTrailRecord): string[] {
  const request = record.requestParameters;
  const restApiId = stringField(request, 'restApiId');
  const stageName =
    stringField(request, 'stageName') ??
    stringField(request, 'createStageInput', 'stageName') ??
    stringField(record.responseElements, 'stageName');
  const region = record.awsRegion;
  if (!restApiId || !API_ID.test(restApiId) || !stageName || !STAGE_NAME.test(stageName) || !region)
    return [];
  return [stageArn(partitionOf(region), region, restApiId, stageName)];
}

/** The stage, read once per event or sweep page; ResourceGoneError when it (or its API) no longer exists. */
export function describeStage(ctx: ResourceContext, arn: string): Promise<Stage> {
  return ctx.reads.get(arn, STAGE, async () => {
    try {
      return await ctx.clients.get(apigateway).send(new GetStageCommand(stageOf(arn)));
    } catch (error) {
      if (isStageGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

export const apiGatewayStage = defineResourceType({
  type: 'AWS::ApiGateway::Stage',
  client: apigateway,
  // API Gateway authorises its management API by HTTP method on the resource's path.
  permissions: { read: ['apigateway:GET'] },

  resourceIds: stageArns,

  async listPage(ctx, token) {
    const client = ctx.clients.get(apigateway);
    const apis = await client.send(
      new GetRestApisCommand({ position: token, limit: Math.min(ctx.pageSize ?? 25, 500) }),
    );
    const arns: string[] = [];
    for (const api of apis.items ?? []) {
      if (!api.id) continue;
      const stages = await client.send(new GetStagesCommand({ restApiId: api.id }));
      for (const stage of stages.item ?? []) {
        if (!stage.stageName) continue;
        const arn = stageArn(ctx.partition, ctx.region, api.id, stage.stageName);
        // The listing describes each stage: no GetStage per stage in a sweep.
        ctx.reads.prime(arn, STAGE, stage);
        arns.push(arn);
      }
    }
    return { arns, next: apis.position || undefined };
  },

  // A stage's tags come with its description.
  tags: async (arn, ctx) => ({ ...(await describeStage(ctx, arn)).tags }),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    const { restApiId, stageName } = stageOf(arn);
    return (
      base &&
      `${base}/apigateway/main/apis/${restApiId}/stages?api=${restApiId}&region=${region}#${encodeURIComponent(stageName)}`
    );
  },
});
