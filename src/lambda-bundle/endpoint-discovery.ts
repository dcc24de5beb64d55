/**
 * Stands in for `@aws-sdk/middleware-endpoint-discovery` in the Lambda bundles
 * (infra/esbuild-plugins.cjs swaps it in at bundle time; the CLI and the tests
 * keep the SDK's own module).
 *
 * DynamoDB endpoint discovery is off unless a caller turns it on, and none of the
 * DynamoDB commands of this SDK version adds its middleware; what remains is the
 * client building an endpoint cache (an LRU library, ~8 KB of every bundle) that
 * nothing reads. The configuration keeps its shape; turning discovery on in a
 * Lambda bundle fails at client construction with a named error instead of being
 * silently ignored.
 */
import { NotBundledError } from '../errors';

/** Read by the client's runtime config; nothing in the environment can turn discovery on. */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: () => undefined,
  configFileSelector: () => undefined,
  default: false,
};

export const resolveEndpointDiscoveryConfig = <T extends { endpointDiscoveryEnabled?: boolean }>(
  input: T,
  { endpointDiscoveryCommandCtor }: { endpointDiscoveryCommandCtor: unknown },
) => {
  if (input.endpointDiscoveryEnabled === true) {
    throw new NotBundledError(
      'DynamoDB endpoint discovery is not in the PHI Guard Lambda bundle: remove the endpoint-discovery stand-in from infra/esbuild-plugins.cjs to turn it on',
    );
  }
  return Object.assign(input, {
    endpointDiscoveryCommandCtor,
    endpointDiscoveryEnabled: () => Promise.resolve(false),
    isClientEndpointDiscoveryEnabled: false,
  });
};
