import { STSClient } from '@aws-sdk/client-sts';
import { type MemberAccess, memberCredentials } from './member-accounts';
import { registerLegacyOperations } from './planned-action';
import { giveWritesTheirOwnAttempts } from './write-outcome-middleware';

/**
 * The AWS SDK clients rules use. A resource module declares its service's client
 * once, with {@link awsClient}; the engine keeps one instance per (region, client)
 * for the life of the process (a warm Lambda reuses its connections) and creates it
 * on first use, so a cold start only pays for the services an event needs.
 * Credentials, profile, region and `AWS_ENDPOINT_URL` come from the standard AWS
 * environment.
 */

/** What every client shares: the region, and the retry policy of a sweep under throttling. */
export interface CommonClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: string;
  /** Test and emulator overrides (an endpoint, static credentials). */
  [option: string]: unknown;
}

/** A service client as rules use it: SDK v3 `send`. */
export interface SdkClient {
  send(command: never, options?: unknown): Promise<unknown>;
}

export interface AwsClientSpec<C extends SdkClient = SdkClient> {
  /** The SDK client class (tests mock it by class). */
  readonly Client: new (
    config: never,
  ) => C;
  /** The IAM service prefix of the client's actions (`s3`, `elasticloadbalancing`). */
  readonly iamPrefix: string;
  /** Builds the client for one region. */
  create(common: CommonClientConfig): C;
}

/**
 * Declares a service client: its class, the IAM prefix of its actions, and any
 * options of its own on top of the common ones.
 */
export function awsClient<C extends SdkClient>(
  Client: new (config: never) => C,
  options: {
    iamPrefix: string;
    config?: (common: CommonClientConfig) => Record<string, unknown>;
    /**
     * Only for a client published before operation schemas (SDK 3.900): its
     * commands cannot name their operation, so the ones PHI Guard sends are declared
     * by operation (`{ DescribeJob: DescribeJobCommand }`; an undeclared one fails
     * the first time it is described, and the permission meta-test with it); and it
     * does not read AWS_ENDPOINT_URL, so its service's variable
     * (`AWS_ENDPOINT_URL_SNOWBALL`), else AWS_ENDPOINT_URL, is passed to it here.
     */
    legacy?: {
      operations: Readonly<Record<string, abstract new (...args: never[]) => object>>;
      endpointVariable: string;
    };
  },
): AwsClientSpec<C> {
  const { legacy } = options;
  if (legacy) registerLegacyOperations(legacy.operations);
  return {
    Client,
    iamPrefix: options.iamPrefix,
    create: (common) => {
      const endpoint = legacy && (process.env[legacy.endpointVariable] || process.env.AWS_ENDPOINT_URL);
      return new Client({
        ...(endpoint ? { endpoint } : {}),
        ...common,
        ...options.config?.(common),
      } as never);
    },
  };
}

/** STS, which PHI Guard asks which account it runs in and for member-account credentials. */
export const sts = awsClient(STSClient, { iamPrefix: 'sts' });

/** True when calls go to an emulator or another custom endpoint (one host name, no per-bucket hosts). */
export function usesCustomEndpoint(common: CommonClientConfig): boolean {
  return Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3 || common.endpoint);
}

/** The clients of one region. */
export interface AwsClients {
  readonly region: string;
  get<C extends SdkClient>(spec: AwsClientSpec<C>): C;
}

export interface AwsClientOptions {
  region: string;
  /** Extra SDK options for tests (e.g. a custom endpoint). */
  overrides?: Record<string, unknown>;
}

/** Time to open a connection, and for an answer once the request is sent (AWS answers in well under a second). */
export const CONNECTION_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 20_000;

export function createAwsClients({ region, overrides = {} }: AwsClientOptions): AwsClients {
  // Standard retry (exponential back-off with jitter, per request), not adaptive: under
  // injected faults adaptive mode's client-wide rate limiter slowed a whole sweep to a
  // crawl (a 16-bucket sweep at 20 % faults: 60 s against 14 s; issue 15). Writes get
  // their own attempts: one whose answer was lost is read back, never re-sent blindly.
  // Every call has a time-out: a hung connection fails the attempt (a read is retried;
  // a write's outcome is unknown, so it is read back), instead of holding the Lambda.
  const common: CommonClientConfig = {
    region,
    maxAttempts: 5,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...overrides,
  };
  const clients = new Map<AwsClientSpec<SdkClient>, SdkClient>();
  return {
    region,
    get<C extends SdkClient>(spec: AwsClientSpec<C>): C {
      let client = clients.get(spec);
      if (!client) {
        client = spec.create(common);
        giveWritesTheirOwnAttempts(client);
        clients.set(spec, client);
      }
      return client as C;
    },
  };
}

/** The clients of a Region: PHI Guard's own account, or a member account through its role. */
export interface ClientPool {
  (region: string, member?: MemberAccess): AwsClients;
  /**
   * Assumes the member role now (or reuses its credentials): the engine asks before
   * it reads anything, so a role that cannot be assumed stops the event at once.
   */
  assume?(member: MemberAccess, region: string): Promise<void>;
}

/**
 * Caches one client set per (account, Region) for the life of the process. A
 * member account's clients use its role's credentials, assumed once per account
 * (every Region shares them) and renewed shortly before they expire.
 */
export function createClientPool(options: Omit<AwsClientOptions, 'region'> = {}): ClientPool {
  const pool = new Map<string, AwsClients>();
  const credentials = new Map<string, ReturnType<typeof memberCredentials>>();
  const providerFor = (member: MemberAccess, region: string) => {
    let provider = credentials.get(member.roleArn);
    if (!provider) {
      // AssumeRole is asked with PHI Guard's own credentials: its own clients of the Region.
      provider = memberCredentials(member, () => clientsOf(region).get(sts));
      credentials.set(member.roleArn, provider);
    }
    return provider;
  };
  const clientsOf = (region: string, member?: MemberAccess): AwsClients => {
    const key = `${member?.roleArn ?? ''}\u0000${region}`;
    let clients = pool.get(key);
    if (!clients) {
      const provider = member && providerFor(member, region);
      clients = createAwsClients({
        ...options,
        region,
        overrides: { ...options.overrides, ...(provider ? { credentials: provider } : {}) },
      });
      pool.set(key, clients);
    }
    return clients;
  };
  return Object.assign(clientsOf, {
    assume: async (member: MemberAccess, region: string) => {
      await providerFor(member, region)();
    },
  });
}
