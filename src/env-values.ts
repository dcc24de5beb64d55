import { ConfigError } from './errors';

/**
 * The shapes of values PHI Guard reads from environment variables, parsed one way
 * everywhere (configuration, notifier, sweep, the stack's generation), with errors
 * that name the variable.
 */

/** `true`/`1`/`yes` or `false`/`0`/`no` (any case); unset or empty is `fallback`. */
export function booleanValue(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A whole number within bounds; unset or empty is undefined. */
export function wholeNumberValue(
  name: string,
  raw: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, got "${raw}"`,
    );
  }
  return value;
}

/** A comma-separated list, items trimmed, empty items dropped. */
export function listValue(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
