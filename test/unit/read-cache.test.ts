import { describe, expect, it } from 'vitest';
import { ReadCache } from '../../src/read-cache';

describe('the read cache', () => {
  it('shares a read between concurrent readers and keeps what it read', async () => {
    const cache = new ReadCache();
    let calls = 0;
    const load = async () => ++calls;
    const [a, b] = await Promise.all([cache.get('arn', 'acl', load), cache.get('arn', 'acl', load)]);
    expect([a, b, await cache.get('arn', 'acl', load)]).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });

  it('does not keep a read that failed: the next reader asks again instead of inheriting the failure', async () => {
    const cache = new ReadCache();
    let calls = 0;
    const load = async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('SlowDown'), { $metadata: { httpStatusCode: 503 } });
      return 'policy';
    };
    await expect(cache.get('arn', 'policy', load)).rejects.toThrow('SlowDown');
    expect(await cache.get('arn', 'policy', load)).toBe('policy');
    expect(calls).toBe(2);
  });
});
