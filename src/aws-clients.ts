import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * The SDK clients rules use, one set per region, created on first use so that a
 * cold start only pays for the services an event actually needs. Credentials,
 * profile, region and `AWS_ENDPOINT_URL` come from the standard AWS environment.
 */
export interface AwsClients {
  s3(): S3Client;
  ec2(): EC2Client;
  elbv2(): ElasticLoadBalancingV2Client;
  elb(): ElasticLoadBalancingClient;
}

export interface AwsClientOptions {
  region: string;
  /** Extra SDK options for tests (e.g. a custom endpoint). */
  overrides?: Record<string, unknown>;
}

function lazy<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => {
    instance ??= create();
    return instance;
  };
}

export function createAwsClients({ region, overrides = {} }: AwsClientOptions): AwsClients {
  // Adaptive retry: a sweep slows down on throttling instead of failing resources.
  const common = { region, maxAttempts: 5, retryMode: 'adaptive', ...overrides };
  // Emulators and S3-compatible endpoints answer on one host name, not per bucket.
  const customEndpoint = Boolean(
    process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3 || overrides.endpoint,
  );
  return {
    s3: lazy(() => new S3Client({ ...common, forcePathStyle: customEndpoint, followRegionRedirects: true })),
    ec2: lazy(() => new EC2Client(common)),
    elbv2: lazy(() => new ElasticLoadBalancingV2Client(common)),
    elb: lazy(() => new ElasticLoadBalancingClient(common)),
  };
}

/** Caches one client set per region for the life of the process (a warm Lambda reuses them). */
export function createClientPool(
  options: Omit<AwsClientOptions, 'region'> = {},
): (region: string) => AwsClients {
  const pool = new Map<string, AwsClients>();
  return (region) => {
    let clients = pool.get(region);
    if (!clients) {
      clients = createAwsClients({ ...options, region });
      pool.set(region, clients);
    }
    return clients;
  };
}
