import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { restOperation, signingNameOf } from './sdk-operations';

/**
 * A recording HTTP proxy in front of the emulator, on a free loopback port.
 * Tests and the benchmark point AWS_ENDPOINT_URL at it to see the exact AWS
 * calls made (by any process), without instrumenting the code under test.
 */
export interface RecordedCall {
  /** Service operation: `PutItem`, `PutPublicAccessBlock`, `CreateFlowLogs`, `UpdateStage`, … */
  operation: string;
  method: string;
  /** Request path, e.g. `/bucket-name` for path-style S3. */
  path: string;
  /** The service the request is signed for (its SigV4 scope): `s3`, `dynamodb`, `ec2`, `apigateway`, … */
  service: string;
  /** How the SDK spoke: JSON with an X-Amz-Target, the query protocol (`Action=`), or REST. */
  protocol: 'json' | 'query' | 'rest';
  /** For S3, the bucket the call is about. */
  bucket?: string;
  /**
   * The one resource the call names, when it names one (an identifier, a parameter
   * group, a table, a bucket): what the benchmark charges a call to. A listing names none.
   */
  subject?: string;
  /** The emulator's HTTP status (set when its answer arrives; absent when the call never reached it). */
  status?: number;
  /** The fault the proxy injected instead of (or after) forwarding. */
  fault?: InjectedFault['kind'];
}

/** Request parameters that name the one resource a call is about, in query and JSON protocols. */
const SUBJECT_PARAMETERS = [
  'DBInstanceIdentifier',
  'DBClusterIdentifier',
  'DBSnapshotIdentifier',
  'DBClusterSnapshotIdentifier',
  'DBParameterGroupName',
  'DBClusterParameterGroupName',
  'ClusterIdentifier',
  'ParameterGroupName',
  'SnapshotId',
  'SnapshotId.1',
  'VolumeId',
  'VolumeId.1',
  'TableName',
  'ResourceArn',
  'QueueUrl',
  'QueueName',
  'TopicArn',
  'KeyId',
];

function subjectOf(parameters: { get(name: string): unknown }): string | undefined {
  for (const name of SUBJECT_PARAMETERS) {
    const value = parameters.get(name);
    // A queue URL ends in the queue's name, which is what the other SQS calls name.
    if (typeof value === 'string' && value !== '')
      return name === 'QueueUrl' ? value.split('/').at(-1) : value;
  }
  return undefined;
}

function jsonSubject(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return subjectOf({ get: (name) => parsed[name] });
  } catch {
    return undefined;
  }
}

export interface RecordingProxy {
  endpoint: string;
  calls: RecordedCall[];
  /** Calls matching `predicate`, counted by operation name. */
  count(predicate?: (call: RecordedCall) => boolean): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Names the call from the wire alone: the service from the request's signature, the
 * operation from the protocol (the JSON target, the query Action, or the REST binding
 * the SDK's own schemas declare). Path-style S3 names the bucket first in the path.
 */
function classify(req: IncomingMessage, body: string): RecordedCall {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const method = req.method ?? 'GET';
  const service = signingNameOf(req.headers.authorization) ?? 'unknown';
  const base = { method, path: url.pathname, service };
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const subject = jsonSubject(body);
    return {
      ...base,
      operation: target.split('.').at(-1) ?? target,
      protocol: 'json',
      ...(subject ? { subject } : {}),
    };
  }
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? url.searchParams.get('Action');
  if (action) {
    const subject = subjectOf(form);
    return { ...base, operation: action, protocol: 'query', ...(subject ? { subject } : {}) };
  }
  let path = url.pathname;
  let bucket: string | undefined;
  if (service === 's3') {
    const [first, ...rest] = path.split('/').filter(Boolean);
    bucket = first;
    path = `/${rest.join('/')}`;
  }
  const operation = restOperation(service, method, path, url.searchParams) ?? `${method} ${path}`;
  return { ...base, operation, protocol: 'rest', ...(bucket ? { bucket, subject: bucket } : {}) };
}

/** A read, by AWS's naming of operations (Get, List, Describe, Head); anything else changes something. */
export function isRead(call: RecordedCall): boolean {
  return /^(Get|List|Describe|Head)/.test(call.operation);
}

/**
 * What the proxy does instead of forwarding plainly: answer with an error (throttling,
 * a server error); reset the connection before forwarding (nothing happened); forward
 * and then reset (the call happened, the client never hears); or forward late.
 */
export type InjectedFault =
  | { kind?: 'answer'; status: number; contentType: string; headers?: Record<string, string>; body: string }
  | { kind: 'reset' }
  | { kind: 'lose-answer' }
  | { kind: 'delay'; ms: number };

/** The throttling answer each protocol's SDK deserializer recognises as retryable. */
export function throttlingFault(call: RecordedCall): InjectedFault {
  if (call.service === 's3') {
    return {
      status: 503,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>proxy</RequestId></Error>',
    };
  }
  if (call.service === 'ec2') {
    // EC2's query API has an error shape of its own.
    return {
      status: 503,
      contentType: 'text/xml',
      body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>proxy</RequestID></Response>',
    };
  }
  if (call.protocol === 'query') {
    return {
      status: 400,
      contentType: 'text/xml',
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>proxy</RequestId></ErrorResponse>',
    };
  }
  if (call.protocol === 'rest') {
    return {
      status: 429,
      contentType: 'application/json',
      headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
      body: JSON.stringify({ message: 'Too Many Requests' }),
    };
  }
  return {
    status: 400,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
  };
}

export interface ProxyOptions {
  /** Called for every request; an answer returned is sent instead of forwarding. */
  fault?: (call: RecordedCall, body: string) => InjectedFault | undefined;
  /**
   * Forward DynamoDB requests one at a time. moto serves requests on threads with no
   * lock around its tables, so two conditional writes to one item can both succeed,
   * which DynamoDB never allows; tests of concurrent claims need DynamoDB's behaviour.
   */
  serializeDynamoDb?: boolean;
}

export async function startRecordingProxy(
  upstream: string,
  options: ProxyOptions = {},
): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const calls: RecordedCall[] = [];
  let dynamoDbTurn = Promise.resolve();
  const recorded = new WeakMap<ServerResponse, RecordedCall>();
  const loseAnswer = new WeakSet<ServerResponse>();
  const delays = new WeakMap<ServerResponse, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!(req.url ?? '').startsWith('/moto-api')) {
        const call = classify(req, body.toString('utf8'));
        calls.push(call);
        const fault = options.fault?.(call, body.toString('utf8'));
        if (fault) call.fault = fault.kind ?? 'answer';
        if (fault && (fault.kind === undefined || fault.kind === 'answer')) {
          res.writeHead(fault.status, { 'content-type': fault.contentType, ...fault.headers });
          res.end(fault.body);
          return;
        }
        if (fault?.kind === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'lose-answer') loseAnswer.add(res);
        if (fault?.kind === 'delay') delays.set(res, fault.ms);
        recorded.set(res, call);
      }
      const forward = () =>
        new Promise<void>((done) => {
          const upstream = request(
            {
              hostname: target.hostname,
              port: target.port,
              method: req.method,
              path: req.url,
              headers: { ...req.headers, host: target.host },
            },
            (upstreamRes) => {
              const call = recorded.get(res);
              if (call) call.status = upstreamRes.statusCode;
              if (loseAnswer.has(res)) {
                // The emulator did it; the client is told nothing.
                upstreamRes.resume();
                upstreamRes.on('end', () => {
                  res.socket?.destroy();
                  done();
                });
                return;
              }
              res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
              upstreamRes.pipe(res);
              upstreamRes.on('end', done);
              upstreamRes.on('error', done);
            },
          );
          upstream.on('error', (error) => {
            res.writeHead(502);
            res.end(String(error));
            done();
          });
          upstream.end(body);
        });
      const delay = delays.get(res) ?? 0;
      const start = delay > 0 ? () => new Promise<void>((r) => setTimeout(r, delay)).then(forward) : forward;
      if (options.serializeDynamoDb && signingNameOf(req.headers.authorization) === 'dynamodb') {
        dynamoDbTurn = dynamoDbTurn.then(start);
      } else {
        void start();
      }
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
