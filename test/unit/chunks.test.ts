import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../src/chunks';

describe('chunksOf', () => {
  it('splits in order into runs of the batch size, the last one shorter', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(
      chunksOf(
        Array.from({ length: 50 }, (_, i) => i),
        25,
      ).map((c) => c.length),
    ).toEqual([25, 25]);
  });

  it('has no chunk for no items', () => {
    expect(chunksOf([], 10)).toEqual([]);
  });

  it('refuses a size that would loop forever or drop items', () => {
    expect(() => chunksOf([1], 0)).toThrow(RangeError);
    expect(() => chunksOf([1], 2.5)).toThrow(RangeError);
  });
});
