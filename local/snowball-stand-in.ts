import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';

/**
 * moto has no Snowball: it answers every Snowball call with an HTML 500, so every
 * sweep of the emulator over all rules would report an error for the Snowball
 * shard. This front sits before moto and answers Snowball's JSON protocol as an
 * account without jobs would (ListJobs: none; anything else about a job:
 * InvalidResourceException); every other request passes through to moto
 * untouched. It holds no jobs: the Snowball rule is tested with client mocks.
 */
const SNOWBALL_TARGET = 'AWSIESnowballJobManagementService.';

function answerSnowball(operation: string, res: ServerResponse): void {
  const json = (status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(body));
  };
  if (operation === 'ListJobs') json(200, { JobListEntries: [] });
  else
    json(400, {
      __type: 'InvalidResourceException',
      Message: `the local Snowball stand-in holds no jobs (${operation})`,
    });
}

function passThrough(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

/** Listens on `port` (loopback) in front of `motoEndpoint`. */
export function startSnowballStandIn(motoEndpoint: string, port: number): Promise<Server> {
  const target = new URL(motoEndpoint);
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '');
    if (operation.startsWith(SNOWBALL_TARGET)) {
      req.resume(); // the body is not needed
      req.on('end', () => answerSnowball(operation.slice(SNOWBALL_TARGET.length), res));
      return;
    }
    passThrough(target, req, res);
  });
  // Keep-alive to moto is the client's business; the front must not cut long sweeps.
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
