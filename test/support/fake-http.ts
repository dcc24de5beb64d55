import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Slack, Jira or ServiceNow on a free loopback port. It records
 * every request (method, path, headers, JSON body) and answers from a script:
 * a queue of responses per route, then the route's default.
 */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (the client's time-out must end the request). */
  hang?: boolean;
  /** Drop the connection without answering (a reset before the server acted). */
  reset?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: string;
  /** The status it was answered with, or how it was not. */
  answered?: number | 'reset' | 'hang';
}

export interface FakeHttpServer {
  url: string;
  requests: RecordedRequest[];
  /** Replies for `METHOD /path` (exact) or `METHOD /prefix*`, consumed in order; the last one repeats. */
  script(route: string, ...replies: (Reply | ((request: RecordedRequest) => Reply))[]): void;
  close(): Promise<void>;
}

export async function startFakeHttpServer(): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, (Reply | ((request: RecordedRequest) => Reply))[]>();
  const hanging = new Set<ServerResponse>();

  const find = (method: string, path: string) => {
    for (const [route, replies] of scripts) {
      const [m, p] = route.split(' ') as [string, string];
      if (m !== method) continue;
      if (p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1)))) return replies;
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // not JSON: kept as text
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const request: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, raw };
      requests.push(request);
      const replies = find(request.method, path);
      const next = replies && replies.length > 1 ? replies.shift() : replies?.[0];
      const reply = typeof next === 'function' ? next(request) : (next ?? { status: 404 });
      if (reply.hang) {
        request.answered = 'hang';
        hanging.add(res);
        return;
      }
      if (reply.reset) {
        request.answered = 'reset';
        req.socket.destroy();
        return;
      }
      request.answered = reply.status ?? 200;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        reply.body === undefined
          ? ''
          : typeof reply.body === 'string'
            ? reply.body
            : JSON.stringify(reply.body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(route, ...replies) {
      scripts.set(route, replies);
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
