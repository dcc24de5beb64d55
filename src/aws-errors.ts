/** Classifies AWS SDK v3 errors by their service error code, which is stable across SDK versions. */

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
