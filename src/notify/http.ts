import { setTimeout as wait } from 'node:timers/promises';
import { PhiGuardError } from '../errors';

/**
 * JSON over HTTPS to Slack, Jira and ServiceNow with bounded retries: every
 * request has a time-out, 429 and 5xx answers are retried with exponential
 * backoff or after the server's Retry-After, and the whole call is bounded so
 * the notifier never hangs. What still fails is left to the queue's redrive.
 */
export class DeliveryError extends PhiGuardError {
  /** HTTP status of the last answer, if there was one. */
  readonly status: number | undefined;
  /** True when retrying cannot help (a 4xx other than 408/429: bad credentials, bad project, …). */
  readonly permanent: boolean;

  constructor(message: string, options: { status?: number; permanent: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.status = options.status;
    this.permanent = options.permanent;
  }
}

/** The server asked to be retried later than one call may wait: the queue's redrive retries it. */
export class RetryLaterError extends DeliveryError {
  constructor(message: string, options: { status?: number; cause?: unknown }) {
    super(message, { ...options, permanent: false });
    this.name = 'RetryLaterError';
  }
}

export interface HttpOptions {
  headers?: Record<string, string>;
  /** Per-request time-out. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  attempts: number;
  /** Longest Retry-After honoured inside one call; longer ones are left to the queue. */
  maxRetryAfterMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Describes where a request went without its path or query (webhook URLs are secrets). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}

export async function sendJson(
  method: string,
  url: string,
  body: unknown,
  options: HttpOptions,
): Promise<unknown> {
  const sleep = options.sleep ?? ((ms: number) => wait(ms));
  const host = hostOf(url);
  let lastError: DeliveryError | undefined;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    let wait = Math.min(500 * 2 ** (attempt - 1), 8000);
    try {
      const response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      if (response.ok) {
        if (!text) return undefined;
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      }
      const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
      lastError = new DeliveryError(`${method} ${host} answered HTTP ${response.status}`, {
        status: response.status,
        permanent: !retryable,
      });
      if (!retryable) throw lastError;
      const after = retryAfterMs(response.headers.get('retry-after'));
      if (after !== undefined) {
        if (after > options.maxRetryAfterMs) {
          throw new RetryLaterError(
            `${host} asked to retry after ${Math.ceil(after / 1000)} s; left to the queue`,
            { status: response.status },
          );
        }
        wait = after;
      }
    } catch (error) {
      if (error instanceof DeliveryError && (error.permanent || error instanceof RetryLaterError))
        throw error;
      if (!(error instanceof DeliveryError)) {
        const timedOut = (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError';
        lastError = new DeliveryError(
          timedOut
            ? `${method} ${host} timed out after ${options.timeoutMs} ms`
            : `${method} ${host} failed: ${(error as Error)?.message ?? error}`,
          { permanent: false, cause: error },
        );
      }
    }
    if (attempt < options.attempts) await sleep(wait);
  }
  throw lastError ?? new DeliveryError(`${method} ${host} failed`, { permanent: false });
}
