/**
 * The credential provider of the Lambda bundles, standing in for
 * `@aws-sdk/credential-provider-node` (infra/esbuild-plugins.cjs swaps it in at
 * bundle time; the CLI and the tests keep the SDK's full chain).
 *
 * Lambda hands every function its execution role's credentials in the
 * environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so
 * the rest of the default chain (SSO, shared ini files, credential_process, web
 * identity, container and instance metadata) can never answer there. It is also
 * ~100 KB of every bundle (its SSO, STS and sign-in clients), loaded on every
 * cold start. The interface is the one the SDK clients call: `defaultProvider(init)`.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
