/** Classifies AWS SDK v3 errors by their service error code, which is stable across SDK versions. */
import { isThrottlingError } from '@smithy/core/retry';

/**
 * "Too many requests, try later" (AWS never applied the call): HTTP 429, any service's
 * throttling code, or the SDK's throttling trait — the SDK's own classification, so
 * the list of codes stays the one its retries use.
 */
export function isThrottling(error: unknown): boolean {
  return typeof error === 'object' && error !== null && isThrottlingError(error as never);
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [candidate.Code, candidate.code, candidate.name]) {
    if (typeof value === 'string' && value !== 'Error') return value;
  }
  return undefined;
}

export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  const code = errorCode(error);
  return code !== undefined && codes.includes(code);
}

/** A one-line, content-free description of an SDK error for reports and logs. */
export function describeAwsError(error: unknown): string {
  const code = errorCode(error) ?? 'UnknownError';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status ? `${code} (HTTP ${status})` : code;
}

/**
 * Whether trying again can help: throttling, a server error, a time-out or a dropped
 * connection (no answer at all). A 4xx answer (a failed condition, a bad request,
 * access denied) will be the same the next time.
 */
export function isTransientAwsError(error: unknown): boolean {
  const failure = error as
    | { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; name?: string; code?: unknown }
    | undefined;
  if (failure?.$retryable) return true;
  const status = failure?.$metadata?.httpStatusCode;
  if (status === undefined) {
    // No answer: a socket error (ECONNRESET, EPIPE, …) or a time-out. Anything else is a bug.
    return (
      (typeof failure?.code === 'string' && /^E[A-Z]+$/.test(failure.code)) ||
      /Timeout|TimedOut|Abort/.test(failure?.name ?? '')
    );
  }
  return status === 408 || status >= 500 || isThrottling(error);
}
