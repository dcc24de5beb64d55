import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * What a request on the wire is, learnt from the AWS SDK's own metadata rather than
 * from tables kept by hand: which client package signs as a service (its endpoint
 * parameters name its signing name), and, for REST protocols (S3, API Gateway,
 * Glacier, Lambda, …), which operation a method and path are (each command's
 * operation schema carries its HTTP binding, e.g. `["PATCH",
 * "/restapis/{restApiId}/stages/{stageName}", 200]`).
 */

const require = createRequire(import.meta.url);

/**
 * The installed `@aws-sdk/client-*` packages, by the signing name their clients sign
 * requests with (API Gateway's v1 and v2 clients share one).
 */
let bySigningName: Map<string, string[]> | undefined;

function clientPackages(): Map<string, string[]> {
  if (bySigningName) return bySigningName;
  const found = new Map<string, string[]>();
  const scope = dirname(dirname(require.resolve('@aws-sdk/client-s3/package.json')));
  for (const name of readdirSync(scope)) {
    if (!name.startsWith('client-')) continue;
    const file = join(scope, name, 'dist-es', 'endpoint', 'EndpointParameters.js');
    if (!existsSync(file)) continue;
    const signingName = /defaultSigningName:\s*"([^"]+)"/.exec(readFileSync(file, 'utf8'))?.[1];
    if (signingName) found.set(signingName, [...(found.get(signingName) ?? []), `@aws-sdk/${name}`]);
  }
  bySigningName = found;
  return found;
}

interface RestBinding {
  operation: string;
  method: string;
  path: RegExp;
  /** Query parameters the binding requires (`?acl`, `?x-id=GetObject`), with their value when fixed. */
  query: [string, string | undefined][];
}

const bindings = new Map<string, RestBinding[]>();

function bindingOf(operation: string, http: [string, string, number]): RestBinding {
  const [method, uri] = http;
  const [path = '/', query = ''] = uri.split('?');
  const pattern = path
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{')
        ? part.endsWith('+}')
          ? '.+'
          : '[^/]+'
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return {
    operation,
    method,
    path: new RegExp(`^${pattern === '/' ? '/?' : pattern}$`),
    query: query
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const [key = '', value] = pair.split('=');
        return [key, value];
      }),
  };
}

/** The REST bindings of one service's commands, read from the SDK package once. */
function restBindings(signingName: string): RestBinding[] {
  const known = bindings.get(signingName);
  if (known) return known;
  const found: RestBinding[] = [];
  for (const pkg of clientPackages().get(signingName) ?? []) {
    const exports = require(pkg) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (!name.endsWith('Command') || typeof value !== 'function' || name === '$Command') continue;
      const schema = (
        new (value as new (input: object) => { schema?: unknown[] })({}) as { schema?: unknown[] }
      ).schema;
      const operation = schema?.[2];
      const http = (schema?.[3] as { http?: [string, string, number] } | undefined)?.http;
      if (typeof operation === 'string' && http) found.push(bindingOf(operation, http));
    }
  }
  bindings.set(signingName, found);
  return found;
}

/**
 * The operation a REST request is, or undefined. `path` is relative to the
 * service's endpoint (for S3 path-style requests, without the bucket).
 */
export function restOperation(signingName: string, method: string, path: string, query: URLSearchParams) {
  const candidates = restBindings(signingName).filter(
    (binding) =>
      binding.method === method &&
      binding.path.test(path) &&
      binding.query.every(
        ([key, value]) => query.has(key) && (value === undefined || query.get(key) === value),
      ),
  );
  // The most specific binding wins: `GET /?acl` over `GET /`.
  candidates.sort((a, b) => b.query.length - a.query.length);
  return candidates[0]?.operation;
}

/** The service a request is signed for (SigV4 credential scope), e.g. `s3`, `dynamodb`, `apigateway`. */
export function signingNameOf(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '')?.[1];
}
