import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBParametersCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  GetBucketAclCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingProxy } from '../../../local/recording-proxy';
import { iamActionsOf } from '../../support/iam-actions';

/**
 * The recording proxy names each call from the wire, whatever the protocol: the
 * service from the request's signature, the operation from the SDK's own schemas.
 * The upstream here answers nothing useful: only what the proxy saw matters.
 */
let upstream: ReturnType<typeof createServer>;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
const config = () => ({
  region: 'us-east-1',
  endpoint: proxy.endpoint,
  credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
  maxAttempts: 1,
});

beforeAll(async () => {
  upstream = createServer((_req, res) => res.writeHead(500).end());
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startRecordingProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await proxy.close();
  upstream.close();
});

describe('recording proxy', () => {
  it.each([
    [
      'S3 (REST-XML, path style)',
      () =>
        new S3Client({ ...config(), forcePathStyle: true }).send(
          new GetBucketAclCommand({ Bucket: 'phi-claims' }),
        ),
      {
        service: 's3',
        operation: 'GetBucketAcl',
        protocol: 'rest',
        bucket: 'phi-claims',
        subject: 'phi-claims',
      },
      's3:GetBucketAcl',
    ],
    [
      'S3, a renamed IAM action',
      () =>
        new S3Client({ ...config(), forcePathStyle: true }).send(
          new GetPublicAccessBlockCommand({ Bucket: 'phi-claims' }),
        ),
      { service: 's3', operation: 'GetPublicAccessBlock', subject: 'phi-claims' },
      's3:GetBucketPublicAccessBlock',
    ],
    [
      'S3 ListBuckets',
      () => new S3Client({ ...config(), forcePathStyle: true }).send(new ListBucketsCommand({})),
      { service: 's3', operation: 'ListBuckets' },
      's3:ListAllMyBuckets',
    ],
    [
      'API Gateway (REST-JSON), once mistaken for S3',
      () =>
        new APIGatewayClient(config()).send(
          new UpdateStageCommand({ restApiId: 'a1b2c3', stageName: 'prod', patchOperations: [] }),
        ),
      { service: 'apigateway', operation: 'UpdateStage', protocol: 'rest' },
      'apigateway:PATCH',
    ],
    [
      'EC2 (query)',
      () => new EC2Client(config()).send(new DescribeVpcsCommand({})),
      { service: 'ec2', operation: 'DescribeVpcs', protocol: 'query' },
      'ec2:DescribeVpcs',
    ],
    [
      'DynamoDB (JSON)',
      () => new DynamoDBClient(config()).send(new GetItemCommand({ TableName: 't', Key: {} })),
      { service: 'dynamodb', operation: 'GetItem', protocol: 'json', subject: 't' },
      'dynamodb:GetItem',
    ],
    [
      'RDS (query), naming its resource',
      () =>
        new RDSClient(config()).send(new DescribeDBParametersCommand({ DBParameterGroupName: 'claims-pg' })),
      { service: 'rds', operation: 'DescribeDBParameters', protocol: 'query', subject: 'claims-pg' },
      'rds:DescribeDBParameters',
    ],
    [
      'SQS (JSON), naming its queue by URL',
      () =>
        new SQSClient(config()).send(
          new GetQueueAttributesCommand({ QueueUrl: `${proxy.endpoint}/123456789012/phi-intake` }),
        ),
      { service: 'sqs', operation: 'GetQueueAttributes', protocol: 'json', subject: 'phi-intake' },
      'sqs:GetQueueAttributes',
    ],
    [
      'Redshift (query), a listing names no resource',
      () => new RedshiftClient(config()).send(new DescribeClustersCommand({ MaxRecords: 20 })),
      { service: 'redshift', operation: 'DescribeClusters', protocol: 'query' },
      'redshift:DescribeClusters',
    ],
  ])('%s', async (_label, send, expected, iamAction) => {
    proxy.reset();
    await send().catch(() => undefined);
    expect(proxy.calls[0]).toMatchObject(expected);
    // The resource the call names, if any: what the benchmark charges it to.
    expect(proxy.calls[0]?.subject).toBe((expected as { subject?: string }).subject);
    expect(iamActionsOf(proxy.calls[0] as (typeof proxy.calls)[number])).toEqual([iamAction]);
  });
});
