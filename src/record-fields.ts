/**
 * Typed reads from the untyped parts of a CloudTrail record (requestParameters,
 * responseElements). CloudTrail renders one-element XML lists as a single object
 * and many-element lists as arrays; these helpers accept both.
 */

export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function stringField(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' && found.length > 0 ? found : undefined;
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
