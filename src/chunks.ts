/**
 * Splits items, in order, into runs of at most `size`: the batch limits of the
 * AWS APIs PHI Guard calls (10 SQS messages, 25 DynamoDB writes, 100 keys or
 * filter values, 20 load balancer names per call).
 */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunk size must be a positive integer, not ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
