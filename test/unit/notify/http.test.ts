import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, RetryLaterError, retryAfterMs, sendJson } from '../../../src/notify/http';
import { type FakeHttpServer, startFakeHttpServer } from '../../support/fake-http';

let server: FakeHttpServer;
const waits: number[] = [];
const options = {
  timeoutMs: 300,
  attempts: 3,
  maxRetryAfterMs: 5000,
  // Record the backoff instead of sleeping it: the schedule is what is under test.
  sleep: async (ms: number) => {
    waits.push(ms);
  },
};

beforeEach(async () => {
  server = await startFakeHttpServer();
  waits.length = 0;
});
afterEach(() => server.close());

describe('sendJson', () => {
  it('posts JSON and returns the parsed answer', async () => {
    server.script('POST /hook', { status: 200, body: { ok: true } });
    await expect(sendJson('POST', `${server.url}/hook`, { a: 1 }, options)).resolves.toEqual({ ok: true });
    expect(server.requests).toMatchObject([{ method: 'POST', path: '/hook', body: { a: 1 } }]);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('waits for Retry-After on 429, then succeeds', async () => {
    server.script(
      'POST /hook',
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200, body: 'ok' },
    );
    await sendJson('POST', `${server.url}/hook`, {}, options);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it('backs off exponentially on 5xx', async () => {
    server.script('POST /hook', { status: 503 }, { status: 502 }, { status: 200 });
    await sendJson('POST', `${server.url}/hook`, {}, options);
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('leaves a Retry-After longer than the budget to the queue, without waiting', async () => {
    server.script('POST /hook', { status: 429, headers: { 'retry-after': '120' } });
    const error = await sendJson('POST', `${server.url}/hook`, {}, options).catch((e) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: false, status: 429 });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not retry a permanent failure (bad credentials, unknown project)', async () => {
    server.script('POST /hook', { status: 403 });
    const error = await sendJson('POST', `${server.url}/hook`, {}, options).catch((e) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', permanent: true, status: 403 });
    expect(server.requests).toHaveLength(1);
  });

  it('bounds a hanging server with the time-out, per attempt', async () => {
    server.script('POST /hook', { hang: true });
    const error = await sendJson('POST', `${server.url}/hook`, {}, options).catch((e) => e);
    expect(error).toMatchObject({
      permanent: false,
      message: expect.stringMatching(/timed out after 300 ms/),
    });
    // Each of the three attempts was ended by the client's time-out (the server never answers).
    expect(server.requests).toHaveLength(3);
  });

  it('never puts the URL path (a webhook secret) in its errors', async () => {
    server.script('POST /services/T000/B000/SECRETPART', { status: 500 });
    const error: unknown = await sendJson(
      'POST',
      `${server.url}/services/T000/B000/SECRETPART`,
      {},
      options,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).not.toContain('SECRETPART');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 10_000).toUTCString(), Date.now())).toBeGreaterThan(8000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
