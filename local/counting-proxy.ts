import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A recording HTTP proxy in front of the emulator, on a free loopback port.
 * Tests and the benchmark point AWS_ENDPOINT_URL at it to see the exact AWS
 * calls made (by any process), without instrumenting the code under test.
 */
export interface RecordedCall {
  /** Service operation: `PutItem`, `PutPublicAccessBlock`, `CreateFlowLogs`, … */
  operation: string;
  method: string;
  /** Request path, e.g. `/bucket-name` for path-style S3. */
  path: string;
  /** The X-Amz-Target service prefix, `s3`, or `query` for EC2/ELB-style calls. */
  service: string;
  /** For `query` calls, the API version that names the service (`2016-11-15` is EC2). */
  apiVersion?: string;
  /** For S3, the bucket the call is about. */
  bucket?: string;
}

export interface CountingProxy {
  endpoint: string;
  calls: RecordedCall[];
  /** Calls matching `predicate`, counted by operation name. */
  count(predicate?: (call: RecordedCall) => boolean): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const S3_SUBRESOURCES: Record<string, string> = {
  acl: 'BucketAcl',
  policy: 'BucketPolicy',
  publicAccessBlock: 'PublicAccessBlock',
  encryption: 'BucketEncryption',
  tagging: 'BucketTagging',
  versioning: 'BucketVersioning',
  logging: 'BucketLogging',
  location: 'BucketLocation',
};
const VERBS: Record<string, string> = {
  GET: 'Get',
  PUT: 'Put',
  DELETE: 'Delete',
  HEAD: 'Head',
  POST: 'Post',
};

/** S3 (path style) names no operation on the wire: it follows from the method, path and sub-resource. */
function s3Operation(method: string, url: URL): { operation: string; bucket?: string } {
  const [bucket, ...key] = url.pathname.split('/').filter(Boolean);
  const id = url.searchParams.get('x-id');
  if (id) return { operation: id, bucket };
  if (!bucket) return { operation: method === 'GET' ? 'ListBuckets' : `${method}:/`, bucket };
  const subresource = [...url.searchParams.keys()].find((k) => k in S3_SUBRESOURCES);
  if (subresource) return { operation: `${VERBS[method] ?? method}${S3_SUBRESOURCES[subresource]}`, bucket };
  if (key.length > 0) return { operation: `${VERBS[method] ?? method}Object`, bucket };
  const bucketOps: Record<string, string> = {
    PUT: 'CreateBucket',
    DELETE: 'DeleteBucket',
    HEAD: 'HeadBucket',
    GET: 'ListObjects',
  };
  return { operation: bucketOps[method] ?? `${method}:bucket`, bucket };
}

function classify(req: IncomingMessage, body: string): RecordedCall {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const method = req.method ?? 'GET';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [service, operation] = target.split('.');
    return { operation: operation ?? target, method, path: url.pathname, service: service ?? 'json' };
  }
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? url.searchParams.get('Action');
  if (action) {
    const apiVersion = form.get('Version') ?? url.searchParams.get('Version') ?? undefined;
    return { operation: action, method, path: url.pathname, service: 'query', apiVersion };
  }
  return { ...s3Operation(method, url), method, path: url.pathname, service: 's3' };
}

/** An answer the proxy gives instead of forwarding (throttling, to test back-off). */
export interface InjectedFault {
  status: number;
  contentType: string;
  body: string;
}

/** EC2's query API version; its errors have their own XML shape. */
const EC2_API_VERSION = '2016-11-15';

/** The throttling answer each protocol's SDK deserializer recognises as retryable. */
export function throttlingFault(call: RecordedCall): InjectedFault {
  if (call.service === 's3') {
    return {
      status: 503,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>proxy</RequestId></Error>',
    };
  }
  if (call.service === 'query' && call.apiVersion === EC2_API_VERSION) {
    return {
      status: 503,
      contentType: 'text/xml',
      body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>proxy</RequestID></Response>',
    };
  }
  if (call.service === 'query') {
    return {
      status: 400,
      contentType: 'text/xml',
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>proxy</RequestId></ErrorResponse>',
    };
  }
  return {
    status: 400,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
      message: 'Rate exceeded',
    }),
  };
}

export interface ProxyOptions {
  /** Called for every request; an answer returned is sent instead of forwarding. */
  fault?: (call: RecordedCall, body: string) => InjectedFault | undefined;
}

export async function startCountingProxy(
  upstream: string,
  options: ProxyOptions = {},
): Promise<CountingProxy> {
  const target = new URL(upstream);
  const calls: RecordedCall[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!(req.url ?? '').startsWith('/moto-api')) {
        const call = classify(req, body.toString('utf8'));
        calls.push(call);
        const fault = options.fault?.(call, body.toString('utf8'));
        if (fault) {
          res.writeHead(fault.status, { 'content-type': fault.contentType });
          res.end(fault.body);
          return;
        }
      }
      const forward = request(
        {
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    count(predicate = () => true) {
      const counts: Record<string, number> = {};
      for (const call of calls.filter(predicate)) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
      return counts;
    },
    reset() {
      calls.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
