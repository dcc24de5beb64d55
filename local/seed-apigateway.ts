/**
 * REST API stages for the tests: an API with one method, deployed to a stage.
 */
import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';

/** A stage named `stage` of a new REST API, its cache and access logs as asked; returns its ARN. */
export async function createStage(
  client: APIGatewayClient,
  region: string,
  name: string,
  options: { cache?: 'encrypted' | 'unencrypted'; accessLogsTo?: string } = {},
): Promise<string> {
  const api = await client.send(new CreateRestApiCommand({ name }));
  const restApiId = api.id as string;
  const root = (await client.send(new GetResourcesCommand({ restApiId }))).items?.[0]?.id as string;
  await client.send(
    new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }),
  );
  await client.send(
    new PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'MOCK' }),
  );
  const deployment = await client.send(new CreateDeploymentCommand({ restApiId }));
  await client.send(
    new CreateStageCommand({
      restApiId,
      stageName: 'prod',
      deploymentId: deployment.id as string,
      cacheClusterEnabled: options.cache !== undefined,
      ...(options.cache ? { cacheClusterSize: '0.5' } : {}),
    }),
  );
  const patchOperations = [
    ...(options.cache
      ? [
          { op: 'replace' as const, path: '/*/*/caching/enabled', value: 'true' },
          {
            op: 'replace' as const,
            path: '/*/*/caching/dataEncrypted',
            value: String(options.cache === 'encrypted'),
          },
        ]
      : []),
    ...(options.accessLogsTo
      ? [
          { op: 'replace' as const, path: '/accessLogSettings/destinationArn', value: options.accessLogsTo },
          { op: 'replace' as const, path: '/accessLogSettings/format', value: '$context.requestId' },
        ]
      : []),
  ];
  if (patchOperations.length > 0) {
    await client.send(new UpdateStageCommand({ restApiId, stageName: 'prod', patchOperations }));
  }
  return `arn:aws:apigateway:${region}::/restapis/${restApiId}/stages/prod`;
}
