import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ConfigError } from '../errors';
import type { SecretRef } from './secret-ref';

/** Secrets are re-read at most this often (Powertools Parameters caches them in memory). */
const MAX_AGE_SECONDS = 900;

/** Reads a secret (SSM SecureString or Secrets Manager); the value is never logged. */
export async function readSecret(ref: SecretRef): Promise<string> {
  const value =
    ref.store === 'ssm'
      ? await getParameter(ref.name, { decrypt: true, maxAge: MAX_AGE_SECONDS })
      : await getSecret(ref.name, { maxAge: MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`${ref.store} secret ${ref.name} is empty or not a string`);
  }
  return value;
}

/** A JSON secret with the given string fields, e.g. {"email","apiToken"}. */
export async function readJsonSecret<K extends string>(
  ref: SecretRef,
  fields: readonly K[],
): Promise<Record<K, string>> {
  const raw = await readSecret(ref);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${ref.store} secret ${ref.name} must be JSON with ${fields.join(', ')}`, {
      cause: error,
    });
  }
  const record = parsed as Record<string, unknown>;
  for (const field of fields) {
    if (typeof record?.[field] !== 'string' || !record[field]) {
      throw new ConfigError(`${ref.store} secret ${ref.name} lacks the string field "${field}"`);
    }
  }
  return record as Record<K, string>;
}
