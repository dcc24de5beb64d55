import { describe, expect, it } from 'vitest';
import { isTransientAwsError } from '../../src/aws-errors';
import { inRetryRounds } from '../../src/retry-rounds';

const noWait = async () => {};
const answered = (status: number, name = 'Error') =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('inRetryRounds', () => {
  it('tries again what may succeed, up to its rounds, with growing waits', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await inRetryRounds(
      async (round) => {
        calls++;
        if (round < 3) throw answered(503, 'ServiceUnavailable');
        return 'done';
      },
      { rounds: 4, retryable: isTransientAwsError, baseMs: 100, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('throws at once what another round cannot cure, and the last error after the last round', async () => {
    let calls = 0;
    const refused = inRetryRounds(
      async () => {
        calls++;
        throw answered(400, 'ConditionalCheckFailedException');
      },
      { rounds: 4, retryable: isTransientAwsError, sleep: noWait },
    );
    await expect(refused).rejects.toThrow('ConditionalCheckFailedException');
    expect(calls).toBe(1);
    calls = 0;
    const throttled = inRetryRounds(
      async () => {
        calls++;
        throw answered(400, 'ProvisionedThroughputExceededException');
      },
      { rounds: 3, retryable: isTransientAwsError, sleep: noWait },
    );
    await expect(throttled).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(calls).toBe(3);
  });
});

describe('isTransientAwsError', () => {
  it('is true for throttling, server errors, time-outs and dropped connections; false for refusals and bugs', () => {
    expect(isTransientAwsError(answered(500, 'InternalServerError'))).toBe(true);
    expect(isTransientAwsError(answered(429, 'TooManyRequestsException'))).toBe(true);
    expect(isTransientAwsError(answered(400, 'ThrottlingException'))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
    expect(isTransientAwsError(Object.assign(new Error('slow'), { name: 'TimeoutError' }))).toBe(true);
    expect(isTransientAwsError(answered(400, 'ValidationException'))).toBe(false);
    expect(isTransientAwsError(answered(403, 'AccessDeniedException'))).toBe(false);
    expect(isTransientAwsError(new TypeError('x is undefined'))).toBe(false);
  });
});
